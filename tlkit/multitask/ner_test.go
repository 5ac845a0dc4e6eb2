package multitask_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/multitask"
)

// TestNER tags toy locations with NER and writes the test predictions as conlleval's input.
func TestNER(t *testing.T) {
	enc := tinyBERT(t)
	ner, _ := toyTasks(120, 5)
	opts := toyOptions()
	opts.NoCheckpoint = true
	res, err := multitask.NER(enc, ner, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Tasks) != 1 || res.Tasks[0].Entities == nil {
		t.Fatalf("%d tasks, entities %v; want one task with entity scores", len(res.Tasks), res.Tasks[0].Entities)
	}
	tr := res.Tasks[0]
	if tr.Entities.F1 < 0.8 {
		t.Errorf("toy NER: test entity F1 %.3f, want ≥ 0.8 (the locations are fixed words)", tr.Entities.F1)
	}
	path := filepath.Join(t.TempDir(), "out", "pred.txt")
	if err := multitask.WritePredictions(path, ner.Test, tr.TestTags); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sentences := strings.Split(strings.TrimSuffix(string(raw), "\n\n"), "\n\n")
	if len(sentences) != len(ner.Test) {
		t.Fatalf("%d sentences written, want %d", len(sentences), len(ner.Test))
	}
	first := strings.Split(sentences[0], "\n")
	want := ner.Test[0].Tokens[0] + " " + ner.Test[0].Tags[0] + " " + tr.TestTags[0][0]
	if len(first) != len(ner.Test[0].Tokens) || first[0] != want {
		t.Errorf("first sentence %q, want %d lines starting %q", first, len(ner.Test[0].Tokens), want)
	}
	t.Logf("toy NER: entity F1 %.3f on %d test sentences", tr.Entities.F1, len(ner.Test))

	if _, err := multitask.NER(enc, &data.TokenClassification{Name: "empty"}, opts); err == nil || !strings.Contains(err.Error(), "no training sentences") {
		t.Errorf("empty dataset: error %v, want one about training sentences", err)
	}
	if err := multitask.WritePredictions(path, ner.Test, tr.TestTags[1:]); err == nil || !strings.Contains(err.Error(), "predicted sentences") {
		t.Errorf("too few predictions: error %v, want one counting them", err)
	}
}
