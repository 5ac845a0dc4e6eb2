package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nlp-transfer/gotl/tlkit"
	"github.com/nlp-transfer/gotl/tlkit/bert"
)

// writeText writes a small text of repetitive sentences, in two documents.
func writeText(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	for i := range 120 {
		fmt.Fprintf(&b, "the %s %s on the %s.\n", []string{"cat", "dog", "bird"}[i%3], []string{"sat", "slept", "stood"}[i%4%3], []string{"mat", "rug", "step", "wall"}[i%4])
		if i == 60 {
			b.WriteString("\n")
		}
	}
	path := filepath.Join(dir, "text.txt")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// "tlkit pretrain" trains a tiny BERT on a text file and writes a checkpoint that loads as an
// encoder; a second run with --resume reuses it.
func TestPretrainCommand(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "ckpt")
	args := []string{"--text", writeText(t, dir), "--layers", "1", "--hidden", "16", "--heads", "2", "--intermediate", "32",
		"--seq-len", "16", "--batch", "4", "--steps", "6", "--eval-every", "3", "--checkpoint-every", "3", "--out", out}
	var stdout, stderr bytes.Buffer
	if err := pretrainCommand(context.Background(), args, &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	for _, want := range []string{"checkpoint: " + out + " (trained)", "held-out MLM loss", "tokens/s", "bert:" + out} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, stdout.String())
		}
	}
	enc, err := tlkit.LoadEncoder("bert:"+out, nil)
	if err != nil {
		t.Fatal(err)
	}
	if m, ok := enc.(*bert.Model); !ok || !m.HasMLMHead() || m.Config().NumHiddenLayers != 1 {
		t.Errorf("loaded %T without the expected MLM head and shape", enc)
	}
	stdout.Reset()
	if err := pretrainCommand(context.Background(), append(args, "--resume"), &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "reused") {
		t.Errorf("second run with --resume did not reuse the finished run:\n%s", stdout.String())
	}

	// --from continues that checkpoint on other text, keeping its architecture.
	adapted := filepath.Join(dir, "adapted")
	stdout.Reset()
	stderr.Reset()
	fromArgs := []string{"--text", writeText(t, t.TempDir()), "--from", out, "--seq-len", "16", "--batch", "4", "--steps", "3",
		"--eval-every", "3", "--checkpoint-every", "3", "--out", adapted}
	if err := pretrainCommand(context.Background(), fromArgs, &stdout, &stderr); err != nil {
		t.Fatalf("--from: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "continuing the pretraining of "+out) || !strings.Contains(stdout.String(), "model: 1 layers, hidden 16") {
		t.Errorf("--from output:\n%s\n%s", stderr.String(), stdout.String())
	}
	if err := pretrainCommand(context.Background(), append(fromArgs, "--hidden", "32"), &stdout, &stderr); err == nil || !strings.Contains(err.Error(), "hidden 16") {
		t.Errorf("--from with a different --hidden: error %v, want one naming the checkpoint's hidden 16", err)
	}
}

// --char-vocab pretrains on Chinese text with a vocabulary of its characters: the checkpoint
// reads every character seen twice as itself.
func TestPretrainCommandCharVocab(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "zh.txt")
	var b strings.Builder
	for i := range 80 {
		fmt.Fprintf(&b, "我在%s工作。\n", []string{"北京", "上海", "广州"}[i%3])
	}
	b.WriteString("罕\n")
	if err := os.WriteFile(text, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "ckpt")
	args := []string{"--text", text, "--char-vocab", "2", "--layers", "1", "--hidden", "16", "--heads", "2", "--intermediate", "32",
		"--seq-len", "16", "--batch", "4", "--steps", "3", "--eval-every", "3", "--checkpoint-every", "3", "--out", out}
	var stdout, stderr bytes.Buffer
	if err := pretrainCommand(context.Background(), args, &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	m, err := bert.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	enc, err := m.Tokenizer().Encode("我在北京罕")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(enc.Tokens, " "), "我 在 北 京 [UNK]"; got != want {
		t.Errorf("tokens %q, want %q (罕 occurs once)", got, want)
	}
	if m.VocabSize() > 40 {
		t.Errorf("vocabulary of %d tokens, want the text's characters only", m.VocabSize())
	}
	for _, bad := range [][]string{{"--char-vocab", "2"}, {"--text", text, "--char-vocab", "2", "--vocab", text}, {"--text", text, "--char-vocab", "1000"}} {
		if err := pretrainCommand(context.Background(), append(bad, "--out", t.TempDir()), &stdout, &stderr); err == nil || !strings.Contains(err.Error(), "--char-vocab") {
			t.Errorf("%v: error %v, want one naming --char-vocab", bad, err)
		}
	}
}

func TestPretrainCommandBadFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--corpus", "nope"}, `unknown corpus "nope"`},
		{[]string{"--hidden", "30", "--heads", "4"}, "not a multiple of heads"},
		{[]string{"--steps", "0"}, "must be positive"},
		{[]string{"--text", "/does/not/exist"}, "--text"},
		{[]string{"--checkpoint-every", "0"}, "--checkpoint-every 0"},
		{[]string{"extra"}, "unexpected arguments"},
	} {
		var stdout, stderr bytes.Buffer
		err := pretrainCommand(context.Background(), append(c.args, "--out", t.TempDir()), &stdout, &stderr)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want one containing %q", c.args, err, c.want)
		}
	}
}
