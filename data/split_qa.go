package data

import "fmt"

// QASplits are the train, dev and test questions of an extractive QA dataset.
type QASplits struct {
	Train, Dev, Test []QAExample
}

// SplitQAByArticle splits examples by article (QAExample.Title) with Split over the
// articles, in order of first appearance: the fractions (train, dev, test, summing to 1) are
// of articles, every question of an article goes to one split, and the questions keep their
// order. Low-resource QA on XQuAD uses it: there is no training set, so one is carved out
// of whole articles, and no test article is seen in training. A zero fraction gives an empty
// split (e.g. 0.9, 0.1, 0 carves a dev set from a training file); a positive fraction that
// gets no article is an error.
func SplitQAByArticle(examples []QAExample, seed uint64, train, dev, test float64) (*QASplits, error) {
	var titles []string
	index := map[string]int{}
	for _, ex := range examples {
		if _, ok := index[ex.Title]; !ok {
			index[ex.Title] = len(titles)
			titles = append(titles, ex.Title)
		}
	}
	if len(titles) < 3 {
		return nil, fmt.Errorf("splitting QA by article: %d articles; need at least 3 (one a split)", len(titles))
	}
	parts, err := Split(len(titles), seed, train, dev, test)
	if err != nil {
		return nil, fmt.Errorf("splitting QA by article: %w", err)
	}
	split := make([]int, len(titles))
	for k, part := range parts {
		if len(part) == 0 && []float64{train, dev, test}[k] > 0 {
			return nil, fmt.Errorf("splitting QA by article: %d articles leave split %d empty with fractions %g/%g/%g", len(titles), k, train, dev, test)
		}
		for _, a := range part {
			split[a] = k
		}
	}
	s := &QASplits{}
	for _, ex := range examples {
		dst := []*[]QAExample{&s.Train, &s.Dev, &s.Test}[split[index[ex.Title]]]
		*dst = append(*dst, ex)
	}
	return s, nil
}
