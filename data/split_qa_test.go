package data

import (
	"fmt"
	"testing"
)

func TestSplitQAByArticle(t *testing.T) {
	var examples []QAExample
	for a := range 12 {
		for q := range 1 + a%3 {
			examples = append(examples, QAExample{ID: fmt.Sprintf("%d-%d", a, q), Title: fmt.Sprintf("article %d", a)})
		}
	}
	s, err := SplitQAByArticle(examples, 1, 2.0/3, 1.0/12, 0.25)
	if err != nil {
		t.Fatal(err)
	}
	articles := func(exs []QAExample) map[string]bool {
		m := map[string]bool{}
		for _, ex := range exs {
			m[ex.Title] = true
		}
		return m
	}
	tr, dv, ts := articles(s.Train), articles(s.Dev), articles(s.Test)
	if len(tr) != 8 || len(dv) != 1 || len(ts) != 3 {
		t.Errorf("articles %d/%d/%d, want 8/1/3", len(tr), len(dv), len(ts))
	}
	for a := range ts {
		if tr[a] || dv[a] {
			t.Errorf("test article %q also in train or dev", a)
		}
	}
	if n := len(s.Train) + len(s.Dev) + len(s.Test); n != len(examples) {
		t.Errorf("%d questions in the splits, want %d", n, len(examples))
	}
	again, _ := SplitQAByArticle(examples, 1, 2.0/3, 1.0/12, 0.25)
	other, _ := SplitQAByArticle(examples, 2, 2.0/3, 1.0/12, 0.25)
	if fmt.Sprint(again.Test) != fmt.Sprint(s.Test) || fmt.Sprint(other.Test) == fmt.Sprint(s.Test) {
		t.Error("want the same split for the same seed and another for another seed")
	}
	if _, err := SplitQAByArticle(examples[:2], 1, 0.5, 0.25, 0.25); err == nil {
		t.Error("two articles: no error")
	}
}

// TestSplitXQuAD splits XQuAD-en's 48 articles as notebook 07 does: 32 train, 4 dev, 12 test.
func TestSplitXQuAD(t *testing.T) {
	examples, err := LoadXQuAD(loadTestStore(t), "en")
	if err != nil {
		t.Fatal(err)
	}
	s, err := SplitQAByArticle(examples, DefaultSeed, 2.0/3, 1.0/12, 0.25)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("XQuAD-en by article: %d / %d / %d questions", len(s.Train), len(s.Dev), len(s.Test))
	if len(s.Train) < 600 || len(s.Dev) == 0 || len(s.Test) < 200 {
		t.Errorf("%d / %d / %d questions", len(s.Train), len(s.Dev), len(s.Test))
	}
}
