package glove

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/nlp-transfer/gotl/tlkit/encoder"
)

// InitMatrix returns an initial embedding matrix for a model trained from scratch over vocab
// (e.g. a WordPiece or word-level vocabulary), one row of width dim per entry, and the number
// of entries found among v's words:
//
//   - a special token (IsSpecial: "[PAD]", "<unk>", ...) gets a zero row;
//   - a word of v (looked up as given, then lower-cased, then without diacritics) gets its
//     vector;
//   - any other entry gets values drawn from a normal distribution of mean 0 and standard
//     deviation v.Std(), from a generator seeded with seed: the same seed gives the same matrix.
//
// dim must be v.Dim (it panics otherwise): it is there so that calls say the width they expect.
// The rows are plain data: copy them into a GoMLX variable, e.g. with
// tensors.FromValue(matrix).
func (v *Vectors) InitMatrix(vocab []string, dim int, seed int64) (matrix [][]float32, found int) {
	if dim != v.Dim {
		panic(fmt.Sprintf("glove: InitMatrix with dim %d, but the vectors of %s have width %d", dim, v.Source, v.Dim))
	}
	std := v.Std()
	rng := rand.New(rand.NewPCG(uint64(seed), 0x676c6f7665)) // "glove"
	flat := make([]float32, len(vocab)*dim)
	matrix = make([][]float32, len(vocab))
	for i, tok := range vocab {
		row := flat[i*dim : (i+1)*dim : (i+1)*dim]
		matrix[i] = row
		if IsSpecial(tok) {
			continue
		}
		if vec, ok := v.lookupFolded(tok); ok {
			copy(row, vec)
			found++
			continue
		}
		for j := range row {
			row[j] = float32(rng.NormFloat64() * std)
		}
	}
	return matrix, found
}

// lookupFolded looks word up as given, lower-cased, then lower-cased without diacritics.
func (v *Vectors) lookupFolded(word string) ([]float32, bool) {
	if vec, ok := v.Lookup(word); ok {
		return vec, true
	}
	low := strings.ToLower(word)
	if vec, ok := v.Lookup(low); ok {
		return vec, true
	}
	return v.Lookup(foldDiacritics(low))
}

// IsSpecial reports whether a vocabulary entry is a special token: at least 3 characters
// enclosed in brackets, "[...]" or "<...>" (e.g. "[PAD]", "[CLS]", "<unk>", "<s>"). GloVe's
// "[", "<" and the like are not.
func IsSpecial(tok string) bool {
	if len(tok) < 3 {
		return false
	}
	first, last := tok[0], tok[len(tok)-1]
	return (first == '[' && last == ']') || (first == '<' && last == '>')
}

// Mean returns the mean of the vectors of the known tokens of text (Tokens), computed in plain
// Go, and how many tokens it averaged. It has the same errors as Encoder.Tokenize (text 0):
// no tokens wraps encoder.ErrEmptyText, no known token ErrNoKnownWords. Unlike the Encoder it
// does not stop at MaxTokens.
func (v *Vectors) Mean(text string) (mean []float32, count int, err error) {
	tokens := v.Tokens(text)
	if len(tokens) == 0 {
		return nil, 0, fmt.Errorf("glove: text %q: %w", preview(text), encoder.ErrEmptyText)
	}
	sum := make([]float64, v.Dim)
	for _, t := range tokens {
		if vec, ok := v.Lookup(t); ok {
			for j, x := range vec {
				sum[j] += float64(x)
			}
			count++
		}
	}
	if count == 0 {
		return nil, 0, fmt.Errorf("glove: text %q: none of its %d tokens is among the %d words of %s: %w",
			preview(text), len(tokens), v.Len(), v.Source, ErrNoKnownWords)
	}
	mean = make([]float32, v.Dim)
	for j, s := range sum {
		mean[j] = float32(s / float64(count))
	}
	return mean, count, nil
}
