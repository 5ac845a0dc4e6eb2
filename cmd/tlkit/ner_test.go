package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/bert"
	"github.com/nlp-transfer/gotl/tlkit/metrics"
)

// toyTagWords are the words of the toy tagging files: "paris" and "rome" are locations, "bob"
// a person, "new york" a two-word location.
var toyTagWords = []string{"the", "cat", "sat", "on", "mat", "new", "york", "bob", "paris", "rome", "dog", "ran"}

// toyTaggerBERTDir saves a random 1-layer, 16-wide BERT over the toy words (and extra ones) in
// a temporary folder, for "--encoder bert:DIR".
func toyTaggerBERTDir(t *testing.T, extra ...string) string {
	t.Helper()
	dir := t.TempDir()
	vocab := filepath.Join(dir, "vocab.txt")
	words := append(append([]string{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}, extra...), toyTagWords...)
	if err := os.WriteFile(vocab, []byte(strings.Join(words, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := bert.BaseConfig()
	cfg.VocabSize, cfg.HiddenSize, cfg.NumHiddenLayers, cfg.NumAttentionHeads = len(words), 16, 1, 2
	cfg.IntermediateSize, cfg.MaxPositionEmbeddings = 32, 16
	m, err := bert.New(cfg, vocab, 1)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "bert")
	if err := m.Save(out); err != nil {
		t.Fatal(err)
	}
	return out
}

// writeCoNLL writes n random toy sentences as a CoNLL file (`token POS TAG`), in IOB2 or IOB1.
func writeCoNLL(t *testing.T, dir, name string, n int, seed uint64, iob1 bool) string {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 9))
	var b strings.Builder
	for range n {
		var tokens, tags []string
		for range 3 + rng.IntN(5) {
			switch w := toyTagWords[rng.IntN(len(toyTagWords))]; w {
			case "new":
				tokens, tags = append(tokens, "new", "york"), append(tags, "B-LOC", "I-LOC")
			case "paris", "rome":
				tokens, tags = append(tokens, w), append(tags, "B-LOC")
			case "bob":
				tokens, tags = append(tokens, w), append(tags, "B-PER")
			default:
				tokens, tags = append(tokens, w), append(tags, "O")
			}
		}
		if iob1 {
			tags, _ = metrics.Convert(tags, metrics.IOB1)
		}
		for i := range tokens {
			fmt.Fprintf(&b, "%s X %s\n", tokens[i], tags[i])
		}
		b.WriteString("\n")
	}
	return writeFile(t, dir, name, b.String())
}

func TestNERCommandBadFlags(t *testing.T) {
	dir := t.TempDir()
	train, test := writeCoNLL(t, dir, "train.conll", 10, 1, false), writeCoNLL(t, dir, "test.conll", 4, 2, false)
	files := []string{"--train", train, "--test", test}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--train", train}, "no data"},
		{[]string{"--dataset", "conll2003", "--train", train, "--test", test}, "either --dataset"},
		{[]string{"--dataset", "ontonotes"}, `unknown token classification dataset "ontonotes"`},
		{append([]string{"--lr", "0"}, files...), "--lr 0"},
		{append([]string{"--batch", "0"}, files...), "--batch 0"},
		{append([]string{"--steps", "-1"}, files...), "--steps -1"},
		{append([]string{"--dropout", "1"}, files...), "--dropout 1"},
		{append([]string{"--out", filepath.Join(dir, "nope", "x.json")}, files...), "does not exist"},
		{[]string{"--train", train, "--test", filepath.Join(dir, "missing.conll")}, "missing.conll"},
		{[]string{"--train", writeFile(t, dir, "bad.conll", "a O\nb c O\n"), "--test", test}, "bad.conll:2"},
		{[]string{"stray"}, "unexpected arguments"},
	} {
		err := nerCommand(c.args, &bytes.Buffer{}, &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want one containing %q", c.args, err, c.want)
		}
	}
	if err := nerCommand([]string{"-h"}, &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
		t.Errorf("-h: %v", err)
	}
}

// TestNERCommandTinyBERT trains a tiny BERT tagger on IOB1 files (a few seconds) and checks
// the JSON against the predictions file, scored again here.
func TestNERCommandTinyBERT(t *testing.T) {
	dir := t.TempDir()
	train := writeCoNLL(t, dir, "train.conll", 240, 1, true)
	test := writeCoNLL(t, dir, "test.conll", 40, 2, true)
	out, pred := filepath.Join(dir, "ner.json"), filepath.Join(dir, "pred.txt")
	var stdout, stderr bytes.Buffer
	args := []string{"--encoder", "bert:" + toyTaggerBERTDir(t), "--train", train, "--test", test, "--steps", "150",
		"--batch", "8", "--lr", "3e-3", "--head-lr", "1e-2", "--eval-every", "50", "--checkpoint", filepath.Join(dir, "ckpt"),
		"--out", out, "--predictions", pred}
	if err := nerCommand(args, &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var r entityResult
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	for _, key := range []string{"f1", "precision", "recall", "per_type", "n_test", "scheme"} {
		if _, ok := m[key]; !ok {
			t.Errorf("the JSON lacks %q", key)
		}
	}
	if r.Scheme != "IOB1" || r.NTest != 40 || r.Steps != 150 || len(r.PerType) != 2 || r.PerType[0].Type != "LOC" {
		t.Errorf("result %+v: want scheme IOB1, 40 test sentences, 150 steps, types LOC and PER", r)
	}
	if r.F1 < 0.8 {
		t.Errorf("test F1 %.3f: the tagger did not learn the toy entities\n%s", r.F1, stdout.String())
	}
	// Score the predictions file again: the same F1.
	sentences, err := data.LoadCoNLLFile(pred)
	if err != nil {
		t.Fatal(err)
	}
	var gold, predicted [][]string
	content, _ := os.ReadFile(pred)
	blocks := strings.Split(strings.TrimSpace(string(content)), "\n\n")
	for _, block := range blocks {
		var g, p []string
		for _, line := range strings.Split(block, "\n") {
			cols := strings.Fields(line)
			g, p = append(g, cols[1]), append(p, cols[2])
		}
		gold, predicted = append(gold, g), append(predicted, p)
	}
	again, err := metrics.EntityF1(predicted, gold, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(sentences) != 40 || again.F1 != r.F1 || again.Precision != r.Precision {
		t.Errorf("predictions file: %d sentences, F1 %g; the JSON says %g", len(sentences), again.F1, r.F1)
	}
	if !strings.Contains(stdout.String(), "| **overall** |") {
		t.Errorf("no entity table on stdout:\n%s", stdout.String())
	}
}
