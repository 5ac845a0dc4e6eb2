package adapt_test

import (
	"math"
	"testing"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/nlp-transfer/gotl/internal/backend"
	"github.com/nlp-transfer/gotl/tlkit/adapt"
)

// exec1 runs fn on args and returns its one output as float64s.
func exec1[F graph.ExecGraphFn](t *testing.T, fn F, args ...any) []float64 {
	t.Helper()
	b, err := backend.Get()
	if err != nil {
		t.Fatal(err)
	}
	outs, err := graph.ExecOnceN(b, fn, args...)
	if err != nil {
		t.Fatal(err)
	}
	flat, err := tensors.CopyFlatData[float32](outs[0])
	if err != nil {
		t.Fatal(err)
	}
	out := make([]float64, len(flat))
	for i, v := range flat {
		out[i] = float64(v)
	}
	return out
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b)) }

func TestGradientReversal(t *testing.T) {
	x := tensors.FromValue([]float32{1, -2, 3})
	// Forward: the identity.
	fwd := exec1(t, func(x *graph.Node) *graph.Node {
		return adapt.GradientReversal(x, graph.Scalar(x.Graph(), x.DType(), 0.7))
	}, x)
	for i, want := range []float64{1, -2, 3} {
		if fwd[i] != want {
			t.Errorf("forward[%d] = %g, want %g", i, fwd[i], want)
		}
	}
	// Backward: d/dx Σ c·GRL(x)² = −λ · 2c·x, for λ 0.7 and 0 (no gradient) and the
	// gradient with respect to x of a loss that does not go through the layer is unchanged.
	for _, lambda := range []float64{0.7, 0, 2} {
		grad := exec1(t, func(x *graph.Node) *graph.Node {
			g := x.Graph()
			c := graph.Const(g, []float32{1, 2, 3})
			y := adapt.GradientReversal(x, graph.Scalar(g, x.DType(), lambda))
			loss := graph.Add(graph.ReduceAllSum(graph.Mul(c, graph.Square(y))), graph.ReduceAllSum(x))
			return graph.Gradient(loss, x)[0]
		}, x)
		for i, xi := range []float64{1, -2, 3} {
			c := float64(i + 1)
			want := -lambda*2*c*xi + 1
			if !near(grad[i], want, 1e-6) {
				t.Errorf("λ=%g: gradient[%d] = %g, want −λ·2c·x + 1 = %g", lambda, i, grad[i], want)
			}
		}
	}
}

func TestDANNLambda(t *testing.T) {
	if got := adapt.DANNLambda(0); got != 0 {
		t.Errorf("DANNLambda(0) = %g, want 0", got)
	}
	// 2/(1+e^-5) - 1 at p = 0.5.
	if got, want := adapt.DANNLambda(0.5), 2/(1+math.Exp(-5))-1; !near(got, want, 1e-12) {
		t.Errorf("DANNLambda(0.5) = %g, want %g", got, want)
	}
	if got := adapt.DANNLambda(1); got < 0.999 || got >= 1 {
		t.Errorf("DANNLambda(1) = %g, want just below 1", got)
	}
	for p := 0.0; p < 1; p += 0.1 {
		if adapt.DANNLambda(p+0.1) <= adapt.DANNLambda(p) {
			t.Errorf("DANNLambda is not increasing at %g", p)
		}
	}
}

// Two small sets whose MMD and CORAL are computed by hand below.
var (
	setS = [][]float32{{0, 0}, {2, 0}}
	setT = [][]float32{{0, 1}, {0, 3}}
)

func mmd(t *testing.T, s, tg [][]float32, k adapt.Kernel) float64 {
	t.Helper()
	return exec1(t, func(a, b *graph.Node) *graph.Node { return adapt.MMDLoss(a, b, k) },
		tensors.FromValue(s), tensors.FromValue(tg))[0]
}

