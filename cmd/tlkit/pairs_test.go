package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// TestPairFiles checks that TSV files of LABEL<tab>text_a<tab>text_b rows load as a
// sentence-pair task (the test file's pairs relabelled like train's), and that fine-tuning an
// encoder that reads one text at a time refuses them, naming the fix.
func TestPairFiles(t *testing.T) {
	dir := t.TempDir()
	var rows strings.Builder
	for i := range 20 {
		fmt.Fprintf(&rows, "yes\ta red cat %d\tthe cat is red\nno\ta blue dog %d\tthe cat is red\n", i, i)
	}
	f := taskFlags{train: writeFile(t, dir, "train.tsv", rows.String()), test: writeFile(t, dir, "test.tsv", "no\ta dog\ta cat\n")}
	task, err := f.load(1)
	if err != nil {
		t.Fatal(err)
	}
	if !task.IsPairs() || task.Test[0].TextB != "a cat" || task.Labels[task.Test[0].Label] != "no" {
		t.Fatalf("pairs: %v, test %+v", task.IsPairs(), task.Test)
	}
	needGloVe(t)
	var stdout, stderr bytes.Buffer
	err = finetuneCommand([]string{"--encoder", "glove:20000", "--train", f.train, "--test", f.test, "--epochs", "1"}, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "sentence-pair task") {
		t.Errorf("fine-tuning GloVe on pairs: err = %v, want one saying it reads one text at a time", err)
	}
}
