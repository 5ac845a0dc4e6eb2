package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// squadFile writes a SQuAD v1.1 file of articles, each a list of (context, question,
// answers...) paragraphs, and returns its path. Answer starts are found in the context.
func squadFile(t *testing.T, dir, name string, articles map[string][][]string) string {
	t.Helper()
	type answer struct {
		Text  string `json:"text"`
		Start int    `json:"answer_start"`
	}
	type question struct {
		ID       string   `json:"id"`
		Question string   `json:"question"`
		Answers  []answer `json:"answers"`
	}
	type paragraph struct {
		Context string     `json:"context"`
		QAs     []question `json:"qas"`
	}
	type article struct {
		Title      string      `json:"title"`
		Paragraphs []paragraph `json:"paragraphs"`
	}
	var doc struct {
		Version string    `json:"version"`
		Data    []article `json:"data"`
	}
	doc.Version = "1.1"
	n := 0
	for title, paras := range articles {
		a := article{Title: title}
		for _, p := range paras {
			q := question{ID: fmt.Sprintf("%s-%d", title, n), Question: p[1]}
			n++
			for _, text := range p[2:] {
				start := strings.Index(p[0], text)
				if start < 0 {
					t.Fatalf("answer %q not in %q", text, p[0])
				}
				q.Answers = append(q.Answers, answer{text, len([]rune(p[0][:start]))})
			}
			a.Paragraphs = append(a.Paragraphs, paragraph{Context: p[0], QAs: []question{q}})
		}
		doc.Data = append(doc.Data, a)
	}
	raw, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return writeFile(t, dir, name, string(raw))
}

// TestQAEval scores a predictions file by hand-computed cases: an exact answer, one that
// differs by punctuation and an article only, a partial answer against two gold answers
// (the best counts), and an unanswered question.
func TestQAEval(t *testing.T) {
	if testing.Short() {
		t.Skip("runs tlkit")
	}
	bin := buildTlkit(t)
	dir := t.TempDir()
	gold := squadFile(t, dir, "gold.json", map[string][][]string{"A": {
		{"Denver Broncos won Super Bowl 50.", "Who won?", "Denver Broncos"},
		{"It was held at the Levi's Stadium.", "Where?", "the Levi's Stadium"},
		{"The game was played in Santa Clara, California.", "Which city?", "Santa Clara", "Santa Clara, California"},
		{"The halftime show was by Coldplay.", "Who played?", "Coldplay"},
	}})
	pred := writeFile(t, dir, "pred.json", `{"A-0": "Denver Broncos", "A-1": "Levi's Stadium!", "A-2": "Clara, California, USA", "extra": "x"}`)
	out := filepath.Join(dir, "scores.json")
	o := runTlkitIn(t, bin, freshCache(t), "qa-eval", "--data", gold, "--predictions", pred, "--out", out)
	if o.code != 0 {
		t.Fatalf("%v", o)
	}
	// EM: 1, 1, 0, 0. F1: 1, 1, "clara california usa" vs "santa clara california": 2 of 3
	// tokens each way, F1 2/3; unanswered 0. Means ×100.
	wantEM, wantF1 := 50.0, 100*((1+1+2.0/3+0)/4) // In the order the scorer sums.
	m := readJSONMap(t, out)
	if math.Abs(m["exact_match"].(float64)-wantEM) > 1e-9 || math.Abs(m["f1"].(float64)-wantF1) > 1e-9 ||
		m["n_questions"].(float64) != 4 || m["n_answered"].(float64) != 3 {
		t.Errorf("scores %v, want exact_match %v, f1 %v, 4 questions, 3 answered", m, wantEM, wantF1)
	}
	var printed map[string]float64
	if err := json.Unmarshal([]byte(o.stdout), &printed); err != nil || math.Abs(printed["exact_match"]-wantEM) > 1e-9 ||
		math.Abs(printed["f1"]-wantF1) > 1e-9 {
		t.Errorf("stdout %q (%v), want {\"exact_match\": %v, \"f1\": %v} as the official script prints", o.stdout, err, wantEM, wantF1)
	}
	for _, want := range []string{"1 predictions for questions that", "1 of 4 questions unanswered"} {
		if !strings.Contains(o.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, o.stderr)
		}
	}
}

// TestQACommand trains a span head through the CLI on small SQuAD files and checks the
// result and predictions files.
func TestQACommand(t *testing.T) {
	if testing.Short() {
		t.Skip("runs tlkit")
	}
	bin := buildTlkit(t)
	dir := t.TempDir()
	articles := map[string][][]string{}
	cities := []string{"paris", "london", "berlin", "madrid", "rome", "vienna", "prague", "lisbon"}
	for i, c := range cities {
		title := fmt.Sprintf("T%d", i)
		for j := range 3 {
			other := cities[(i+j+1)%len(cities)]
			articles[title] = append(articles[title], []string{
				fmt.Sprintf("the old city of %s is far from %s and has a river", c, other), "which city is old", c})
		}
	}
	trainPath := squadFile(t, dir, "train.json", articles)
	testPath := squadFile(t, dir, "test.json", map[string][][]string{"X": {
		{"the old city of rome is far from paris and has a river", "which city is old", "rome"},
		{"the old city of lisbon is far from london and has a river", "which city is old", "lisbon"},
	}})
	out, preds := filepath.Join(dir, "result.json"), filepath.Join(dir, "preds.json")
	o := runTlkitIn(t, bin, freshCache(t), "qa", "--encoder", cliGloVe, "--train", trainPath, "--test", testPath,
		"--epochs", "2", "--batch", "4", "--checkpoint", filepath.Join(dir, "ckpt"), "--out", out, "--predictions", preds)
	if o.code != 0 {
		t.Fatalf("%v", o)
	}
	m := readJSONMap(t, out)
	for _, k := range []string{"exact_match", "f1", "n_questions", "dev_f1", "n_train", "n_dev"} {
		if _, ok := m[k]; !ok {
			t.Errorf("result lacks %q: %v", k, m)
		}
	}
	if m["n_questions"].(float64) != 2 || m["n_train"].(float64)+m["n_dev"].(float64) != 24 || m["n_dev"].(float64) < 1 {
		t.Errorf("result counts %v: want 2 test questions and 24 train + dev", m)
	}
	raw, err := os.ReadFile(preds)
	if err != nil {
		t.Fatal(err)
	}
	var answers map[string]string
	if err := json.Unmarshal(raw, &answers); err != nil || len(answers) != 2 || answers["X-0"] == "" && answers["X-1"] == "" {
		t.Errorf("predictions %s (%v): want an answer for X-0 and X-1", raw, err)
	}
	// The predictions file scores the same through qa-eval.
	o = runTlkitIn(t, bin, freshCache(t), "qa-eval", "--data", testPath, "--predictions", preds)
	if o.code != 0 {
		t.Fatalf("%v", o)
	}
	if want := fmt.Sprintf(`{"exact_match": %v, "f1": %v}`, m["exact_match"], m["f1"]); !strings.Contains(o.stdout, want) {
		t.Errorf("qa-eval printed %q, want %q", o.stdout, want)
	}
}
