package finetune

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/ml/model"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/bert"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/train"
)

var ftWords = []string{"the", "cat", "sat", "on", "mat", "dog", "a", "hello", "world", "run", "play", "blue", "big", "small"}

// tinyBERT returns a random 2-layer, 32-wide BERT over a 30-token vocabulary.
func tinyBERT(t *testing.T) *bert.Model {
	t.Helper()
	vocab := append([]string{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "red"}, ftWords...)
	path := filepath.Join(t.TempDir(), "vocab.txt")
	if err := os.WriteFile(path, []byte(strings.Join(vocab, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := bert.BaseConfig()
	cfg.VocabSize, cfg.HiddenSize, cfg.NumHiddenLayers, cfg.NumAttentionHeads = 30, 32, 2, 2
	cfg.IntermediateSize, cfg.MaxPositionEmbeddings = 64, 24
	m, err := bert.New(cfg, path, 1)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// redTask: label 1 iff the text contains "red".
func redTask(n int, seed uint64) *data.TextClassification {
	rng := rand.New(rand.NewPCG(seed, 3))
	split := func(n int) []data.Example {
		out := make([]data.Example, n)
		for i := range out {
			words := make([]string, 3+rng.IntN(6))
			for j := range words {
				words[j] = ftWords[rng.IntN(len(ftWords))]
			}
			label := i % 2
			if label == 1 {
				words[rng.IntN(len(words))] = "red"
			}
			out[i] = data.Example{Text: strings.Join(words, " "), Label: label}
		}
		return out
	}
	return &data.TextClassification{Name: "red", Labels: []string{"no", "yes"}, Train: split(n), Dev: split(n / 2), Test: split(n / 2)}
}

func quickOptions(t *testing.T) Options {
	opts := DefaultOptions()
	opts.LearningRate, opts.Epochs, opts.BatchSize, opts.Warmup = 3e-3, 2, 16, 0.1
	opts.CheckpointDir, opts.Progress = filepath.Join(t.TempDir(), "ckpt"), train.NoProgress()
	return opts
}

func variableBytes(t *testing.T, v *model.Variable) []byte {
	t.Helper()
	var out []byte
	if err := v.MustValue().ConstBytes(func(b []byte) { out = slices.Clone(b) }); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestFineTuneFreezePolicies(t *testing.T) {
	enc := tinyBERT(t)
	task := redTask(64, 1)
	layers := enc.Layers() // embeddings, layer_0, layer_1, pooler.
	original := map[string][]byte{}
	for _, l := range layers {
		for _, v := range l.Variables {
			original[v.Path()] = variableBytes(t, v)
		}
	}
	for _, tc := range []struct {
		freeze Freeze
		frozen []bool // Per layer.
	}{
		{FreezeNone, []bool{false, false, false, false}},
		{FreezeEmbeddings, []bool{true, false, false, false}},
		{FreezeBottom(1), []bool{true, true, false, false}},
		{FreezeAllButHead, []bool{true, true, true, true}},
	} {
		opts := quickOptions(t)
		opts.Freeze, opts.Epochs = tc.freeze, 1
		res, err := Run(enc, task, opts)
		if err != nil {
			t.Fatalf("%s: %v", tc.freeze, err)
		}
		for i, l := range layers {
			changed := 0
			for _, v := range l.Variables {
				if !slices.Equal(variableBytes(t, res.Store().GetVariable(v.Path())), original[v.Path()]) {
					changed++
				}
			}
			if tc.frozen[i] && changed > 0 {
				t.Errorf("%s: frozen layer %s: %d of %d variables changed", tc.freeze, l.Name, changed, len(l.Variables))
			}
			// Every variable of a trained layer gets a gradient, except the [PAD] row of the
			// embeddings; compare whole variables: at least most change.
			if !tc.frozen[i] && changed < len(l.Variables)/2 {
				t.Errorf("%s: trained layer %s: only %d of %d variables changed", tc.freeze, l.Name, changed, len(l.Variables))
			}
		}
		head := res.Store().GetVariable(classifierScope + "/output/weights")
		if head == nil || !head.Trainable {
			t.Errorf("%s: no trainable head", tc.freeze)
		}
	}
	// The encoder itself is untouched.
	for _, l := range layers {
		for _, v := range l.Variables {
			if !slices.Equal(variableBytes(t, v), original[v.Path()]) {
				t.Errorf("FineTune changed the encoder's own %s", v.Path())
			}
		}
	}
}

func TestFineTuneLearnsDeterministicallyAndResumes(t *testing.T) {
	enc := tinyBERT(t)
	task := redTask(160, 2)
	opts := quickOptions(t)
	opts.Epochs, opts.LayerDecay, opts.Hidden, opts.Pooling = 6, 0.8, 16, encoder.PoolMean
	r1, err := Run(enc, task, opts)
	if err != nil {
		t.Fatal(err)
	}
	if r1.DevAccuracy < 0.8 || r1.TestAccuracy < 0.75 {
		t.Errorf("dev %.3f, test %.3f accuracy on a task decided by one word; want ≥ 0.8 / 0.75 (loss %v)",
			r1.DevAccuracy, r1.TestAccuracy, r1.History.Loss)
	}
	if len(r1.TestPredictions) != len(task.Test) || len(r1.History.Evals) != 6 {
		t.Errorf("%d test predictions, %d evaluations; want %d and 6", len(r1.TestPredictions), len(r1.History.Evals), len(task.Test))
	}
	// Same seed, fresh checkpoint dir: bit-identical.
	opts2 := opts
	opts2.CheckpointDir = filepath.Join(t.TempDir(), "other")
	r2, err := Run(enc, task, opts2)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r1.History.Loss, r2.History.Loss) || !slices.Equal(r1.TestPredictions, r2.TestPredictions) {
		t.Errorf("two runs with the same seed differ")
	}
	for v := range r1.Store().IterVariables() {
		if !slices.Equal(variableBytes(t, v), variableBytes(t, r2.Store().GetVariable(v.Path()))) {
			t.Errorf("variable %s differs between two runs with the same seed", v.Path())
		}
	}
	// Resume of the finished run: restored, same results.
	r3, err := Run(enc, task, opts)
	if err != nil {
		t.Fatal(err)
	}
	if r3.DevAccuracy != r1.DevAccuracy || !slices.Equal(r3.TestPredictions, r1.TestPredictions) || r3.TrainTime > r1.TrainTime/2 {
		t.Errorf("resumed finished run: dev %v test preds equal %v train time %v (first %v); want the same results, no training",
			r3.DevAccuracy, slices.Equal(r3.TestPredictions, r1.TestPredictions), r3.TrainTime, r1.TrainTime)
	}
	pred, err := r1.Predict([]string{"the red cat", "the cat sat"})
	if err != nil || len(pred) != 2 {
		t.Errorf("Predict: %v, %v", pred, err)
	}
}

func TestFineTuneGradualUnfreezingFirstEpochTrainsHeadOnly(t *testing.T) {
	enc := tinyBERT(t)
	opts := quickOptions(t)
	opts.Epochs, opts.GradualUnfreezing = 1, true
	res, err := Run(enc, redTask(32, 3), opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range enc.Layers() {
		for _, v := range l.Variables {
			if !slices.Equal(variableBytes(t, v), variableBytes(t, res.Store().GetVariable(v.Path()))) {
				t.Errorf("gradual unfreezing, epoch 1: encoder variable %s changed", v.Path())
			}
		}
	}
}

func TestFineTuneErrors(t *testing.T) {
	enc := tinyBERT(t)
	task := redTask(16, 1)
	opts := quickOptions(t)
	opts.Freeze = FreezeBottom(3)
	if _, err := Run(enc, task, opts); err == nil || !strings.Contains(err.Error(), "FreezeAllButHead") {
		t.Errorf("FreezeBottom(3) of 4 layers: %v", err)
	}
	bad := *task
	bad.Train = append([]data.Example{{Text: "cat", Label: 5}}, task.Train...)
	if _, err := Run(enc, &bad, quickOptions(t)); err == nil || !strings.Contains(err.Error(), "label 5") {
		t.Errorf("label out of range: %v", err)
	}
}
