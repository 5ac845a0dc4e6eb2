package meta

import (
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
)

// The graph functions below work on batches of episodes: features x [B, n, D] (B episodes of
// n examples), labels [B, n] (ways, int32), and parameters either shared by the episodes
// (weights [D, H], biases [H]) or one copy an episode (weights [B, D, H], biases [B, H]), as
// after per-episode adaptation. They use the dtype of their inputs (float32 in training,
// float64 in the gradient tests).

// dense applies weights w and biases b to x [B, n, in]: x·w + b, with w shared ([in, out])
// or per episode ([B, in, out]).
func dense(x, w, b *graph.Node) *graph.Node {
	if w.Rank() == 2 {
		return graph.Add(graph.Einsum("bni,io->bno", x, w), graph.InsertAxes(b, 0, 0))
	}
	return graph.Add(graph.Einsum("bni,bio->bno", x, w), graph.InsertAxes(b, 1))
}

// crossEntropy returns the mean softmax cross-entropy of each episode, [B], of logits
// [B, n, C] against labels [B, n].
func crossEntropy(logits, labels *graph.Node) *graph.Node {
	oneHot := graph.OneHot(labels, logits.Shape().Dim(-1), logits.DType())
	nll := graph.Neg(graph.ReduceSum(graph.Mul(oneHot, graph.LogSoftmax(logits, -1)), -1))
	return graph.ReduceMean(nll, -1)
}

// params is a list of parameters, shared or per episode.
type params []*graph.Node

// perEpisode broadcasts shared parameters to one copy an episode, [B, ...].
func (p params) perEpisode(batch int) params {
	out := make(params, len(p))
	for i, v := range p {
		dims := append([]int{batch}, v.Shape().Dimensions...)
		out[i] = graph.BroadcastToDims(graph.InsertAxes(v, 0), dims...)
	}
	return out
}

// zeroHead returns an all-zero head (weights [B, in, ways], biases [B, ways]) of x's dtype.
func zeroHead(x *graph.Node, batch, in, ways int) params {
	g := x.Graph()
	return params{graph.Zeros(g, shapes.Make(x.DType(), batch, in, ways)), graph.Zeros(g, shapes.Make(x.DType(), batch, ways))}
}

// adapt runs steps of gradient descent with learning rate lr on the per-episode loss
// (a function of per-episode parameters returning [B]), starting from p (per episode), and
// returns the adapted parameters. The gradient of the summed loss with respect to one
// episode's copy is the gradient of that episode's loss alone, so the episodes adapt
// independently. With firstOrder the inner gradients are constants (StopGradient) for any
// later differentiation (first-order MAML); otherwise the adapted parameters are
// differentiable functions of p, second derivatives included.
//
// lr holds one learning rate a parameter, or a single rate for all.
func adapt(p params, loss func(params) *graph.Node, steps int, lr []float64, firstOrder bool) params {
	p = append(params(nil), p...)
	for range steps {
		grads := graph.Gradient(graph.ReduceAllSum(loss(p)), p...)
		for i, g := range grads {
			if firstOrder {
				g = graph.StopGradient(g)
			}
			rate := lr[0]
			if len(lr) > 1 {
				rate = lr[i]
			}
			p[i] = graph.Sub(p[i], graph.MulScalar(g, rate))
		}
	}
	return p
}

// prototypeLogits returns ProtoNet's logits [B, nq, ways]: minus the squared Euclidean
// distance of each query embedding eq [B, nq, H] to each prototype, the mean of the support
// embeddings es [B, ns, H] of a way (labels sy [B, ns]).
func prototypeLogits(es, sy, eq *graph.Node, ways int) *graph.Node {
	oneHot := graph.OneHot(sy, ways, es.DType())     // [B, ns, W]
	counts := graph.ReduceSum(oneHot, 1)             // [B, W]
	sums := graph.Einsum("bsw,bsh->bwh", oneHot, es) // [B, W, H]
	protos := graph.Div(sums, graph.InsertAxes(graph.Max(counts, graph.OnesLike(counts)), -1))
	qq := graph.ReduceSum(graph.Square(eq), -1)     // [B, nq]
	pp := graph.ReduceSum(graph.Square(protos), -1) // [B, W]
	qp := graph.Einsum("bqh,bwh->bqw", eq, protos)  // [B, nq, W]
	dist := graph.Add(graph.Sub(graph.InsertAxes(qq, -1), graph.MulScalar(qp, 2)), graph.InsertAxes(pp, 1))
	return graph.Neg(dist)
}

// meanOf returns the mean of x [B] as a scalar.
func meanOf(x *graph.Node) *graph.Node { return graph.ReduceAllMean(x) }
