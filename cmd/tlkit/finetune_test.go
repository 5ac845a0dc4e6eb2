package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nlp-transfer/gotl/tlkit"
)

func TestParseFreeze(t *testing.T) {
	for in, want := range map[string]string{"none": "none", "embeddings": "embeddings", "bottom:1": "bottom-1",
		"bottom-2": "bottom-2", "all-but-head": "all-but-head"} {
		f, err := parseFreeze(in)
		if err != nil || f.String() != want {
			t.Errorf("parseFreeze(%q) = %v, %v; want %s", in, f, err, want)
		}
	}
	for _, bad := range []string{"top", "bottom:", "bottom:-1", "bottom:x"} {
		if _, err := parseFreeze(bad); err == nil {
			t.Errorf("parseFreeze(%q) accepted", bad)
		}
	}
}

func TestFinetuneCommandBadFlags(t *testing.T) {
	dir := t.TempDir()
	data := []string{"--train", writeLines(t, dir, "train.txt", 20, 0), "--test", writeLines(t, dir, "test.txt", 6, 0)}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--freeze", "top"}, `--freeze "top"`},
		{[]string{"--lr", "0"}, "--lr 0"},
		{[]string{"--batch", "0"}, "--batch 0"},
		{[]string{"--epochs", "-1"}, "--epochs -1"},
		{[]string{"--dropout", "1"}, "--dropout 1"},
		{[]string{"--layer-decay", "2"}, "--layer-decay 2"},
		{[]string{"--max-tokens", "-5"}, "--max-tokens -5"},
		{[]string{"--test", filepath.Join(dir, "missing.txt")}, "missing.txt"},
	} {
		err := finetuneCommand(append(append([]string{}, data...), c.args...), &bytes.Buffer{}, &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want one containing %q", c.args, err, c.want)
		}
	}
}

func TestFinetuneCommandGloVe(t *testing.T) {
	needGloVe(t)
	dir := t.TempDir()
	train := writeLines(t, dir, "train.txt", 40, 0)
	test := writeLines(t, dir, "test.txt", 12, 3)
	out := filepath.Join(dir, "ft.json")
	var stdout, stderr bytes.Buffer
	args := []string{"--encoder", "glove:20000", "--train", train, "--test", test, "--epochs", "2", "--batch", "8",
		"--lr", "0.05", "--checkpoint", filepath.Join(dir, "ckpt"), "--out", out}
	if err := finetuneCommand(args, &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	m := readResult(t, out)
	opts := m["options"].(map[string]any)
	if steps := opts["steps"].(float64); m["n_test"].(float64) != 12 || m["freeze"] != "none" || steps < 8 || steps > 10 {
		t.Errorf("n_test %v, freeze %v, steps %v; want 12, none, 8 to 10 (2 epochs of 36 examples in batches of 8)", m["n_test"], m["freeze"], steps)
	}
	if !strings.Contains(stderr.String(), "step ") {
		t.Errorf("no progress on stderr:\n%s", stderr.String())
	}
}

// TestFinetuneCommandUSELite fine-tunes USE-lite for a handful of steps on tiny files (a few
// seconds), with a frozen bottom, and checks the JSON.
func TestFinetuneCommandUSELite(t *testing.T) {
	store := cliStore()
	store.Offline = true
	if _, err := tlkit.LoadEncoder("use-lite", store); err != nil {
		t.Skipf("USE-lite unavailable (run make setup): %v", err)
	}
	dir := t.TempDir()
	train := writeLines(t, dir, "train.txt", 40, 0)
	test := writeLines(t, dir, "test.txt", 12, 3)
	out := filepath.Join(dir, "ft.json")
	var stdout, stderr bytes.Buffer
	args := []string{"--encoder", "use-lite", "--train", train, "--test", test, "--freeze", "bottom:1", "--max-steps", "4",
		"--batch", "8", "--max-tokens", "16", "--checkpoint", filepath.Join(dir, "ckpt"), "--out", out}
	if err := finetuneCommand(args, &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	m := readResult(t, out)
	opts := m["options"].(map[string]any)
	if m["encoder"] != "use-lite" || m["freeze"] != "bottom-1" || opts["steps"].(float64) != 4 || m["n_test"].(float64) != 12 {
		t.Errorf("encoder %v, freeze %v, steps %v, n_test %v; want use-lite, bottom-1, 4, 12", m["encoder"], m["freeze"], opts["steps"], m["n_test"])
	}
}
