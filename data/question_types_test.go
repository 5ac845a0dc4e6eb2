package data

import (
	"slices"
	"testing"
)

// Question types come from the first question word, whatever the case or the punctuation.
func TestQuestionType(t *testing.T) {
	for q, want := range map[string]string{
		"WHat does UDP guarantee":                  "what",
		"In which year did it open?":               "which",
		"How much did it cost?":                    "how many",
		"How many nations contain Amazonas?":       "how many",
		"How did Luther respond?":                  "how",
		"Whose army won?":                          "who",
		"The trend is toward integration of what?": "what",
		"When was the edict declared?":             "when",
	} {
		label, ok := QuestionType(q)
		if !ok || QuestionTypes()[label] != want {
			t.Errorf("QuestionType(%q) = %d %v, want %q", q, label, ok, want)
		}
	}
	for _, q := range []string{"Why was he there?", "Is it red?", ""} {
		if _, ok := QuestionType(q); ok {
			t.Errorf("QuestionType(%q): ok, want no type", q)
		}
	}
}

// XQuAD question types: splits by article with no article in two splits, every test question
// matched with its translation, and the labels of the English wording.
func TestLoadXQuADQuestionTypes(t *testing.T) {
	d, err := LoadXQuADQuestionTypes(loadTestStore(t))
	if err != nil {
		t.Fatal(err)
	}
	n := len(d.Train) + len(d.Dev) + len(d.Test)
	if n != 1160 || len(d.TargetTest) != len(d.Test) || len(d.Test) < 250 || len(d.Dev) < 60 {
		t.Fatalf("train %d, dev %d, test %d (target %d), want 1160 in all", len(d.Train), len(d.Dev), len(d.Test), len(d.TargetTest))
	}
	for i, ex := range d.TargetTest {
		if ex.Label != d.Test[i].Label || ex.Text == d.Test[i].Text {
			t.Fatalf("test %d: %+v vs %+v", i, ex, d.Test[i])
		}
	}
	en, _ := LoadXQuAD(loadTestStore(t), "en")
	article := map[string]string{}
	for _, ex := range en {
		article[ex.Question] = ex.Title
	}
	seen := map[string]int{}
	for k, split := range [][]Example{d.Train, d.Dev, d.Test} {
		for _, ex := range split {
			if s, ok := seen[article[ex.Text]]; ok && s != k {
				t.Fatalf("article %q in splits %d and %d", article[ex.Text], s, k)
			}
			seen[article[ex.Text]] = k
		}
	}
	if counts := d.LabelCounts(d.Test); slices.Contains(counts, 0) {
		t.Errorf("test label counts %v: a type is missing", counts)
	}
	if _, err := XQuADQuestionTypes(en, en, 40, 8, 1); err == nil {
		t.Error("48 of 48 articles held out: no error")
	}
}
