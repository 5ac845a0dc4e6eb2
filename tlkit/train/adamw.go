package train

import (
	"fmt"
	"strings"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// OptimizerScope is the Store scope of the optimizer's variables: for a variable at PATH,
// its first and second moments and its step count are OptimizerScope+PATH+"#m", "#v" and "#t".
const OptimizerScope = "/train_adamw"

// IsOptimizerVariable reports whether v is one of the optimizer's variables.
func IsOptimizerVariable(v *model.Variable) bool {
	return strings.HasPrefix(v.Path(), OptimizerScope+"/")
}

// DefaultDecays is the default weight-decay rule: decay a variable iff it has rank ≥ 2 and its
// path contains neither "bias" nor "norm" (case-insensitive). Biases, LayerNorm gains and
// offsets (rank 1) are never decayed; weight matrices and embedding tables are.
func DefaultDecays(v *model.Variable) bool {
	if v.Shape().Rank() < 2 {
		return false
	}
	p := strings.ToLower(v.Path())
	return !strings.Contains(p, "bias") && !strings.Contains(p, "norm")
}

// adamW is AdamW (Loshchilov & Hutter): Adam with bias correction, plus a weight decay
// decoupled from the gradient, and a per-variable multiplier of the learning rate:
//
//	m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;  t ← t+1
//	w ← w − lr·mult(w)·( m/(1−β1^t) / (sqrt(v/(1−β2^t)) + ε) + λ(w)·w )
//
// where λ(w) is the weight decay if decays(w), else 0. Each variable keeps its own t, so a
// variable unfrozen later (gradual unfreezing) starts its bias correction afresh. Adam is
// invariant to the scale of the gradient, so the multiplier scales the update, not the
// gradient. With clipNorm > 0 the gradients are first scaled by min(1, clipNorm/‖g‖), ‖g‖
// the global norm over all trainable variables.
type adamW struct {
	beta1, beta2, epsilon float64
	weightDecay           float64
	clipNorm              float64
	multiplier            func(*model.Variable) float64
	decays                func(*model.Variable) bool
}

// slot returns the optimizer variable of v with the given suffix, creating it (zeros, not
// trainable) if needed.
func slot(store *model.Store, v *model.Variable, suffix string, scalar bool) *model.Variable {
	path := OptimizerScope + v.Path() + suffix
	if s := store.GetVariable(path); s != nil {
		return s
	}
	var value *tensors.Tensor
	if scalar {
		value = tensors.FromValue(float32(0))
	} else {
		value = tensors.FromShape(v.Shape())
	}
	s, err := store.CreateVariable(path, value)
	if err != nil {
		panic(fmt.Errorf("train: creating optimizer variable %s: %w", path, err))
	}
	s.SetTrainable(false)
	return s
}

// apply adds the update of vars (their gradients grads) to the graph, with the base learning
// rate lr (a float32 scalar node).
func (o *adamW) apply(store *model.Store, vars []*model.Variable, grads []*graph.Node, lr *graph.Node) {
	g := lr.Graph()
	for i, v := range vars {
		if v.DType() != dtypes.Float32 {
			panic(fmt.Errorf("train: trainable variable %s is %s; only float32 variables can be trained (mark it not trainable)", v.Path(), v.DType()))
		}
		if grads[i] == nil {
			grads[i] = graph.ZerosLike(v.NodeValue(g))
		}
	}
	if o.clipNorm > 0 && len(grads) > 0 {
		sumSq := graph.ScalarZero(g, dtypes.Float32)
		for _, gr := range grads {
			sumSq = graph.Add(sumSq, graph.ReduceAllSum(graph.Square(gr)))
		}
		norm := graph.Sqrt(sumSq)
		scale := graph.Min(graph.ScalarOne(g, dtypes.Float32),
			graph.Div(graph.Scalar(g, dtypes.Float32, o.clipNorm), graph.AddScalar(norm, 1e-6)))
		for i := range grads {
			grads[i] = graph.Mul(grads[i], scale)
		}
	}
	beta1 := graph.Scalar(g, dtypes.Float32, o.beta1)
	beta2 := graph.Scalar(g, dtypes.Float32, o.beta2)
	for i, v := range vars {
		grad := grads[i]
		mVar, vVar, tVar := slot(store, v, "#m", false), slot(store, v, "#v", false), slot(store, v, "#t", true)
		t := graph.AddScalar(tVar.NodeValue(g), 1)
		m := graph.Add(graph.Mul(beta1, mVar.NodeValue(g)), graph.Mul(graph.OneMinus(beta1), grad))
		s := graph.Add(graph.Mul(beta2, vVar.NodeValue(g)), graph.Mul(graph.OneMinus(beta2), graph.Square(grad)))
		mHat := graph.Div(m, graph.OneMinus(graph.Pow(beta1, t)))
		sHat := graph.Div(s, graph.OneMinus(graph.Pow(beta2, t)))
		step := graph.Div(mHat, graph.AddScalar(graph.Sqrt(sHat), o.epsilon))
		w := v.NodeValue(g)
		if o.weightDecay > 0 && o.decays(v) {
			step = graph.Add(step, graph.MulScalar(w, o.weightDecay))
		}
		rate := lr
		if o.multiplier != nil {
			if mult := o.multiplier(v); mult != 1 {
				rate = graph.MulScalar(lr, mult)
			}
		}
		v.SetNodeValue(graph.Sub(w, graph.Mul(rate, step)))
		mVar.SetNodeValue(m)
		vVar.SetNodeValue(s)
		tVar.SetNodeValue(t)
	}
}
