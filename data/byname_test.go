package data

import (
	"slices"
	"strings"
	"testing"
)

func TestByName(t *testing.T) {
	s := loadTestStore(t)
	for _, c := range []struct {
		name  string
		load  func() (int, error)
		train int
	}{
		{"sst2", func() (int, error) { d, err := LoadTextClassification(s, " SST2 "); return lenTrain(d, err) }, 6920},
		{"amazon/kitchen", func() (int, error) { d, err := LoadTextClassification(s, "amazon/kitchen"); return lenTrain(d, err) }, 1600},
		{"conll2000-chunking", func() (int, error) {
			d, err := LoadTokenClassification(s, "conll2000-chunking")
			if err != nil {
				return 0, err
			}
			return len(d.Train), nil
		}, -1},
		{"banking77", func() (int, error) {
			d, err := LoadIntentClassification(s, "banking77")
			if err != nil {
				return 0, err
			}
			return len(d.Intents), nil
		}, 77},
	} {
		n, err := c.load()
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if n == 0 || (c.train > 0 && n != c.train) {
			t.Errorf("%s: %d, want %d", c.name, n, c.train)
		}
	}
	for _, names := range [][]string{TextClassificationNames(), TokenClassificationNames(), IntentClassificationNames()} {
		sorted := slices.Clone(names)
		slices.Sort(sorted)
		if len(slices.Compact(sorted)) != len(names) {
			t.Errorf("duplicate names in %v", names)
		}
	}
	if !slices.Contains(TextClassificationNames(), "amazon/dvd") || !slices.Contains(TokenClassificationNames(), "conll2003") {
		t.Errorf("names %v, %v: want amazon/dvd and conll2003", TextClassificationNames(), TokenClassificationNames())
	}
	if !IsTokenClassification("CoNLL2000-chunking") || IsTokenClassification("sst2") {
		t.Error("IsTokenClassification: want true for an alias of conll2000, false for sst2")
	}
	_, err := LoadTextClassification(s, "sst3")
	if err == nil || !strings.Contains(err.Error(), `"sst3"`) || !strings.Contains(err.Error(), "amazon/books") {
		t.Errorf("unknown name: error %v, want one naming it and listing the known names", err)
	}
	if _, err := LoadTokenClassification(s, "sst2"); err == nil || !strings.Contains(err.Error(), "conll2003") {
		t.Errorf("a text dataset as a tagging one: error %v, want the tagging names", err)
	}
}

func lenTrain(d *TextClassification, err error) (int, error) {
	if err != nil {
		return 0, err
	}
	return len(d.Train), nil
}
