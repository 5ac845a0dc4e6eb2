package meta

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/nlp-transfer/gotl/internal/backend"
)

// randMatrix returns rows×cols normal numbers (scaled) from rng.
func randMatrix(rng *rand.Rand, rows, cols int, scale float64) [][]float64 {
	m := make([][]float64, rows)
	for i := range m {
		m[i] = make([]float64, cols)
		for j := range m[i] {
			m[i][j] = scale * rng.NormFloat64()
		}
	}
	return m
}

// TestMAMLGradientLinearSquaredLoss checks the MAML inner loop against the closed form, on a
// linear model w ∈ R^D with the squared loss L(w) = ½·mean_n (x_n·w − y_n)². One inner step
// is w' = w − α∇L_S(w) = (I − αA)w + αc with A = XᵀX/n and c = Xᵀy/n, so T steps give
// dw'/dw = (I − αA)^T and the meta-gradient
//
//	∇_w L_Q(w') = (I − αA)^T · ∇L_Q(w'),   ∇L_Q(w') = X_qᵀ(X_q w' − y_q)/m
//
// (A is symmetric). The (I − αA)^T factor is the second-order term: first-order MAML keeps
// ∇L_Q(w') alone. Two episodes are adapted in one batch, each with its own data.
func TestMAMLGradientLinearSquaredLoss(t *testing.T) {
	const (
		dim, ns, nq, batch = 3, 4, 5, 2
		alpha              = 0.3
		steps              = 2
	)
	rng := rand.New(rand.NewPCG(1, 2))
	sx, qx := make([][][]float64, batch), make([][][]float64, batch)
	sy, qy := make([][]float64, batch), make([][]float64, batch)
	for b := range batch {
		sx[b], qx[b] = randMatrix(rng, ns, dim, 1), randMatrix(rng, nq, dim, 1)
		sy[b], qy[b] = randMatrix(rng, 1, ns, 1)[0], randMatrix(rng, 1, nq, 1)[0]
	}
	w0 := []float64{0.2, -0.5, 0.7}

	// By hand, in float64.
	wantSecond, wantFirst := make([]float64, dim), make([]float64, dim)
	wantLoss := 0.0
	for b := range batch {
		w := append([]float64(nil), w0...)
		for range steps {
			w = sub(w, scale(alpha, lsqGrad(sx[b], sy[b], w)))
		}
		gq := lsqGrad(qx[b], qy[b], w)
		wantLoss += lsqLoss(qx[b], qy[b], w) / batch
		// (I − αA)^T gq, A = XᵀX/n.
		v := append([]float64(nil), gq...)
		for range steps {
			v = sub(v, scale(alpha, gramTimes(sx[b], v)))
		}
		for j := range dim {
			wantSecond[j] += v[j] / batch
			wantFirst[j] += gq[j] / batch
		}
	}

	// With GoMLX: adapt() on per-episode copies, then the gradient of the mean query loss.
	lsq := func(x, y *graph.Node) func(params) *graph.Node {
		return func(p params) *graph.Node {
			r := graph.Sub(graph.Einsum("bnd,bd->bn", x, p[0]), y)
			return graph.ReduceMean(graph.MulScalar(graph.Square(r), 0.5), -1)
		}
	}
	for _, firstOrder := range []bool{false, true} {
		exec, err := graph.NewExec(backend.MustGet(), func(w, sxn, syn, qxn, qyn *graph.Node) []*graph.Node {
			adapted := adapt(params{w}.perEpisode(batch), lsq(sxn, syn), steps, []float64{alpha}, firstOrder)
			loss := meanOf(lsq(qxn, qyn)(adapted))
			return []*graph.Node{loss, graph.Gradient(loss, w)[0]}
		})
		if err != nil {
			t.Fatal(err)
		}
		res, err := exec.Exec(w0, sx, sy, qx, qy)
		if err != nil {
			t.Fatal(err)
		}
		loss := tensors.ToScalar[float64](res[0])
		grad := tensors.MustCopyFlatData[float64](res[1])
		want := wantSecond
		if firstOrder {
			want = wantFirst
		}
		if math.Abs(loss-wantLoss) > 1e-12 {
			t.Errorf("firstOrder=%v: query loss after adaptation %.15g, by hand %.15g", firstOrder, loss, wantLoss)
		}
		for j := range dim {
			if math.Abs(grad[j]-want[j]) > 1e-12 {
				t.Errorf("firstOrder=%v: meta-gradient %v, by hand %v", firstOrder, grad, want)
				break
			}
		}
	}
	// The second-order term matters here: the two gradients differ.
	if d := math.Abs(wantSecond[0]-wantFirst[0]) + math.Abs(wantSecond[1]-wantFirst[1]); d < 1e-3 {
		t.Errorf("first- and second-order meta-gradients nearly equal (%g): a weak test", d)
	}
}

