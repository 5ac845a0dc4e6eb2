package tlkit

import (
	"math"
	"path/filepath"
	"slices"
	"testing"

	"github.com/gomlx/gomlx/ml/model"
	"github.com/nlp-transfer/gotl/internal/testkit"
	"github.com/nlp-transfer/gotl/tlkit/metrics"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/train"
)

// gloveAndSST2Subset returns the real GloVe encoder (20000 words) and an SST-2 subset (400
// train, 100 dev, 300 test sentences), skipping the test when either is unavailable offline.
func gloveAndSST2Subset(t *testing.T) (encoder.Encoder, *data.TextClassification) {
	t.Helper()
	return testkit.GloVe(t, 20000), testkit.SST2Subset(t, 400, 100, 300)
}

// variableBytes returns the raw bytes of v's value.
func variableBytes(t *testing.T, v *model.Variable) []byte {
	t.Helper()
	var out []byte
	if err := v.MustValue().ConstBytes(func(b []byte) { out = slices.Clone(b) }); err != nil {
		t.Fatal(err)
	}
	return out
}

// sameBits reports whether a and b hold the same float32 values bit for bit.
func sameBits(a, b [][]float32) bool {
	return slices.EqualFunc(a, b, func(x, y []float32) bool {
		return slices.EqualFunc(x, y, func(p, q float32) bool { return math.Float32bits(p) == math.Float32bits(q) })
	})
}

// TestFeaturesAndHeadAreDeterministic checks the feature-extraction method end to end on real
// data: the same texts give bit-identical features (computed twice, and read back from the
// cache), and a head trained twice with the same seed gives bit-identical probabilities,
// predictions, dev accuracy and losses; another seed gives another MLP.
func TestFeaturesAndHeadAreDeterministic(t *testing.T) {
	enc, task := gloveAndSST2Subset(t)
	first := make([][][]float32, 3)
	var err error
	if first[0], first[1], first[2], err = ExtractSplits(enc, task, FeatureOptions{CacheDir: NoCache}); err != nil {
		t.Fatal(err)
	}
	cache := FeatureOptions{CacheDir: t.TempDir()}
	for run, opts := range []FeatureOptions{{CacheDir: NoCache}, cache, cache} { // Computed, then cached, then read back.
		tr, dev, test, err := ExtractSplits(enc, task, opts)
		if err != nil {
			t.Fatal(err)
		}
		if !sameBits(tr, first[0]) || !sameBits(dev, first[1]) || !sameBits(test, first[2]) {
			t.Errorf("features of run %d differ from the first run's", run+2)
		}
	}

	trainY, devY, testY := data.Labels(task.Train), data.Labels(task.Dev), data.Labels(task.Test)
	type outcome struct {
		probs      [][]float32
		pred       []int
		dev, test  float64
		loss       []float64
		devHistory []train.Eval
	}
	fit := func(kind HeadKind, seed uint64) outcome {
		opts := DefaultHeadOptions()
		opts.Kind, opts.Seed, opts.Epochs, opts.Hidden = kind, seed, 30, 32
		head, err := TrainHead(first[0], trainY, first[1], devY, opts)
		if err != nil {
			t.Fatal(err)
		}
		probs, err := head.Probabilities(first[2])
		if err != nil {
			t.Fatal(err)
		}
		pred, err := head.Predict(first[2])
		if err != nil {
			t.Fatal(err)
		}
		return outcome{probs, pred, head.DevAccuracy, metrics.Accuracy(pred, testY), head.History.Loss, head.History.Evals}
	}
	var mlp outcome
	for _, kind := range []HeadKind{HeadLogistic, HeadMLP} {
		a, b := fit(kind, 5), fit(kind, 5)
		if !sameBits(a.probs, b.probs) || !slices.Equal(a.pred, b.pred) {
			t.Errorf("%s head: two runs with seed 5 predict differently", kind)
		}
		if a.dev != b.dev || a.test != b.test || !slices.Equal(a.loss, b.loss) || !slices.Equal(a.devHistory, b.devHistory) {
			t.Errorf("%s head: two runs with seed 5 differ: dev %v/%v, test %v/%v, %d/%d losses",
				kind, a.dev, b.dev, a.test, b.test, len(a.loss), len(b.loss))
		}
		if a.test < 0.6 {
			t.Errorf("%s head: test accuracy %.3f on SST-2 GloVe features; want ≥ 0.6", kind, a.test)
		}
		t.Logf("%s head, seed 5: dev %.4f, test %.4f (%d steps), twice", kind, a.dev, a.test, len(a.loss))
		mlp = a
	}
	if c := fit(HeadMLP, 6); sameBits(mlp.probs, c.probs) {
		t.Errorf("mlp head: seeds 5 and 6 give the same probabilities; the seed is not used")
	}
}

// TestFineTuneIsDeterministicOnRealData fine-tunes the real GloVe encoder on SST-2 sentences
// (25 steps) three times with the same seed (twice with the best weights kept in memory, once
// with checkpoints on disk): the losses, dev accuracy, test predictions and weights are
// bit-identical; another seed trains differently.
func TestFineTuneIsDeterministicOnRealData(t *testing.T) {
	if testing.Short() {
		t.Skip("fine-tunes GloVe four times (25 steps each)")
	}
	enc, task := gloveAndSST2Subset(t)
	run := func(seed uint64, checkpoint string) *FineTuneResult {
		opts := DefaultFineTuneOptions()
		opts.Epochs, opts.BatchSize, opts.LearningRate, opts.MaxTokens, opts.Seed = 1, 16, 0.02, 32, seed
		opts.Progress = train.NoProgress()
		if checkpoint == "" {
			opts.NoCheckpoint = true
		} else {
			opts.CheckpointDir = checkpoint
		}
		res, err := FineTune(enc, task, opts)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	a := run(4, "")
	for i, b := range []*FineTuneResult{run(4, ""), run(4, filepath.Join(t.TempDir(), "ckpt"))} {
		if !slices.Equal(a.History.Loss, b.History.Loss) || a.DevAccuracy != b.DevAccuracy ||
			a.TestAccuracy != b.TestAccuracy || !slices.Equal(a.TestPredictions, b.TestPredictions) {
			t.Errorf("run %d with seed 4 differs from the first: dev %v/%v, test %v/%v", i+2, a.DevAccuracy, b.DevAccuracy, a.TestAccuracy, b.TestAccuracy)
		}
		for v := range a.Store().IterVariables() {
			// The in-memory best keeps the model's weights only; the best checkpoint also holds
			// the optimizer's moments of that step.
			if train.IsOptimizerVariable(v) && i == 1 {
				continue
			}
			if !slices.Equal(variableBytes(t, v), variableBytes(t, b.Store().GetVariable(v.Path()))) {
				t.Errorf("run %d with seed 4: variable %s differs from the first run's", i+2, v.Path())
			}
		}
	}
	if c := run(5, ""); slices.Equal(a.History.Loss, c.History.Loss) {
		t.Errorf("seeds 4 and 5 give the same losses; the seed is not used")
	}
	t.Logf("seed 4: dev %.4f, test %.4f after %d steps, three times", a.DevAccuracy, a.TestAccuracy, len(a.History.Loss))
}
