package bert

import (
	"math"
	"testing"

	_ "github.com/gomlx/compute/gobackend" // The pure-Go backend.
	. "github.com/gomlx/gomlx/core/graph"  //nolint:staticcheck // As in graph.go.
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/nlp-transfer/gotl/internal/backend"
)

// run executes fn on the store's variables with input x.
func run(t *testing.T, store *model.Store, x *tensors.Tensor, extra *tensors.Tensor, fn func(scope *model.Scope, x, extra *Node) *Node) []float32 {
	t.Helper()
	b, err := backend.Get()
	if err != nil {
		t.Fatal(err)
	}
	exec, err := model.NewExec(b, store, fn)
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Exec(x, extra)
	if err != nil {
		t.Fatal(err)
	}
	return tensors.MustCopyFlatData[float32](out[0])
}

func TestLayerNormByHand(t *testing.T) {
	store := model.NewStore()
	_, _ = store.CreateVariable("/ln/scale", tensors.FromValue([]float32{2, 1}))
	_, _ = store.CreateVariable("/ln/offset", tensors.FromValue([]float32{0.5, 0}))
	cfg := Config{LayerNormEps: 1e-12}
	// [1, 3]: mean 2, variance 1 → [-1, 1] → ·[2, 1] + [0.5, 0] = [-1.5, 1].
	// [4, 4]: zero variance → [0, 0] → the offset [0.5, 0].
	x := tensors.FromValue([][]float32{{1, 3}, {4, 4}})
	got := run(t, store, x, tensors.FromValue([]float32{0}), func(scope *model.Scope, x, _ *Node) *Node {
		return layerNorm(scope.In("ln"), cfg, x)
	})
	want := []float32{-1.5, 1, 0.5, 0}
	for i := range want {
		if math.Abs(float64(got[i]-want[i])) > 1e-6 {
			t.Errorf("layerNorm = %v, want %v", got, want)
			break
		}
	}
}

func TestSelfAttentionByHand(t *testing.T) {
	// One head of width 2, identity query/key/value projections, zero biases.
	store := model.NewStore()
	for _, name := range []string{"query", "key", "value"} {
		_, _ = store.CreateVariable("/att/"+name+"/weights", tensors.FromValue([][]float32{{1, 0}, {0, 1}}))
		_, _ = store.CreateVariable("/att/"+name+"/biases", tensors.FromValue([]float32{0, 0}))
	}
	cfg := Config{NumAttentionHeads: 1}
	// Tokens [1, 0] and [0, 1], then a padding token [5, 5] that must get no attention.
	x := tensors.FromValue([][][]float32{{{1, 0}, {0, 1}, {5, 5}}})
	mask := tensors.FromValue([][]bool{{true, true, false}})
	got := run(t, store, x, mask, func(scope *model.Scope, x, mask *Node) *Node {
		keyBias := InsertAxes(MulScalar(OneMinus(ConvertDType(mask, x.DType())), maskBias), 1, 1)
		return selfAttention(scope.In("att"), cfg, x, keyBias)
	})
	// Token 0's logits are x0·[x0, x1]/√2 = [1/√2, 0]: weights p = σ(1/√2), 1-p, and its context
	// is p·[1, 0] + (1-p)·[0, 1] = [p, 1-p]. Token 1 symmetrically gets [1-p, p]. Token 2 (padding)
	// has logits [5/√2, 5/√2] over the real keys: [0.5, 0.5].
	p := float32(1 / (1 + math.Exp(-1/math.Sqrt2)))
	want := []float32{p, 1 - p, 1 - p, p, 0.5, 0.5}
	for i := range want {
		if math.Abs(float64(got[i]-want[i])) > 1e-6 {
			t.Errorf("selfAttention = %v, want %v", got, want)
			break
		}
	}
}
