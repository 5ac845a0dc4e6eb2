package adapt_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/nlp-transfer/gotl/tlkit/adapt"
)

// shifted returns a two-class problem in 8 dimensions: the class is the sign of feature 0
// (±1.5 plus unit noise); the target domain adds shift to features 1–7 and scales them by 2,
// which the source never shows.
func shifted(n int, target bool, seed uint64) (x [][]float32, y []int) {
	rng := rand.New(rand.NewPCG(seed, 3))
	for range n {
		label := rng.IntN(2)
		row := make([]float32, 8)
		row[0] = float32(3*float64(label) - 1.5 + rng.NormFloat64())
		for j := 1; j < 8; j++ {
			v := rng.NormFloat64()
			if target {
				v = 2*v + 1.5
			}
			row[j] = float32(v)
		}
		x, y = append(x, row), append(y, label)
	}
	return x, y
}

func toyData() adapt.Data {
	sx, sy := shifted(400, false, 1)
	dx, dy := shifted(100, false, 2)
	tx, ty := shifted(400, true, 3)
	return adapt.Data{SourceX: sx, SourceY: sy, SourceDevX: dx, SourceDevY: dy, TargetX: tx, TargetY: ty}
}

func toyOptions(m adapt.Method) adapt.TrainOptions {
	o := adapt.DefaultTrainOptions(m)
	o.Hidden, o.DiscriminatorHidden, o.Steps, o.BatchSize = 16, 16, 300, 32
	o.Dropout, o.WeightDecay = 0.3, 0.01
	if m == adapt.DANN || m == adapt.MMD {
		o.Weight = 1
	}
	return o
}

// linearMMD returns ||mean(a) − mean(b)||².
func linearMMD(a, b [][]float32) float64 {
	s := 0.0
	for j := range a[0] {
		var ma, mb float64
		for _, r := range a {
			ma += float64(r[j])
		}
		for _, r := range b {
			mb += float64(r[j])
		}
		d := ma/float64(len(a)) - mb/float64(len(b))
		s += d * d
	}
	return s
}

func TestTrainEveryMethod(t *testing.T) {
	d := toyData()
	testX, testY := shifted(400, true, 4)
	gaps := map[adapt.Method]float64{}
	for _, m := range adapt.Methods() {
		o := toyOptions(m)
		model, err := adapt.Train(d, o)
		if err != nil {
			t.Fatalf("%s: %v", m, err)
		}
		src, err := model.Accuracy(d.SourceDevX, d.SourceDevY)
		if err != nil {
			t.Fatal(err)
		}
		tgt, err := model.Accuracy(testX, testY)
		if err != nil {
			t.Fatal(err)
		}
		hs, err := model.Features(d.SourceX)
		if err != nil {
			t.Fatal(err)
		}
		ht, err := model.Features(d.TargetX)
		if err != nil {
			t.Fatal(err)
		}
		if len(hs[0]) != o.Hidden {
			t.Errorf("%s: features of width %d, want %d", m, len(hs[0]), o.Hidden)
		}
		gaps[m] = linearMMD(hs, ht)
		t.Logf("%-13s source dev %.3f (kept %.3f), target %.3f, feature mean gap %.4f", m, src, model.SourceDevAccuracy, tgt, gaps[m])
		// The classes are 3σ apart along feature 0 (Bayes accuracy 93%).
		switch {
		case m != adapt.TargetOracle && src < 0.8:
			t.Errorf("%s: source-dev accuracy %.3f, want ≥ 0.8", m, src)
		case m == adapt.TargetOracle && tgt < 0.8:
			t.Errorf("%s: target accuracy %.3f, want ≥ 0.8", m, tgt)
		}
		if len(model.History.Loss) != o.Steps {
			t.Errorf("%s: %d steps, want %d", m, len(model.History.Loss), o.Steps)
		}
	}
	// The adaptation losses pull the target features towards the source's: the distance
	// between the domains' mean features shrinks against training on the source alone.
	for _, m := range []adapt.Method{adapt.MMD, adapt.CORAL, adapt.DANN} {
		if gaps[m] >= gaps[adapt.SourceOnly] {
			t.Errorf("%s: mean-feature gap %.4f, not below source-only's %.4f", m, gaps[m], gaps[adapt.SourceOnly])
		}
	}
}

func TestTrainIsDeterministic(t *testing.T) {
	d := toyData()
	var probs [][]float32
	for range 2 {
		o := toyOptions(adapt.DANN)
		o.Steps = 50
		model, err := adapt.Train(d, o)
		if err != nil {
			t.Fatal(err)
		}
		p, err := model.Probabilities(d.TargetX[:20])
		if err != nil {
			t.Fatal(err)
		}
		probs = append(probs, slices.Concat(p...))
	}
	if !slices.Equal(probs[0], probs[1]) {
		t.Error("two DANN runs with the same seed predict different probabilities")
	}
}

func TestTrainSelectsOnSourceDev(t *testing.T) {
	d := toyData()
	o := toyOptions(adapt.MMD)
	o.Select, o.EvalEvery = adapt.SelectSourceDev, 50
	model, err := adapt.Train(d, o)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(model.History.Evals); n != o.Steps/o.EvalEvery {
		t.Errorf("%d evaluations, want %d", n, o.Steps/o.EvalEvery)
	}
	best := math.Inf(-1)
	for _, e := range model.History.Evals {
		best = max(best, e.Metric)
	}
	got, err := model.Accuracy(d.SourceDevX, d.SourceDevY)
	if err != nil {
		t.Fatal(err)
	}
	if got != best || model.SourceDevAccuracy != best {
		t.Errorf("kept weights score %.3f on source dev (reported %.3f), the best evaluation %.3f", got, model.SourceDevAccuracy, best)
	}
}

func TestTrainRejectsBadInput(t *testing.T) {
	d := toyData()
	bad := []struct {
		name string
		edit func(*adapt.Data, *adapt.TrainOptions)
	}{
		{"no target for DANN", func(d *adapt.Data, o *adapt.TrainOptions) { d.TargetX = nil }},
		{"oracle without target labels", func(d *adapt.Data, o *adapt.TrainOptions) { o.Method, d.TargetY = adapt.TargetOracle, nil }},
		{"ragged target", func(d *adapt.Data, o *adapt.TrainOptions) { d.TargetX = append(d.TargetX, []float32{1}) }},
		{"label count", func(d *adapt.Data, o *adapt.TrainOptions) { d.SourceY = d.SourceY[1:] }},
		{"batch of 1", func(d *adapt.Data, o *adapt.TrainOptions) { o.BatchSize = 1 }},
		{"negative weight", func(d *adapt.Data, o *adapt.TrainOptions) { o.Weight = -1 }},
		{"dev selection without dev", func(d *adapt.Data, o *adapt.TrainOptions) {
			o.Select, d.SourceDevX, d.SourceDevY = adapt.SelectSourceDev, nil, nil
		}},
	}
	for _, tc := range bad {
		dd, o := d, toyOptions(adapt.DANN)
		tc.edit(&dd, &o)
		if _, err := adapt.Train(dd, o); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

func TestParseMethod(t *testing.T) {
	for _, m := range adapt.Methods() {
		got, err := adapt.ParseMethod(m.String())
		if err != nil || got != m {
			t.Errorf("ParseMethod(%q) = %v, %v", m.String(), got, err)
		}
	}
	if _, err := adapt.ParseMethod("dan"); err == nil {
		t.Error(`ParseMethod("dan"): no error`)
	}
}
