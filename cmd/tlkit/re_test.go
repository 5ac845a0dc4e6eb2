package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/multitask"
)

// writeSemEval writes n toy examples in SemEval-2010 Task 8's format: "bob" and "paris" marked
// are Member-Collection (one of the official relation names, the only ones the Perl scorer
// accepts; bob is e1 in Member-Collection(e1,e2)), other marked pairs Other. It returns the path
// and the "ID<TAB>LABEL" key lines.
func writeSemEval(t *testing.T, dir, name string, n, firstID int, seed uint64) (string, []string) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 4))
	var b strings.Builder
	var key []string
	for i := range n {
		words := make([]string, 4+rng.IntN(4))
		for j := range words {
			words[j] = toyTagWords[rng.IntN(len(toyTagWords))]
			if words[j] == "bob" || words[j] == "paris" {
				words[j] = "cat"
			}
		}
		a := rng.IntN(len(words))
		c := (a + 1 + rng.IntN(len(words)-1)) % len(words)
		label := "Other"
		if rng.IntN(2) == 0 {
			words[a], words[c], label = "bob", "paris", "Member-Collection(e1,e2)"
			if rng.IntN(2) == 0 {
				a, c, label = c, a, "Member-Collection(e2,e1)"
			}
		}
		marked := make([]string, len(words))
		for j, w := range words {
			switch j {
			case a:
				marked[j] = "<e1>" + w + "</e1>"
			case c:
				marked[j] = "<e2>" + w + "</e2>"
			default:
				marked[j] = w
			}
		}
		id := firstID + i
		fmt.Fprintf(&b, "%d\t\"%s .\"\r\n%s\r\nComment:\r\n\r\n", id, strings.Join(marked, " "), label)
		key = append(key, fmt.Sprintf("%d\t%s", id, label))
	}
	return writeFile(t, dir, name, b.String()), key
}

func TestRECommandBadFlags(t *testing.T) {
	dir := t.TempDir()
	train, _ := writeSemEval(t, dir, "train.txt", 10, 1, 1)
	test, _ := writeSemEval(t, dir, "test.txt", 4, 100, 2)
	files := []string{"--train", train, "--test", test}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--train", train}, "no data"},
		{[]string{"--dataset", "semeval2010_task8", "--train", train, "--test", test}, "either --dataset"},
		{[]string{"--dataset", "tacred"}, `no relation dataset "tacred"`},
		{append([]string{"--lr", "0"}, files...), "--lr 0"},
		{append([]string{"--predictions", filepath.Join(dir, "nope", "p.txt")}, files...), "does not exist"},
		{[]string{"--train", train, "--test", filepath.Join(dir, "missing.txt")}, "missing.txt"},
		{[]string{"--train", writeFile(t, dir, "bad.txt", "1\t\"<e1>a</e1> b\"\nOther\n"), "--test", test}, "bad.txt:1: example 1: no <e2>"},
		{[]string{"--train", writeFile(t, dir, "empty.txt", "\n"), "--test", test}, "empty.txt: no examples"},
	} {
		err := reCommand(c.args, &bytes.Buffer{}, &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want one containing %q", c.args, err, c.want)
		}
	}
	if err := reCommand([]string{"-h"}, &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
		t.Errorf("-h: %v", err)
	}
}

// TestRECommandTinyBERT trains a tiny BERT relation classifier on toy SemEval-format files
// (a few seconds), checks the JSON, and scores the predictions file with the official Perl
// scorer where perl and the mirror's scorer are available: the same macro-F1.
func TestRECommandTinyBERT(t *testing.T) {
	dir := t.TempDir()
	train, _ := writeSemEval(t, dir, "train.txt", 320, 1, 1)
	test, key := writeSemEval(t, dir, "test.txt", 80, 1001, 2)
	out, pred := filepath.Join(dir, "re.json"), filepath.Join(dir, "pred.txt")
	var stdout, stderr bytes.Buffer
	args := []string{"--encoder", "bert:" + toyTaggerBERTDir(t, multitask.E1Marker, multitask.E2Marker), "--train", train, "--test", test,
		"--steps", "1500", "--batch", "8", "--lr", "3e-3", "--head-lr", "1e-2", "--eval-every", "300",
		"--checkpoint", filepath.Join(dir, "ckpt"), "--out", out, "--predictions", pred}
	if err := reCommand(args, &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var r relationResult
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatal(err)
	}
	if r.NTest != 80 || r.Steps != 1500 || len(r.Relations) != 2 || r.Relations[0].Relation != "Member-Collection" {
		t.Errorf("result %+v: want 80 test examples, 1500 steps, relations Member-Collection and Other", r)
	}
	if r.MacroF1 < 0.9 {
		t.Errorf("test macro-F1 %.3f: the toy relation was not learnt\n%s", r.MacroF1, stdout.String())
	}
	if !strings.Contains(stdout.String(), "| **macro avg** (official, Other excluded) |") {
		t.Errorf("no relation table on stdout:\n%s", stdout.String())
	}
	predLines, err := os.ReadFile(pred)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(predLines), "\n"); n != 80 {
		t.Fatalf("%d prediction lines, want 80", n)
	}

	perl, err := exec.LookPath("perl")
	mirror := data.FindMirror()
	if err != nil || mirror == "" {
		t.Skip("perl or the dataset mirror missing: the predictions file is not checked with the official scorer")
	}
	keyFile := writeFile(t, dir, "key.txt", strings.Join(key, "\n")+"\n")
	scored, err := exec.Command(perl, filepath.Join(mirror, data.SemEvalScorer), pred, keyFile).CombinedOutput()
	if err != nil {
		t.Fatalf("perl scorer: %v\n%s", err, scored)
	}
	m := regexp.MustCompile(`macro-averaged F1 = ([0-9.]+)%`).FindSubmatch(scored)
	if m == nil {
		t.Fatalf("no official score in:\n%s", scored)
	}
	official, _ := strconv.ParseFloat(string(m[1]), 64)
	if math.Abs(100*r.MacroF1-official) > 0.005+1e-9 {
		t.Errorf("tlkit re macro-F1 %.4f%%, the official scorer on its predictions %.2f%%", 100*r.MacroF1, official)
	}
}
