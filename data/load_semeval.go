package data

import (
	"fmt"
	"sort"
)

// RelationClassification is a relation classification dataset: sentences with two marked
// nominals and the (directed) relation between them.
type RelationClassification struct {
	// Name of the dataset, e.g. "semeval2010_task8".
	Name string
	// Labels lists every label of any split, sorted, with "Other" first when present.
	Labels []string
	// Train, Dev and Test are the splits.
	Train, Dev, Test []RelationExample
}

// Counts returns the number of examples of each split.
func (d *RelationClassification) Counts() (train, dev, test int) {
	return len(d.Train), len(d.Dev), len(d.Test)
}

// String summarises the dataset in one line.
func (d *RelationClassification) String() string {
	return fmt.Sprintf("%s: %d labels; train %d, dev %d, test %d examples",
		d.Name, len(d.Labels), len(d.Train), len(d.Dev), len(d.Test))
}

// CarveDev moves a fraction of Train (stratified by label, chosen with seed) into Dev; it
// fails if Dev is not empty. SemEval-2010 Task 8 comes with train and test only.
func (d *RelationClassification) CarveDev(fraction float64, seed uint64) error {
	if len(d.Dev) > 0 {
		return fmt.Errorf("carving a dev split from %s: it already has %d dev examples", d.Name, len(d.Dev))
	}
	index := make(map[string]int, len(d.Labels))
	for i, l := range d.Labels {
		index[l] = i
	}
	labels := make([]int, len(d.Train))
	for i, ex := range d.Train {
		labels[i] = index[ex.Label]
	}
	parts, err := StratifiedSplit(labels, seed, 1-fraction, fraction)
	if err != nil {
		return fmt.Errorf("carving a dev split from %s: %w", d.Name, err)
	}
	d.Train, d.Dev = pick(d.Train, parts[0]), pick(d.Train, parts[1])
	return nil
}

// NewRelationClassification returns the dataset of the given splits (dev may be empty), its
// Labels collected from all of them.
func NewRelationClassification(name string, train, dev, test []RelationExample) *RelationClassification {
	seen := make(map[string]bool)
	var labels []string
	for _, split := range [][]RelationExample{train, dev, test} {
		for _, ex := range split {
			if !seen[ex.Label] {
				seen[ex.Label] = true
				labels = append(labels, ex.Label)
			}
		}
	}
	sort.Slice(labels, func(i, j int) bool {
		if (labels[i] == OtherRelation) != (labels[j] == OtherRelation) {
			return labels[i] == OtherRelation
		}
		return labels[i] < labels[j]
	})
	return &RelationClassification{Name: name, Labels: labels, Train: train, Dev: dev, Test: test}
}

// SemEvalScorer is the registry name of SemEval-2010 Task 8's official Perl scorer.
const SemEvalScorer = "semeval2010_task8/semeval2010_task8_scorer-v1.2.pl"

// LoadSemEval2010 loads SemEval-2010 Task 8 (Hendrickx et al. 2010): 8000 training and 2717
// test sentences, each with two marked nominals and one of 19 labels (9 relations in both
// directions, and Other). It has no dev split: call CarveDev. s nil means DefaultStore().
func LoadSemEval2010(s *Store) (*RelationClassification, error) {
	return loadSemEval2010(storePaths(s))
}

func loadSemEval2010(paths pathFunc) (*RelationClassification, error) {
	var splits [2][]RelationExample
	for i, file := range []string{"semeval2010_task8/TRAIN_FILE.TXT", "semeval2010_task8/TEST_FILE_FULL.TXT"} {
		raw, err := readRegistryFile(paths, file)
		if err != nil {
			return nil, fmt.Errorf("loading semeval2010_task8: %w", err)
		}
		if splits[i], err = ParseSemEvalRelations(raw, file); err != nil {
			return nil, fmt.Errorf("loading semeval2010_task8: %w", err)
		}
	}
	return NewRelationClassification("semeval2010_task8", splits[0], nil, splits[1]), nil
}
