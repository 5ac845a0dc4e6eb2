package meta

import (
	"github.com/gomlx/gomlx/core/graph"
	"github.com/nlp-transfer/gotl/internal/nn"
)

// The meta-learned parameters, in order: the adaptable layer's weights and biases, then
// ProtoNet's log-scale (a scalar), or, for MAML, FOMAML and Reptile with LearnHeadInit, the
// head's weights and biases.
const (
	layerW = 0
	layerB = 1
	extra  = 2 // ProtoNet's log-scale, or the head's weights (then biases at 3).
)

// layer applies the adaptable layer (weights w, biases b) of cfg to x [B, n, D].
func (c Config) layer(x, w, b *graph.Node) *graph.Node {
	if c.Layer == DiagonalLayer {
		if w.Rank() == 1 {
			return graph.Add(graph.Mul(x, graph.InsertAxes(w, 0, 0)), graph.InsertAxes(b, 0, 0))
		}
		return graph.Add(graph.Mul(x, graph.InsertAxes(w, 1)), graph.InsertAxes(b, 1))
	}
	if c.Layer == ReLULayer {
		return nn.ReLU(dense(x, w, b))
	}
	// LinearLayer: x·(I + w) + b, w (the change from the identity) starting at zero.
	return graph.Add(x, dense(x, w, b))
}

// headStart returns the per-episode head of a ways-way episode that adaptation starts from:
// zeros, or the meta-learned initialisation p[extra:extra+2] (of Spec.Ways ways).
func (c Config) headStart(p params, x *graph.Node, batch, in, ways int) params {
	if c.LearnHeadInit {
		return params{p[extra], p[extra+1]}.perEpisode(batch)
	}
	return zeroHead(x, batch, in, ways)
}

// queryLogits returns the logits [B, nq, ways] of the queries qx [B, nq, D] of a batch of
// episodes after the method has seen their support sets sx [B, ns, D], sy [B, ns]:
//
//   - ProtoNet compares the query embeddings with the prototypes (scaled distances);
//   - MAML, FOMAML and Reptile adapt the head (MAML and FOMAML with AdaptLayer, and Reptile,
//     the adaptable layer too) to each support set by steps of gradient descent, and apply
//     the adapted classifier to the queries.
//
// The episodes have the given number of ways. firstOrder holds the inner gradients constant.
// p are the shared (meta-learned) parameters.
func (c Config) queryLogits(p params, sx, sy, qx *graph.Node, ways, steps int, firstOrder bool) *graph.Node {
	batch := sx.Shape().Dim(0)
	if c.Method == ProtoNet {
		es, eq := c.layer(sx, p[layerW], p[layerB]), c.layer(qx, p[layerW], p[layerB])
		return graph.Mul(prototypeLogits(es, sy, eq, ways), graph.Exp(p[extra]))
	}
	if c.Method == Reptile || c.AdaptLayer {
		// Adapt everything: a per-episode copy of the layer and of the head.
		start := append(params{p[layerW], p[layerB]}.perEpisode(batch), c.headStart(p, sx, batch, c.width(sx), ways)...)
		loss := func(q params) *graph.Node {
			return crossEntropy(dense(c.layer(sx, q[0], q[1]), q[2], q[3]), sy)
		}
		q := adapt(start, loss, steps, c.innerRates(), firstOrder)
		return dense(c.layer(qx, q[0], q[1]), q[2], q[3])
	}
	// Adapt the head alone, on the (meta-learned, shared) layer's embeddings.
	es, eq := c.layer(sx, p[layerW], p[layerB]), c.layer(qx, p[layerW], p[layerB])
	loss := func(h params) *graph.Node { return crossEntropy(dense(es, h[0], h[1]), sy) }
	h := adapt(c.headStart(p, sx, batch, c.width(sx), ways), loss, steps, []float64{c.InnerLR}, firstOrder)
	return dense(eq, h[0], h[1])
}

// innerRates returns the inner learning rates of the layer's weights and biases and of the
// head's, when the layer adapts too.
func (c Config) innerRates() []float64 {
	layer := c.InnerLR * c.InnerLayerScale
	return []float64{layer, layer, c.InnerLR, c.InnerLR}
}

// width returns the adaptable layer's output width for inputs like x.
func (c Config) width(x *graph.Node) int {
	if c.Layer != ReLULayer {
		return x.Shape().Dim(-1)
	}
	return c.Hidden
}

// metaLoss returns the meta-training objective of a batch of episodes (a scalar whose
// gradient with respect to p is the method's meta-gradient), whose value is the mean query
// cross-entropy after adaptation, the training loss reported for every method:
//
//   - ProtoNet: the query cross-entropy of the prototype classifier.
//   - MAML: the query cross-entropy after InnerSteps steps on the support set,
//     differentiated through the inner loop (second order).
//   - FOMAML: the same with the inner gradients held constant.
//   - Reptile: ½‖θ − sg(mean θ')‖², θ' adapted by InnerSteps steps on support and query
//     examples together (Reptile's task data: on meta-validation this beat adapting on the
//     support alone, at the same cost), so that its gradient is θ − mean θ'; its value is
//     replaced by the query loss of θ' (which has seen the queries, so it runs lower than the
//     other methods'), without changing the gradient (objective − sg(objective) + reported).
func (c Config) metaLoss(p params, sx, sy, qx, qy *graph.Node) *graph.Node {
	ways := c.Spec.Ways
	switch c.Method {
	case ProtoNet, MAML, FOMAML:
		return meanOf(crossEntropy(c.queryLogits(p, sx, sy, qx, ways, c.InnerSteps, c.Method == FOMAML), qy))
	case Reptile:
		batch := sx.Shape().Dim(0)
		x := graph.Concatenate([]*graph.Node{sx, qx}, 1)
		y := graph.Concatenate([]*graph.Node{sy, qy}, 1)
		start := append(params{p[layerW], p[layerB]}.perEpisode(batch), c.headStart(p, sx, batch, c.width(sx), ways)...)
		loss := func(q params) *graph.Node { return crossEntropy(dense(c.layer(x, q[0], q[1]), q[2], q[3]), y) }
		adapted := adapt(start, loss, c.InnerSteps, c.innerRates(), true)
		objective := graph.ScalarZero(sx.Graph(), sx.DType())
		for i, theta := range p {
			target := graph.StopGradient(graph.ReduceMean(adapted[i], 0))
			objective = graph.Add(objective, graph.MulScalar(graph.ReduceAllSum(graph.Square(graph.Sub(theta, target))), 0.5))
		}
		a := adapted
		reported := graph.StopGradient(meanOf(crossEntropy(dense(c.layer(qx, a[0], a[1]), a[2], a[3]), qy)))
		return graph.Add(graph.Sub(objective, graph.StopGradient(objective)), reported)
	}
	panic("meta: no meta-training objective for " + c.Method.String())
}
