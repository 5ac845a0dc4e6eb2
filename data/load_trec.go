package data

import (
	"fmt"
	"sort"
	"strings"
)

// LoadTREC loads the TREC question classification dataset (Li and Roth 2002) with its 6
// coarse classes (ABBR, DESC, ENTY, HUM, LOC, NUM; sorted): 5452 train and 500 test
// questions. It has no dev split: call CarveDev. s nil means DefaultStore().
func LoadTREC(s *Store) (*TextClassification, error) { return loadTREC(storePaths(s), false) }

// LoadTRECFine loads TREC with its 50 fine classes, named "COARSE:fine" (e.g. "HUM:ind",
// "LOC:city"; sorted): 5452 train and 500 test questions (the test questions use 42 of the
// 50 classes). s nil means DefaultStore().
func LoadTRECFine(s *Store) (*TextClassification, error) { return loadTREC(storePaths(s), true) }

func loadTREC(paths pathFunc, fine bool) (*TextClassification, error) {
	name := "trec"
	if fine {
		name = "trec-fine"
	}
	var splits [2][]labelledText
	for i, file := range []string{"trec/raw/TREC.train", "trec/raw/TREC.test"} {
		b, err := readRegistryFile(paths, file)
		if err != nil {
			return nil, fmt.Errorf("loading %s: %w", name, err)
		}
		texts, err := parseLabelLines(toUTF8(b), file)
		if err != nil {
			return nil, fmt.Errorf("loading %s: %w", name, err)
		}
		for j := range texts {
			coarse, _, ok := strings.Cut(texts[j].Label, ":")
			if !ok {
				return nil, fmt.Errorf("loading %s: %s: question %d has label %q, want COARSE:fine", name, file, j+1, texts[j].Label)
			}
			if !fine {
				texts[j].Label = coarse
			}
		}
		splits[i] = texts
	}
	seen := make(map[string]bool)
	var labels []string
	for _, split := range splits {
		for _, t := range split {
			if !seen[t.Label] {
				seen[t.Label] = true
				labels = append(labels, t.Label)
			}
		}
	}
	sort.Strings(labels)
	index := make(map[string]int, len(labels))
	for i, l := range labels {
		index[l] = i
	}
	convert := func(texts []labelledText) []Example {
		out := make([]Example, len(texts))
		for i, t := range texts {
			out[i] = Example{Text: t.Text, Label: index[t.Label]}
		}
		return out
	}
	return &TextClassification{Name: name, Labels: labels, Train: convert(splits[0]), Test: convert(splits[1])}, nil
}
