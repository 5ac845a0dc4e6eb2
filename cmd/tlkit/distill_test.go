package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nlp-transfer/gotl/tlkit/bert"
)

// "tlkit distill" trains a character-level student as wide as the teacher and saves it;
// "tlkit retrieve" scores it both ways and writes the JSON the issue names.
func TestDistillAndRetrieveCommands(t *testing.T) {
	dir := t.TempDir()
	teacher := "bert:" + tinyBERTDir(t) // 32 wide
	var b strings.Builder
	words := []string{"red", "blue", "green", "cat", "dog", "bird"}
	chars := []string{"红", "蓝", "绿", "猫", "狗", "鸟"}
	for i := range 9 {
		fmt.Fprintf(&b, "%s %s\t%s%s\n", words[i%3], words[3+i/3%3], chars[i%3], chars[3+i/3%3])
	}
	pairs := filepath.Join(dir, "pairs.tsv")
	if err := os.WriteFile(pairs, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "student")
	var stdout, stderr bytes.Buffer
	args := []string{"--pairs", pairs, "--teacher", teacher, "--out", out, "--layers", "1", "--heads", "2", "--intermediate", "32",
		"--seq-len", "16", "--epochs", "2", "--batch", "4", "--dev-pairs", "3", "--char-vocab", "1"}
	if err := distillCommand(args, &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "dev retrieval target→source") || !strings.Contains(stdout.String(), "6 training pairs") {
		t.Errorf("distill output:\n%s", stdout.String())
	}
	m, err := bert.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, "train")); !os.IsNotExist(err) {
		t.Errorf("the default training state %s/train is still there after the student was saved (%v)", out, err)
	}
	if m.Dim() != 32 || m.Config().NumHiddenLayers != 1 {
		t.Errorf("student %d wide with %d layers, want 32 and 1", m.Dim(), m.Config().NumHiddenLayers)
	}
	result := filepath.Join(dir, "retrieval.json")
	stdout.Reset()
	if err := retrieveCommand([]string{"--encoder", "bert:" + out, "--teacher", teacher, "--pairs", pairs, "--out", result}, &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	raw, err := os.ReadFile(result)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"accuracy_zh_to_en", "accuracy_en_to_zh", "n_pairs"} {
		if _, ok := got[k]; !ok {
			t.Errorf("result lacks %q: %s", k, raw)
		}
	}
	if got["n_pairs"] != float64(9) || !strings.Contains(stdout.String(), "9 pairs: target→source") {
		t.Errorf("result %s, output %s", raw, stdout.String())
	}

	for _, c := range []struct {
		cmd  func([]string, *bytes.Buffer, *bytes.Buffer) error
		args []string
		want string
	}{
		{func(a []string, o, e *bytes.Buffer) error { return distillCommand(a, o, e) }, []string{"--pairs", pairs}, "--out DIR is required"},
		{func(a []string, o, e *bytes.Buffer) error { return distillCommand(a, o, e) }, []string{"--out", out}, "--pairs FILE"},
		{func(a []string, o, e *bytes.Buffer) error { return distillCommand(a, o, e) }, []string{"--dataset", "de_en", "--out", out}, `no translation dataset "de_en"`},
		{func(a []string, o, e *bytes.Buffer) error { return distillCommand(a, o, e) },
			[]string{"--pairs", pairs, "--teacher", teacher, "--from", out, "--out", filepath.Join(dir, "s2"), "--epochs", "1", "--dev-pairs", "0"}, ""},
		{func(a []string, o, e *bytes.Buffer) error { return retrieveCommand(a, o, e) }, []string{"--pairs", pairs}, "--encoder SPEC is required"},
		{func(a []string, o, e *bytes.Buffer) error { return retrieveCommand(a, o, e) }, []string{"--encoder", "use-lite", "--teacher", teacher, "--pairs", filepath.Join(dir, "none.tsv")}, "--pairs"},
	} {
		err := c.cmd(c.args, &stdout, &stderr)
		if c.want == "" {
			if err != nil {
				t.Errorf("%v: %v", c.args, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want one containing %q", c.args, err, c.want)
		}
	}
}