// lsqLoss is ½·mean (x·w − y)².
func lsqLoss(x [][]float64, y, w []float64) float64 {
	var s float64
	for i := range x {
		r := dotf(x[i], w) - y[i]
		s += r * r / 2
	}
	return s / float64(len(x))
}

// lsqGrad is Xᵀ(Xw − y)/n.
func lsqGrad(x [][]float64, y, w []float64) []float64 {
	g := make([]float64, len(w))
	for i := range x {
		r := dotf(x[i], w) - y[i]
		for j := range g {
			g[j] += x[i][j] * r / float64(len(x))
		}
	}
	return g
}

// gramTimes is (XᵀX/n)·v.
func gramTimes(x [][]float64, v []float64) []float64 {
	out := make([]float64, len(v))
	for i := range x {
		r := dotf(x[i], v)
		for j := range out {
			out[j] += x[i][j] * r / float64(len(x))
		}
	}
	return out
}

func dotf(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func sub(a, b []float64) []float64 {
	out := make([]float64, len(a))
	for i := range a {
		out[i] = a[i] - b[i]
	}
	return out
}

func scale(s float64, a []float64) []float64 {
	out := make([]float64, len(a))
	for i := range a {
		out[i] = s * a[i]
	}
	return out
}

// toyEpisodeBatch returns float64 episode tensors (B=2, 3 ways, 2 shots, 2 queries, D=4) and
// random parameters of a ReLU adaptable layer (H=5) and of a 3-way head, with their shapes.
func toyEpisodeBatch(seed uint64) (sx, qx [][][]float64, sy, qy [][]int32, p [][]float64, shapes [][]int) {
	rng := rand.New(rand.NewPCG(seed, 3))
	const batch, ways, shots, queries, dim, hidden = 2, 3, 2, 2, 4, 5
	for range batch {
		sx = append(sx, randMatrix(rng, ways*shots, dim, 1))
		qx = append(qx, randMatrix(rng, ways*queries, dim, 1))
		var s, q []int32
		for w := range ways {
			for range shots {
				s = append(s, int32(w))
			}
			for range queries {
				q = append(q, int32(w))
			}
		}
		sy, qy = append(sy, s), append(qy, q)
	}
	shapes = [][]int{{dim, hidden}, {hidden}, {hidden, ways}, {ways}}
	for _, sh := range shapes {
		n := 1
		for _, d := range sh {
			n *= d
		}
		v := make([]float64, n)
		for i := range v {
			v[i] = 0.6 * rng.NormFloat64()
		}
		p = append(p, v)
	}
	return
}

// toyConfigFor returns the configuration of m on the toy episodes of toyEpisodeBatch.
func toyConfigFor(m Method, adaptLayer, learnHead bool) Config {
	cfg := DefaultConfig(m)
	cfg.Spec = Spec{Ways: 3, Shots: 2, Queries: 2}
	cfg.Layer, cfg.Hidden = ReLULayer, 5
	cfg.InnerSteps, cfg.InnerLR, cfg.InnerLayerScale = 3, 0.4, 0.5
	cfg.AdaptLayer, cfg.LearnHeadInit = adaptLayer, learnHead
	return cfg
}

// metaGradientExec builds a graph of the meta-objective of cfg (and, withGrad, its gradient
// with respect to each parameter) on the toy episodes, the parameters as inputs: the layer's
// weights and biases, then ProtoNet's log-scale or the head's initialisation (when learnt).
func metaGradientExec(t *testing.T, cfg Config, shapes [][]int, sx, qx [][][]float64, sy, qy [][]int32, withGrad bool) *graph.Exec {
	t.Helper()
	exec, err := graph.NewExec(backend.MustGet(), func(inputs []*graph.Node) []*graph.Node {
		g := inputs[0].Graph()
		var p params
		for i, in := range inputs {
			p = append(p, graph.Reshape(in, shapes[i]...))
		}
		loss := cfg.metaLoss(p, graph.Const(g, sx), graph.Const(g, sy), graph.Const(g, qx), graph.Const(g, qy))
		if !withGrad {
			return []*graph.Node{loss}
		}
		return append([]*graph.Node{loss}, graph.Gradient(loss, inputs...)...)
	})
	if err != nil {
		t.Fatal(err)
	}
	return exec
}

// paramsFor returns the toy parameters cfg's objective takes, and their shapes.
func paramsFor(cfg Config, p0 [][]float64, shapes [][]int) ([][]float64, [][]int) {
	switch {
	case cfg.Method == ProtoNet:
		return [][]float64{p0[0], p0[1], {math.Log(2)}}, [][]int{shapes[0], shapes[1], {}}
	case cfg.LearnHeadInit:
		return p0, shapes
	}
	return p0[:2], shapes[:2]
}

func anyArgs(p [][]float64) []any {
	out := make([]any, len(p))
	for i, v := range p {
		out[i] = v
	}
	return out
}

// TestMetaGradientsMatchFiniteDifferences checks the meta-gradients of MAML (second order,
// through a ReLU layer and a softmax head; head-only and full adaptation, learnt or zero head
// initialisation) and of ProtoNet against central finite differences of the meta-objective,
// in float64.
func TestMetaGradientsMatchFiniteDifferences(t *testing.T) {
	sx, qx, sy, qy, p0, shapes0 := toyEpisodeBatch(5)
	for _, cfg := range []Config{
		toyConfigFor(MAML, false, true), toyConfigFor(MAML, true, true), toyConfigFor(MAML, false, false),
		toyConfigFor(ProtoNet, false, false),
	} {
		p, shapes := paramsFor(cfg, p0, shapes0)
		grads, err := metaGradientExec(t, cfg, shapes, sx, qx, sy, qy, true).Exec(anyArgs(p)...)
		if err != nil {
			t.Fatal(err)
		}
		lossOnly := metaGradientExec(t, cfg, shapes, sx, qx, sy, qy, false)
		const h = 1e-6
		maxErr, maxGrad := 0.0, 0.0
		for i := range p {
			got := tensors.MustCopyFlatData[float64](grads[1+i])
			for j := range p[i] {
				plus, minus := clone2(p), clone2(p)
				plus[i][j] += h
				minus[i][j] -= h
				lp, _ := lossOnly.Exec(anyArgs(plus)...)
				lm, _ := lossOnly.Exec(anyArgs(minus)...)
				fd := (tensors.ToScalar[float64](lp[0]) - tensors.ToScalar[float64](lm[0])) / (2 * h)
				maxErr = max(maxErr, math.Abs(fd-got[j]))
				maxGrad = max(maxGrad, math.Abs(got[j]))
			}
		}
		name := fmt.Sprintf("%s (adapt layer %v, learnt head %v)", cfg.Method, cfg.AdaptLayer, cfg.LearnHeadInit)
		if maxErr > 1e-7 || maxGrad < 1e-3 {
			t.Errorf("%s: meta-gradient differs from finite differences by up to %g (largest component %g)", name, maxErr, maxGrad)
		}
	}
}

// TestFirstOrderAndReptileGradients checks that FOMAML's meta-gradient is the query loss's
// gradient at the adapted weights (averaged over the episodes), that it differs from MAML's
// (the second-order term is not negligible), and that Reptile's is θ − mean θ', θ' adapted
// on the support and query examples.
func TestFirstOrderAndReptileGradients(t *testing.T) {
	sx, qx, sy, qy, p0, shapes := toyEpisodeBatch(5)
	b := backend.MustGet()
	fo, err := metaGradientExec(t, toyConfigFor(FOMAML, true, true), shapes, sx, qx, sy, qy, true).Exec(anyArgs(p0)...)
	if err != nil {
		t.Fatal(err)
	}
	so, err := metaGradientExec(t, toyConfigFor(MAML, true, true), shapes, sx, qx, sy, qy, true).Exec(anyArgs(p0)...)
	if err != nil {
		t.Fatal(err)
	}
	cfg := toyConfigFor(FOMAML, true, true)
	reference := func(reptile bool) []*tensors.Tensor {
		exec, err := graph.NewExec(b, func(inputs []*graph.Node) []*graph.Node {
			g := inputs[0].Graph()
			var p params
			for i := range p0 {
				p = append(p, graph.Reshape(inputs[i], shapes[i]...))
			}
			x, y := graph.Const(g, sx), graph.Const(g, sy)
			if reptile {
				x = graph.Concatenate([]*graph.Node{x, graph.Const(g, qx)}, 1)
				y = graph.Concatenate([]*graph.Node{y, graph.Const(g, qy)}, 1)
			}
			loss := func(q params) *graph.Node { return crossEntropy(dense(cfg.layer(x, q[0], q[1]), q[2], q[3]), y) }
			adapted := adapt(p.perEpisode(2), loss, 3, cfg.innerRates(), true)
			out := make([]*graph.Node, len(p))
			if reptile { // θ − mean θ'.
				for i := range p {
					out[i] = graph.Sub(p[i], graph.ReduceMean(adapted[i], 0))
				}
				return out
			}
			// The partial derivatives of the mean query loss at the adapted weights, summed
			// over the episodes (the 1/B is in the mean).
			queryLoss := meanOf(crossEntropy(dense(cfg.layer(graph.Const(g, qx), adapted[0], adapted[1]), adapted[2], adapted[3]), graph.Const(g, qy)))
			for i, d := range graph.Gradient(queryLoss, adapted...) {
				out[i] = graph.ReduceSum(d, 0)
			}
			return out
		})
		if err != nil {
			t.Fatal(err)
		}
		res, err := exec.Exec(anyArgs(p0)...)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	ref := reference(false)
	secondOrderGap := 0.0
	for i := range p0 {
		got, want := tensors.MustCopyFlatData[float64](fo[1+i]), tensors.MustCopyFlatData[float64](ref[i])
		second := tensors.MustCopyFlatData[float64](so[1+i])
		for j := range got {
			if math.Abs(got[j]-want[j]) > 1e-12 {
				t.Fatalf("FOMAML meta-gradient of parameter %d: %v, want %v", i, got, want)
			}
			secondOrderGap = max(secondOrderGap, math.Abs(second[j]-got[j]))
		}
	}
	if secondOrderGap < 1e-3 {
		t.Errorf("MAML and FOMAML meta-gradients differ by at most %g: the second-order term is missing", secondOrderGap)
	}

	rep, err := metaGradientExec(t, toyConfigFor(Reptile, false, true), shapes, sx, qx, sy, qy, true).Exec(anyArgs(p0)...)
	if err != nil {
		t.Fatal(err)
	}
	cfg = toyConfigFor(Reptile, false, true)
	want := reference(true)
	for i := range p0 {
		got, w := tensors.MustCopyFlatData[float64](rep[1+i]), tensors.MustCopyFlatData[float64](want[i])
		nonzero := false
		for j := range got {
			if math.Abs(got[j]-w[j]) > 1e-12 {
				t.Fatalf("Reptile meta-gradient of parameter %d: %v, want %v", i, got, w)
			}
			nonzero = nonzero || w[j] != 0
		}
		if !nonzero {
			t.Errorf("Reptile meta-gradient of parameter %d is zero", i)
		}
	}
}

func clone2(p [][]float64) [][]float64 {
	out := make([][]float64, len(p))
	for i, v := range p {
		out[i] = append([]float64(nil), v...)
	}
	return out
}
