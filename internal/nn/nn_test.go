package nn

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/nlp-transfer/gotl/internal/backend"
)

// TestReLUMatchesMax checks ReLU against graph.Max(x, 0), value and gradient, on random values
// with exact zeros among them: equal everywhere (where x < 0, Max's gradient v·0 may be -0, ReLU's
// is +0); and that NaN passes through.
func TestReLUMatchesMax(t *testing.T) {
	b, err := backend.Get()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 8))
	x := make([]float32, 4096)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
		if i%17 == 0 {
			x[i] = 0
		}
	}
	v := make([]float32, len(x)) // the incoming gradient
	for i := range v {
		v[i] = float32(rng.NormFloat64())
	}
	run := func(relu func(*graph.Node) *graph.Node) (y, dx []float32) {
		outs, err := graph.ExecOnceN(b, func(x, v *graph.Node) []*graph.Node {
			y := relu(x)
			return []*graph.Node{y, graph.Gradient(graph.ReduceAllSum(graph.Mul(y, v)), x)[0]}
		}, tensors.FromFlatDataAndDimensions(x, 64, 64), tensors.FromFlatDataAndDimensions(v, 64, 64))
		if err != nil {
			t.Fatal(err)
		}
		return tensors.MustCopyFlatData[float32](outs[0]), tensors.MustCopyFlatData[float32](outs[1])
	}
	y, dx := run(ReLU)
	wantY, wantDx := run(func(x *graph.Node) *graph.Node { return graph.Max(x, graph.ZerosLike(x)) })
	for i := range x {
		if y[i] != wantY[i] || dx[i] != wantDx[i] {
			t.Fatalf("x=%g: ReLU %g, gradient %g; Max(x, 0) %g, gradient %g", x[i], y[i], dx[i], wantY[i], wantDx[i])
		}
	}
	if dx[0] != v[0] {
		t.Fatalf("gradient at x = 0 is %g, want the incoming %g", wantDx[0], v[0])
	}

	nan, err := graph.ExecOnce(b, ReLU, tensors.FromValue([]float32{float32(math.NaN()), -1, 2}))
	if err != nil {
		t.Fatal(err)
	}
	if got := nan.Value().([]float32); !math.IsNaN(float64(got[0])) || got[1] != 0 || got[2] != 2 {
		t.Fatalf("ReLU(NaN, -1, 2) = %v, want [NaN 0 2]", got)
	}
}
