// Package bow is the baseline without pretraining: bag-of-words (unigram and bigram) TF-IDF
// vectors of texts, for a logistic regression (probe.TrainHead) beside the pretrained
// encoders. It is what any transfer method must beat: on long or keyword-rich texts (mail,
// reviews, news) it is strong. Like the encoders' features, the vectors are fixed, so a
// Vectorizer is fitted on the training texts only and then applied to dev and test.
package bow

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/nlp-transfer/gotl/tlkit/glove"
)

// Options configures Fit. Start from DefaultOptions.
type Options struct {
	// NGrams is the longest n-gram counted: 1 (words) or 2 (words and word pairs).
	NGrams int
	// MaxFeatures keeps the terms of highest document frequency (ties by term), at most this
	// many (0: all).
	MaxFeatures int
	// MinDF drops the terms found in fewer training texts than this.
	MinDF int
	// Sublinear replaces a term's count c by 1 + ln c.
	Sublinear bool
	// IDF weights each term by ln((1+n)/(1+df)) + 1, n texts and df of them holding the term
	// (scikit-learn's smoothed idf); false keeps the (sublinear) counts.
	IDF bool
}

// DefaultOptions returns unigrams and bigrams, the 20000 most frequent terms found in at
// least 2 training texts, sublinear counts and smoothed IDF: the usual strong TF-IDF
// baseline for a logistic regression.
func DefaultOptions() Options {
	return Options{NGrams: 2, MaxFeatures: 20000, MinDF: 2, Sublinear: true, IDF: true}
}

// Vectorizer maps a text to its TF-IDF vector over a fixed vocabulary, L2-normalised.
type Vectorizer struct {
	// Options are those of Fit.
	Options Options
	// Terms is the vocabulary: Terms[j] is the term of dimension j ("good", "not good").
	Terms []string
	// IDF[j] is the weight of Terms[j] (1 everywhere without Options.IDF).
	IDF   []float64
	index map[string]int
}

// Terms returns the lower-case words of text (glove.Split: words, clitics, punctuation)
// and, for n ≥ 2, the pairs of adjacent words joined by a space.
func Terms(text string, n int) []string {
	words := glove.Split(text)
	out := append([]string(nil), words...)
	if n >= 2 {
		for i := 1; i < len(words); i++ {
			out = append(out, words[i-1]+" "+words[i])
		}
	}
	return out
}

// Fit builds the vocabulary and IDF weights of texts (the training texts only: fitting on
// test text would leak it into the features).
func Fit(texts []string, opts Options) (*Vectorizer, error) {
	switch {
	case opts.NGrams < 1 || opts.NGrams > 2:
		return nil, fmt.Errorf("bow: NGrams %d: want 1 or 2", opts.NGrams)
	case opts.MaxFeatures < 0 || opts.MinDF < 0:
		return nil, fmt.Errorf("bow: MaxFeatures %d and MinDF %d: want 0 or more", opts.MaxFeatures, opts.MinDF)
	case len(texts) == 0:
		return nil, errors.New("bow: no texts to fit on")
	}
	df := map[string]int{}
	for _, t := range texts {
		seen := map[string]bool{}
		for _, term := range Terms(t, opts.NGrams) {
			if !seen[term] {
				seen[term] = true
				df[term]++
			}
		}
	}
	terms := make([]string, 0, len(df))
	for term, c := range df {
		if c >= opts.MinDF {
			terms = append(terms, term)
		}
	}
	if len(terms) == 0 {
		return nil, fmt.Errorf("bow: no term is in %d or more of the %d texts; lower MinDF", opts.MinDF, len(texts))
	}
	sort.Slice(terms, func(i, j int) bool {
		if df[terms[i]] != df[terms[j]] {
			return df[terms[i]] > df[terms[j]]
		}
		return terms[i] < terms[j]
	})
	if opts.MaxFeatures > 0 && len(terms) > opts.MaxFeatures {
		terms = terms[:opts.MaxFeatures]
	}
	sort.Strings(terms)
	v := &Vectorizer{Options: opts, Terms: terms, IDF: make([]float64, len(terms)), index: make(map[string]int, len(terms))}
	n := float64(len(texts))
	for j, term := range terms {
		v.index[term] = j
		v.IDF[j] = 1
		if opts.IDF {
			v.IDF[j] = math.Log((1+n)/(1+float64(df[term]))) + 1
		}
	}
	return v, nil
}

// Dim returns the vectors' dimension, the vocabulary size.
func (v *Vectorizer) Dim() int { return len(v.Terms) }

// Transform returns the L2-normalised TF-IDF vector of each text (all zeros for a text with
// no known term), as dense rows for probe.TrainHead.
func (v *Vectorizer) Transform(texts []string) [][]float32 {
	out := make([][]float32, len(texts))
	for i, t := range texts {
		counts := map[int]float64{}
		for _, term := range Terms(t, v.Options.NGrams) {
			if j, ok := v.index[term]; ok {
				counts[j]++
			}
		}
		row := make([]float32, len(v.Terms))
		norm := 0.0
		for j, c := range counts {
			if v.Options.Sublinear {
				c = 1 + math.Log(c)
			}
			w := c * v.IDF[j]
			counts[j] = w
			norm += w * w
		}
		if norm > 0 {
			norm = math.Sqrt(norm)
			for j, w := range counts {
				row[j] = float32(w / norm)
			}
		}
		out[i] = row
	}
	return out
}
