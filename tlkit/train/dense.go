package train

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// CreateDense creates the variables of a dense layer in store: scope/weights [in, out],
// Glorot-uniform from rng (zeros when rng is nil), and scope/biases [out], zeros. Apply it
// with Dense.
func CreateDense(store *model.Store, scope string, in, out int, rng *rand.Rand) error {
	limit := math.Sqrt(6 / float64(in+out))
	w := make([]float32, in*out)
	for i := range w {
		if rng != nil {
			w[i] = float32((2*rng.Float64() - 1) * limit)
		}
	}
	if _, err := store.CreateVariable(scope+"/weights", tensors.FromFlatDataAndDimensions(w, in, out)); err != nil {
		return err
	}
	_, err := store.CreateVariable(scope+"/biases", tensors.FromFlatDataAndDimensions(make([]float32, out), out))
	return err
}

// Dense applies scope/weights and scope/biases of store (see CreateDense) to the last axis
// of x [..., in]: x·weights + biases, [..., out].
func Dense(store *model.Store, scope string, x *graph.Node) *graph.Node {
	g := x.Graph()
	w := store.GetVariable(scope + "/weights").NodeValue(g)
	b := store.GetVariable(scope + "/biases").NodeValue(g)
	if x.Rank() == 2 {
		return graph.Add(graph.MatMul(x, w), graph.InsertAxes(b, 0))
	}
	// Any leading axes: apply to the rows of x flattened to [-1, in], then restore them.
	dims := slices.Clone(x.Shape().Dimensions)
	y := graph.Add(graph.MatMul(graph.Reshape(x, -1, dims[len(dims)-1]), w), graph.InsertAxes(b, 0))
	dims[len(dims)-1] = w.Shape().Dim(1)
	return graph.Reshape(y, dims...)
}
