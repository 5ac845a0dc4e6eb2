package distill

import (
	"errors"
	"strings"
	"unicode"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/metrics"
)

// CharacterOverlap is the retrieval baseline that needs no model: each sentence is a bag of
// its characters (lowercased, whitespace left out), and each must find its translation as the
// nearest by cosine similarity of the bags, as in Retrieval (ties to the first). Between
// English and Chinese only digits, Latin names and some punctuation are shared, so it
// measures what surface overlap alone gives. It returns the accuracy target→source and
// source→target.
func CharacterOverlap(pairs []data.TranslationPair) (targetToSource, sourceToTarget float64, err error) {
	if len(pairs) == 0 {
		return 0, 0, errors.New("distill: character overlap needs pairs")
	}
	index := map[rune]int{}
	for _, p := range pairs {
		for _, r := range strings.ToLower(p.Source + p.Target) {
			if _, ok := index[r]; !ok && !unicode.IsSpace(r) {
				index[r] = len(index)
			}
		}
	}
	bags := func(texts []string) [][]float32 {
		out := make([][]float32, len(texts))
		for i, t := range texts {
			out[i] = make([]float32, len(index))
			for _, r := range strings.ToLower(t) {
				if k, ok := index[r]; ok {
					out[i][k]++
				}
			}
		}
		return out
	}
	src, tgt := bags(data.Sources(pairs)), bags(data.Targets(pairs))
	if targetToSource, err = metrics.RetrievalAccuracy(tgt, src); err != nil {
		return 0, 0, err
	}
	sourceToTarget, err = metrics.RetrievalAccuracy(src, tgt)
	return targetToSource, sourceToTarget, err
}
