package uselite_test

import (
	"math"
	"slices"
	"testing"

	"github.com/gomlx/gomlx/core/tensors"

	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/uselite"
)

// embedAll embeds texts with a new Runner of enc.
func embedAll(t *testing.T, enc encoder.Encoder, texts []string) [][]float32 {
	t.Helper()
	backend, err := testBackend()
	if err != nil {
		t.Fatal(err)
	}
	vecs, err := encoder.NewRunner(backend, enc).Embed(texts, encoder.PoolNative)
	if err != nil {
		t.Fatal(err)
	}
	return vecs
}

func TestScratch(t *testing.T) {
	pretrained, _ := loadTestModel(t)
	dir := modelDistDir(t)
	a, err := uselite.NewScratch(dir, 1)
	if err != nil {
		t.Fatal(err)
	}
	if a.Name() != "use-lite-scratch:seed=1" || a.Config != pretrained.Config {
		t.Errorf("scratch model: name %q, config %+v; want \"use-lite-scratch:seed=7\" and %+v", a.Name(), a.Config, pretrained.Config)
	}
	texts := []string{"The cat sat on the mat.", "Stocks fell sharply on Monday.", "I loved this film!", "a"}
	ids, err := a.Tokenize(texts)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := pretrained.Tokenize(texts)
	for i := range ids {
		if !slices.Equal(ids[i], want[i]) {
			t.Errorf("text %d: scratch tokens %v, pretrained %v", i, ids[i], want[i])
		}
	}

	// Same variables, same shapes, same trainable flags as the pretrained model.
	if a.Store().NumVariables() != pretrained.Store().NumVariables() {
		t.Errorf("scratch store has %d variables, pretrained %d", a.Store().NumVariables(), pretrained.Store().NumVariables())
	}
	for v := range pretrained.Store().IterVariables() {
		s := a.Store().GetVariable(v.Path())
		if s == nil {
			t.Errorf("scratch model has no variable %s", v.Path())
			continue
		}
		if !s.Shape().Equal(v.Shape()) || s.Trainable != v.Trainable {
			t.Errorf("%s: scratch %s (trainable %v), pretrained %s (trainable %v)", v.Path(), s.Shape(), s.Trainable, v.Shape(), v.Trainable)
		}
	}
	if !slices.Equal(encoder.LayerNames(a), encoder.LayerNames(pretrained)) {
		t.Errorf("scratch layers %v, pretrained %v", encoder.LayerNames(a), encoder.LayerNames(pretrained))
	}

	checkScratchInit(t, a, pretrained)

	// Deterministic for a seed; another seed gives other vectors.
	b, err := uselite.NewScratch(dir, 1)
	if err != nil {
		t.Fatal(err)
	}
	c, err := uselite.NewScratch(dir, 2)
	if err != nil {
		t.Fatal(err)
	}
	va, vb, vc := embedAll(t, a, texts), embedAll(t, b, texts), embedAll(t, c, texts)
	for i := range texts {
		if len(va[i]) != a.Dim() {
			t.Fatalf("text %d: %d dims, want %d", i, len(va[i]), a.Dim())
		}
		for _, x := range va[i] {
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
				t.Fatalf("text %d: non-finite output %v", i, va[i])
			}
		}
		if d := maxAbsDiff(va[i], vb[i]); d != 0 {
			t.Errorf("text %d: two scratch models of seed 1 differ by %g", i, d)
		}
		if d := maxAbsDiff(va[i], vc[i]); d < 1e-3 {
			t.Errorf("text %d: seeds 1 and 2 give vectors within %g", i, d)
		}
		if i > 0 {
			if d := maxAbsDiff(va[i], va[0]); d < 1e-3 {
				t.Errorf("texts 0 and %d: scratch vectors within %g", i, d)
			}
		}
	}
}

// checkScratchInit checks the initial values of the scratch model m against the documented
// initialisation.
func checkScratchInit(t *testing.T, m, pretrained *uselite.Model) {
	t.Helper()
	for v := range m.Store().IterVariables() {
		values := tensors.MustCopyFlatData[float32](v.MustValue())
		mean, sq := 0.0, 0.0
		for _, x := range values {
			mean += float64(x)
			sq += float64(x) * float64(x)
		}
		mean /= float64(len(values))
		std := math.Sqrt(sq/float64(len(values)) - mean*mean)
		dims := v.Shape().Dimensions
		switch v.Name() {
		case "timing_inv_timescales":
			want := tensors.MustCopyFlatData[float32](pretrained.Store().GetVariable(v.Path()).MustValue())
			if !slices.Equal(values, want) {
				t.Errorf("%s differs from the pretrained constant", v.Path())
			}
		case "token_embeddings":
			wantStd := 1 / math.Sqrt(float64(dims[1]))
			if math.Abs(mean) > 0.01*wantStd || math.Abs(std/wantStd-1) > 0.01 {
				t.Errorf("%s: mean %g, std %g, want normal(0, %g)", v.Path(), mean, std, wantStd)
			}
		case "weights":
			limit := math.Sqrt(6 / float64(dims[0]+dims[1]))
			for _, x := range values {
				if math.Abs(float64(x)) > limit {
					t.Fatalf("%s: value %g outside the Glorot limit ±%g", v.Path(), x, limit)
				}
			}
			// Uniform on ±limit: std limit/sqrt(3).
			if wantStd := limit / math.Sqrt(3); math.Abs(std/wantStd-1) > 0.05 {
				t.Errorf("%s: std %g, want %g", v.Path(), std, wantStd)
			}
		case "gain":
			if mean != 1 || std != 0 {
				t.Errorf("%s: mean %g, std %g, want all ones", v.Path(), mean, std)
			}
		case "biases", "offset":
			if sq != 0 {
				t.Errorf("%s: want all zeros", v.Path())
			}
		default:
			t.Errorf("unexpected variable %s", v.Path())
		}
	}
}
