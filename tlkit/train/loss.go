package train

import (
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// SoftmaxCrossEntropy returns the mean softmax cross-entropy of logits [batch, classes]
// against integer labels [batch] (class indices).
func SoftmaxCrossEntropy(logits, labels *graph.Node) *graph.Node {
	classes := logits.Shape().Dim(-1)
	oneHot := graph.OneHot(labels, classes, logits.DType())
	logProbs := graph.LogSoftmax(logits, -1)
	return graph.Neg(graph.ReduceAllMean(graph.ReduceSum(graph.Mul(oneHot, logProbs), -1)))
}

// Dropout zeroes each element of x with probability rate and scales the others by
// 1/(1−rate), when the graph is a training graph (model.Store.IsTraining); otherwise, or
// with rate ≤ 0, it returns x. The random numbers come from the Store's generator, which
// Trainer seeds and checkpoints, so runs are reproducible.
func Dropout(scope *model.Scope, x *graph.Node, rate float64) *graph.Node {
	g := x.Graph()
	if rate <= 0 || !scope.Store().IsTraining(g) {
		return x
	}
	noise := scope.RandomUniform(g, x.Shape())
	keep := graph.GreaterOrEqual(noise, graph.Scalar(g, x.DType(), rate))
	return graph.Where(keep, graph.DivScalar(x, 1-rate), graph.ZerosLike(x))
}
