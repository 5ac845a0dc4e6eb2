package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeToyText writes n sentences of the toy words labelled "loc" when they name a location
// and "none" otherwise, as LABEL<TAB>text lines.
func writeToyText(t *testing.T, dir, name string, n, offset int) string {
	t.Helper()
	var b strings.Builder
	for i := range n {
		w := toyTagWords[(i*7+offset)%len(toyTagWords)]
		label := "none"
		if w == "paris" || w == "rome" || w == "new" {
			label = "loc"
		}
		fmt.Fprintf(&b, "%s\tthe cat sat on %s\n", label, w)
	}
	return writeFile(t, dir, name, b.String())
}

func TestMultitaskCommandBadFlags(t *testing.T) {
	dir := t.TempDir()
	conll := writeCoNLL(t, dir, "a.conll", 10, 1, false) + "," + writeCoNLL(t, dir, "b.conll", 4, 2, false)
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "no tasks"},
		{[]string{"--conll", "only-one-file"}, "want TRAIN,TEST"},
		{[]string{"--conll", conll, "--sampling", "uniform"}, `unknown sampling "uniform"`},
		{[]string{"--conll", conll, "--sampling", "temperature", "--temperature", "0"}, "--temperature 0"},
		{[]string{"--conll", conll, "--weights", "1,2"}, "2 weights for 1 tasks"},
		{[]string{"--conll", conll, "--weights", "-1"}, `"-1" is not a positive number`},
		{[]string{"--tasks", "imagenet"}, `unknown text classification dataset "imagenet"`},
		{[]string{"--conll", conll, "--epochs", "0"}, "--epochs 0"},
	} {
		err := multitaskCommand(c.args, &bytes.Buffer{}, &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want one containing %q", c.args, err, c.want)
		}
	}
}

// TestMultitaskCommandTinyBERT trains a tiny BERT on a token task and a sentence task from
// files, round-robin, and checks the JSON.
func TestMultitaskCommandTinyBERT(t *testing.T) {
	dir := t.TempDir()
	conll := writeCoNLL(t, dir, "ner-train.conll", 200, 1, false) + "," + writeCoNLL(t, dir, "ner-test.conll", 30, 2, false)
	text := writeToyText(t, dir, "loc-train.tsv", 200, 0) + "," + writeToyText(t, dir, "loc-test.tsv", 30, 3)
	out := filepath.Join(dir, "mt.json")
	var stdout, stderr bytes.Buffer
	args := []string{"--encoder", "bert:" + toyTaggerBERTDir(t), "--conll", conll, "--text", text, "--sampling", "round-robin",
		"--weights", "1,0.5", "--steps", "120", "--batch", "8", "--lr", "3e-3", "--head-lr", "1e-2", "--eval-every", "40",
		"--checkpoint", filepath.Join(dir, "ckpt"), "--out", out}
	if err := multitaskCommand(args, &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var r multitaskJSON
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatal(err)
	}
	if r.Steps != 120 || r.Sampling != "round-robin" || len(r.Tasks) != 2 {
		t.Fatalf("result %+v: want 120 round-robin steps over 2 tasks", r)
	}
	ner, loc := r.Tasks[0], r.Tasks[1]
	if ner.Name != "ner-train" || ner.Kind != "token" || ner.Steps != 60 || ner.F1 == nil || len(ner.PerType) != 2 || *ner.F1 != ner.Test {
		t.Errorf("token task %+v", ner)
	}
	if loc.Name != "loc-train" || loc.Kind != "sentence" || loc.Steps != 60 || loc.Weight != 0.5 || loc.Accuracy == nil || *loc.Accuracy != loc.Test {
		t.Errorf("sentence task %+v", loc)
	}
	if ner.Test < 0.7 || loc.Test < 0.7 {
		t.Errorf("test scores %.3f (entity F1) and %.3f (accuracy): not learnt\n%s", ner.Test, loc.Test, stdout.String())
	}
	if !strings.Contains(stdout.String(), "| ner-train | token | entity F1 | 60 |") {
		t.Errorf("stdout:\n%s", stdout.String())
	}
}
