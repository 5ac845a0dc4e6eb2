package probe

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/nlp-transfer/gotl/tlkit/metrics"
)

// blobs returns n vectors of dim values in classes Gaussian blobs (centres ±2 on the first
// axes), with labels.
func blobs(n, dim, classes int, seed uint64) ([][]float32, []int) {
	rng := rand.New(rand.NewPCG(seed, 9))
	x := make([][]float32, n)
	y := make([]int, n)
	for i := range x {
		y[i] = i % classes
		x[i] = make([]float32, dim)
		for j := range x[i] {
			x[i][j] = float32(rng.NormFloat64())
		}
		x[i][y[i]%dim] += 2.5
		x[i][dim-1] = x[i][dim-1]*100 + 50 // A badly scaled noise feature.
	}
	return x, y
}

func TestTrainHeadLogisticAndMLP(t *testing.T) {
	trainX, trainY := blobs(300, 6, 3, 1)
	devX, devY := blobs(150, 6, 3, 2)
	testX, testY := blobs(150, 6, 3, 3)
	for _, kind := range []HeadKind{HeadLogistic, HeadMLP} {
		opts := DefaultHeadOptions()
		opts.Kind, opts.Hidden, opts.Epochs, opts.LearningRate = kind, 16, 30, 1e-2
		h, err := TrainHead(trainX, trainY, devX, devY, opts)
		if err != nil {
			t.Fatal(err)
		}
		acc, err := h.Accuracy(testX, testY)
		if err != nil {
			t.Fatal(err)
		}
		// Bayes accuracy of these blobs is about 0.9.
		if acc < 0.8 || h.DevAccuracy < 0.8 {
			t.Errorf("%s head: test accuracy %.3f, dev %.3f; want ≥ 0.8", kind, acc, h.DevAccuracy)
		}
		probs, err := h.Probabilities(testX[:5])
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range probs {
			sum := float32(0)
			for _, v := range p {
				sum += v
			}
			if len(p) != 3 || sum < 0.999 || sum > 1.001 {
				t.Errorf("%s: probabilities %d = %v, want 3 summing to 1", kind, i, p)
			}
		}
		// Same seed: bit-identical probabilities.
		h2, err := TrainHead(trainX, trainY, devX, devY, opts)
		if err != nil {
			t.Fatal(err)
		}
		probs2, _ := h2.Probabilities(testX[:5])
		for i := range probs {
			if !slices.Equal(probs[i], probs2[i]) {
				t.Errorf("%s: two trainings with the same seed differ: %v vs %v", kind, probs[i], probs2[i])
			}
		}
		if !slices.Equal(h.History.Loss, h2.History.Loss) {
			t.Errorf("%s: loss histories differ between two trainings with the same seed", kind)
		}
	}
}

func TestTrainHeadErrors(t *testing.T) {
	x, y := blobs(20, 3, 2, 1)
	if _, err := TrainHead(x, y[:10], nil, nil, DefaultHeadOptions()); err == nil || !strings.Contains(err.Error(), "20 training vectors for 10 labels") {
		t.Errorf("mismatched labels: %v", err)
	}
	bad := slices.Clone(x)
	bad[4] = []float32{1}
	if _, err := TrainHead(bad, y, nil, nil, DefaultHeadOptions()); err == nil || !strings.Contains(err.Error(), "vector 4") {
		t.Errorf("ragged vectors: %v", err)
	}
	h, err := TrainHead(x, y, nil, nil, HeadOptions{Kind: HeadLogistic, LearningRate: 1e-2, Epochs: 2, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Predict([][]float32{{1, 2}}); err == nil || !strings.Contains(err.Error(), "want 3") {
		t.Errorf("Predict with the wrong width: %v", err)
	}
}

// TestTrainHeadTinyData trains on 60 examples with the default options, where a batch of 64
// makes an epoch a single step: training must still last long enough to learn.
func TestTrainHeadTinyData(t *testing.T) {
	trainX, trainY := blobs(60, 6, 3, 4)
	devX, devY := blobs(30, 6, 3, 5)
	h, err := TrainHead(trainX, trainY, devX, devY, DefaultHeadOptions())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("steps %d, best dev %.3f, evals %d", len(h.History.Loss), h.DevAccuracy, len(h.History.Evals))
	if steps := len(h.History.Loss); steps < minHeadSteps {
		t.Errorf("trained %d steps, want at least %d", steps, minHeadSteps)
	}
	if acc, err := h.Accuracy(trainX, trainY); err != nil || acc < 0.8 {
		t.Errorf("training accuracy %.3f (err %v); want ≥ 0.8", acc, err)
	}
}

// TestTrainHeadSelectMacroF1 checks the epoch selection on dev macro-F1: the same training
// (no early stopping, so both runs visit the same epochs) kept at the best dev accuracy and at
// the best dev macro-F1, on unbalanced classes.
func TestTrainHeadSelectMacroF1(t *testing.T) {
	unbalanced := func(seed uint64) ([][]float32, []int) {
		x, y := blobs(400, 4, 2, seed)
		var ux [][]float32
		var uy []int
		for i := range x {
			if y[i] == 0 || i%8 == 1 { // One class-1 example in eight kept: 1 in 5 overall.
				x[i][1] -= 1.5 // and a weaker signal
				ux, uy = append(ux, x[i]), append(uy, y[i])
			}
		}
		return ux, uy
	}
	trainX, trainY := unbalanced(1)
	devX, devY := unbalanced(2)
	opts := DefaultHeadOptions()
	opts.Epochs, opts.Patience, opts.LearningRate = 20, 0, 3e-3
	byAcc, err := TrainHead(trainX, trainY, devX, devY, opts)
	if err != nil {
		t.Fatal(err)
	}
	opts.SelectMacroF1 = true
	byF1, err := TrainHead(trainX, trainY, devX, devY, opts)
	if err != nil {
		t.Fatal(err)
	}
	f1 := func(h *Head) float64 {
		pred, err := h.Predict(devX)
		if err != nil {
			t.Fatal(err)
		}
		return metrics.Classification(pred, devY, 2).MacroF1
	}
	if byAcc.DevScore != byAcc.DevAccuracy {
		t.Errorf("selected on accuracy: DevScore %v, DevAccuracy %v; want equal", byAcc.DevScore, byAcc.DevAccuracy)
	}
	if got := f1(byF1); byF1.DevScore != got {
		t.Errorf("selected on macro-F1: DevScore %v, but the kept head's dev macro-F1 is %v", byF1.DevScore, got)
	}
	if acc, _ := byF1.Accuracy(devX, devY); acc != byF1.DevAccuracy {
		t.Errorf("selected on macro-F1: DevAccuracy %v, the kept head's %v", byF1.DevAccuracy, acc)
	}
	if f1(byF1) < f1(byAcc) || byF1.DevAccuracy > byAcc.DevAccuracy {
		t.Errorf("macro-F1 %v vs %v, accuracy %v vs %v: each selection must win on its own metric",
			f1(byF1), f1(byAcc), byF1.DevAccuracy, byAcc.DevAccuracy)
	}
}