func TestMMDHandComputed(t *testing.T) {
	// Linear kernel: ||mean(S) − mean(T)||² = ||(1, 0) − (0, 2)||² = 5.
	if got := mmd(t, setS, setT, adapt.Kernel{Kind: adapt.KernelLinear}); !near(got, 5, 1e-6) {
		t.Errorf("linear MMD² = %g, want 5", got)
	}
	// Gaussian kernel with σ² = 1 and α = 1: k = exp(−d²/2). Squared distances:
	// S: (0,0)-(2,0): 4. T: (0,1)-(0,3): 4. S×T: (0,0)-(0,1) 1, (0,0)-(0,3) 9,
	// (2,0)-(0,1) 5, (2,0)-(0,3) 13.
	e := func(d2 float64) float64 { return math.Exp(-d2 / 2) }
	kss := (2*e(0) + 2*e(4)) / 4
	ktt := (2*e(0) + 2*e(4)) / 4
	kst := (e(1) + e(9) + e(5) + e(13)) / 4
	want := kss + ktt - 2*kst
	if got := mmd(t, setS, setT, adapt.Kernel{Bandwidths: []float64{1}, Fixed: true}); !near(got, want, 1e-5) {
		t.Errorf("Gaussian (σ²=1) MMD² = %g, want %g", got, want)
	}
	// Two bandwidths average the kernels: α = 1 and α = 2 (exp(−d²/4)).
	e2 := func(d2 float64) float64 { return math.Exp(-d2 / 4) }
	want2 := (want + ((2*e2(0)+2*e2(4))/2 - 2*(e2(1)+e2(9)+e2(5)+e2(13))/4)) / 2
	if got := mmd(t, setS, setT, adapt.Kernel{Bandwidths: []float64{1, 2}, Fixed: true}); !near(got, want2, 1e-5) {
		t.Errorf("Gaussian (α=1,2) MMD² = %g, want %g", got, want2)
	}
	// Mean-scaled: σ² is the mean off-diagonal squared distance, (2·(4+4+1+9+5+13))/12 = 6.
	e6 := func(d2 float64) float64 { return math.Exp(-d2 / 12) }
	want6 := (2*e6(0)+2*e6(4))/2 - 2*(e6(1)+e6(9)+e6(5)+e6(13))/4
	if got := mmd(t, setS, setT, adapt.Kernel{Bandwidths: []float64{1}}); !near(got, want6, 1e-5) {
		t.Errorf("Gaussian (mean-scaled) MMD² = %g, want %g", got, want6)
	}
	// Identical sets: 0, for every kernel.
	for _, k := range []adapt.Kernel{adapt.DefaultKernel(), {Kind: adapt.KernelLinear}} {
		if got := mmd(t, setS, setS, k); math.Abs(got) > 1e-6 {
			t.Errorf("%s MMD² of a set with itself = %g, want 0", k, got)
		}
	}
}

func TestCORALHandComputed(t *testing.T) {
	// Covariances (1/(n−1)): S = {(0,0),(2,0)}: [[2,0],[0,0]]; T = {(0,1),(0,3)}: [[0,0],[0,2]].
	// ||C_s − C_t||²_F = 4 + 4 = 8; / (4·2²) = 0.5.
	got := exec1(t, func(a, b *graph.Node) *graph.Node { return adapt.CORALLoss(a, b) },
		tensors.FromValue(setS), tensors.FromValue(setT))[0]
	if !near(got, 0.5, 1e-6) {
		t.Errorf("CORAL = %g, want 0.5", got)
	}
	// Three points: S = {(1,0),(0,1),(−1,−1)} has C = [[1, .5],[.5, 1]]; T = S·2 has 4C;
	// ||3C||² = 9·(1+1+.25+.25) = 22.5; / 16 = 1.40625. A shift changes nothing.
	s := [][]float32{{1, 0}, {0, 1}, {-1, -1}}
	tg := [][]float32{{2 + 5, 0}, {0 + 5, 2}, {-2 + 5, -2}}
	got = exec1(t, func(a, b *graph.Node) *graph.Node { return adapt.CORALLoss(a, b) },
		tensors.FromValue(s), tensors.FromValue(tg))[0]
	if !near(got, 1.40625, 1e-5) {
		t.Errorf("CORAL = %g, want 1.40625", got)
	}
}
