package metrics

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// The expected values below are those of SQuAD v1.1's evaluate-v1.1.py and MLQA's
// evaluate_mlqa.py, computed by hand from their definitions.

func TestNormalizeAnswer(t *testing.T) {
	for _, c := range []struct {
		in    string
		rules AnswerRules
		want  string
	}{
		{"The Quick, brown  fox!", SQuADRules, "quick brown fox"},
		{"an apple a day", SQuADRules, "apple day"},
		{"theatre anthem", SQuADRules, "theatre anthem"}, // not whole words
		{"(the) end", SQuADRules, "end"},
		{"the-end", SQuADRules, "theend"},                       // punctuation goes first, then no word "the"
		{"foo_bar", SQuADRules, "foobar"},                       // '_' is ASCII punctuation
		{"«Denver»", SQuADRules, "«denver»"},                    // not ASCII punctuation
		{"x\x1cy\u00a0z", SQuADRules, "x y z"},                  // Python's str.split white space
		{"ΟΔΟΣ ΣΟΦΙΑΣ", SQuADRules, "οδος σοφιας"},              // final sigma
		{"İstanbul", SQuADRules, "i\u0307stanbul"},              // dotted capital I
		{"北京大学。", ChineseRules, "北 京 大 学"},                      // ideographs alone, full-width punctuation gone
		{"2008年 Beijing奥运", ChineseRules, "2008 年 beijing 奥 运"}, // Latin and digits stay words
		{"«the» end", ChineseRules, "the end"},                  // no articles, Unicode punctuation gone
		{"", SQuADRules, ""},
	} {
		if got := NormalizeAnswer(c.in, c.rules); got != c.want {
			t.Errorf("NormalizeAnswer(%q, %s) = %q, want %q", c.in, c.rules, got, c.want)
		}
	}
}

func TestAnswerScores(t *testing.T) {
	for _, c := range []struct {
		pred, gold string
		rules      AnswerRules
		em, f1     float64
	}{
		{"Denver Broncos.", "denver broncos", SQuADRules, 1, 1},       // punctuation and case only
		{"the big red dog", "red dog barked", SQuADRules, 0, 2.0 / 3}, // p = r = 2/3
		{"x x y", "x y y", SQuADRules, 0, 2.0 / 3},                    // shared with multiplicity: 2
		{"broncos", "Denver Broncos", SQuADRules, 0, 2.0 / 3},         // p = 1, r = 1/2
		{"", "Denver", SQuADRules, 0, 0},                              // empty prediction
		{"", "the", SQuADRules, 1, 0},                                 // both normalise to "": EM 1, F1 0
		{"北京大学", "北京", ChineseRules, 0, 2.0 / 3},                      // characters: p = 1/2, r = 1
		{"北京。", "北京", ChineseRules, 1, 1},
	} {
		if em := AnswerExactMatch(c.pred, c.gold, c.rules); em != c.em {
			t.Errorf("EM(%q, %q) = %v, want %v", c.pred, c.gold, em, c.em)
		}
		if f1 := AnswerF1(c.pred, c.gold, c.rules); math.Abs(f1-c.f1) > 1e-12 {
			t.Errorf("F1(%q, %q) = %v, want %v", c.pred, c.gold, f1, c.f1)
		}
	}
}

func TestQAScores(t *testing.T) {
	gold := []QAGold{
		{ID: "q1", Answers: []string{"Denver Broncos", "The Broncos", "Broncos"}}, // several golds
		{ID: "q2", Answers: []string{"Santa Clara, California"}},
		{ID: "q3", Answers: []string{"February 7, 2016"}}, // unanswered
	}
	pred := map[string]string{"q1": "the Broncos!", "q2": "Santa Clara", "extra": "ignored"}
	r, err := QAScores(pred, gold, SQuADRules)
	if err != nil {
		t.Fatal(err)
	}
	// q1: EM 1 (against "The Broncos" and "Broncos"), F1 1. q2: EM 0, F1 with p = 1, r = 2/3:
	// 0.8. q3: 0 and 0.
	wantEM, wantF1 := 1.0/3, (1+0.8)/3
	if math.Abs(r.ExactMatch-wantEM) > 1e-9 || math.Abs(r.F1-wantF1) > 1e-9 || r.Total != 3 || r.Answered != 2 {
		t.Errorf("QAScores = EM %v, F1 %v, %d/%d answered; want %v, %v, 2/3", r.ExactMatch, r.F1, r.Answered, r.Total, wantEM, wantF1)
	}
	if len(r.PerQuestionF1) != 3 || math.Abs(r.PerQuestionF1[1]-0.8) > 1e-12 || r.PerQuestionEM[2] != 0 {
		t.Errorf("per question: EM %v, F1 %v", r.PerQuestionEM, r.PerQuestionF1)
	}
	if _, err := QAScores(pred, []QAGold{{ID: "q9"}}, SQuADRules); err == nil {
		t.Error("a question without gold answers: no error")
	}
	if _, err := QAScores(pred, nil, SQuADRules); err == nil {
		t.Error("no gold questions: no error")
	}
}

// TestAnswerScoresAgainstScripts compares with the scripts' own definitions, run in Python
// on 400 random strings of articles, punctuation, white space and case corners
// (testdata/squad_cases.py writes testdata/squad_cases.json).
func TestAnswerScoresAgainstScripts(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "squad_cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		P, G, Ns, Nz     string
		Em, F1, Emz, F1z float64
	}
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 400 {
		t.Fatalf("%d cases, want 400", len(cases))
	}
	for _, c := range cases {
		for _, r := range []struct {
			rules  AnswerRules
			norm   string
			em, f1 float64
		}{{SQuADRules, c.Ns, c.Em, c.F1}, {ChineseRules, c.Nz, c.Emz, c.F1z}} {
			if got := NormalizeAnswer(c.P, r.rules); got != r.norm {
				t.Errorf("%s: NormalizeAnswer(%q) = %q, the script %q", r.rules, c.P, got, r.norm)
			}
			em, f1 := AnswerExactMatch(c.P, c.G, r.rules), AnswerF1(c.P, c.G, r.rules)
			if em != r.em || math.Abs(f1-r.f1) > 1e-9 {
				t.Errorf("%s: %q vs %q: EM %v F1 %v, the script %v %v", r.rules, c.P, c.G, em, f1, r.em, r.f1)
			}
		}
	}
}
