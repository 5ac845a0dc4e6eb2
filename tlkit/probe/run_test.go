package probe_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/internal/testkit"
	"github.com/nlp-transfer/gotl/tlkit/metrics"
	"github.com/nlp-transfer/gotl/tlkit/probe"
)

// toyTask is a two-class task whose classes use different words.
func toyTask(n int) *data.TextClassification {
	words := [2][]string{{"bad", "awful", "poor"}, {"good", "great", "fine"}}
	split := func(n, offset int) []data.Example {
		var out []data.Example
		for i := range n {
			y := i % 2
			w := words[y]
			out = append(out, data.Example{Text: fmt.Sprintf("%s %s", w[(i+offset)%3], w[(i+offset+1)%3]), Label: y})
		}
		return out
	}
	return &data.TextClassification{Name: "toy", Labels: []string{"neg", "pos"}, Train: split(n, 0), Dev: split(n/2, 1), Test: split(n/2, 2)}
}

func TestRun(t *testing.T) {
	enc := testkit.NewToyEncoder(t)
	task := toyTask(40)
	opts := probe.DefaultOptions()
	opts.Features.CacheDir = probe.NoCache
	res, err := probe.Run(enc, task, opts)
	if err != nil {
		t.Fatal(err)
	}
	gold := data.Labels(task.Test)
	if len(res.TestPred) != len(gold) {
		t.Fatalf("%d test predictions for %d test examples", len(res.TestPred), len(gold))
	}
	if acc := metrics.Accuracy(res.TestPred, gold); acc != res.TestAccuracy {
		t.Errorf("TestAccuracy %v, accuracy of TestPred %v", res.TestAccuracy, acc)
	}
	if res.Head.Options.NumClasses != 2 || math.IsNaN(res.DevAccuracy) || res.DevAccuracy != res.Head.DevAccuracy {
		t.Errorf("head of %d classes, dev accuracy %v (head's %v); want 2 classes and the head's dev accuracy",
			res.Head.Options.NumClasses, res.DevAccuracy, res.Head.DevAccuracy)
	}
	pred, err := res.Predict(data.Texts(task.Test))
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(pred) != fmt.Sprint(res.TestPred) {
		t.Errorf("Predict(test texts) = %v, TestPred %v; want equal", pred, res.TestPred)
	}
	t.Logf("toy task: dev %.3f, test %.3f, macro-F1 %.3f", res.DevAccuracy, res.TestAccuracy, res.TestMacroF1)

	// Without dev and test splits: NaN scores, no predictions.
	bare := *task
	bare.Dev, bare.Test = nil, nil
	res, err = probe.Run(enc, &bare, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(res.DevAccuracy) || !math.IsNaN(res.TestAccuracy) || !math.IsNaN(res.TestMacroF1) || res.TestPred != nil {
		t.Errorf("no dev or test: dev %v, test %v, F1 %v, %d predictions; want NaN, NaN, NaN, none",
			res.DevAccuracy, res.TestAccuracy, res.TestMacroF1, len(res.TestPred))
	}
	if _, err := probe.Run(enc, &data.TextClassification{Name: "empty"}, opts); err == nil || !strings.Contains(err.Error(), "no training examples") {
		t.Errorf("empty task: error %v, want one about training examples", err)
	}
}

func TestEmbedChunked(t *testing.T) {
	enc := testkit.NewToyEncoder(t)
	opts := probe.FeatureOptions{CacheDir: probe.NoCache}
	texts := []string{"good great fine good great fine good", "bad"}
	whole, err := probe.Embed(enc, texts, 0, opts)
	if err != nil {
		t.Fatal(err)
	}
	chunked, err := probe.Embed(enc, texts, 3, opts)
	if err != nil {
		t.Fatal(err)
	}
	want, err := probe.ExtractChunkedFeatures(enc, texts, 3, opts)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(chunked) != fmt.Sprint(want) || fmt.Sprint(whole) == fmt.Sprint(chunked) {
		t.Errorf("Embed(3) = %v, ExtractChunkedFeatures = %v, Embed(0) = %v; want the first two equal, the third different",
			chunked, want, whole)
	}
}
