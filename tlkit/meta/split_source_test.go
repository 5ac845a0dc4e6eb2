package meta

import (
	"fmt"
	"testing"
)

// Without domains the source is split by class, with at least Ways validation and test
// classes: 16 relations give 5, 5 and 6 meta-training classes for 5-way episodes.
func TestSplitSourceKeepsWaysTestClasses(t *testing.T) {
	var names, texts []string
	var labels []int
	for c := range 16 {
		names = append(names, fmt.Sprintf("r%d", c))
		texts, labels = append(texts, fmt.Sprintf("text %d", c)), append(labels, c)
	}
	ds, err := NewDataset("sixteen", names, nil, texts, labels, nil)
	if err != nil {
		t.Fatal(err)
	}
	opts := DefaultOptions()
	opts.Spec.Ways = 5
	s, err := splitSource(ds, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Val) != 5 || len(s.Test) != 5 || len(s.Train) != 6 {
		t.Errorf("split %d val, %d test, %d train classes; want 5, 5, 6", len(s.Val), len(s.Test), len(s.Train))
	}
}
