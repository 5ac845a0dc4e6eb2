package encoder

import (
	"fmt"

	"github.com/gomlx/gomlx/core/graph"
)

// Pooling chooses how token states become one sentence vector.
type Pooling int

const (
	// PoolNative is the encoder's own pooling (Build's pooled output): USE-lite's mean, dense
	// tanh and L2 normalisation; BERT's pooler (dense tanh of the [CLS] state); GloVe's mean.
	PoolNative Pooling = iota
	// PoolMean is the mean of the token states over the real tokens.
	PoolMean
	// PoolCLS is the state of the first token ([CLS] for BERT).
	PoolCLS
)

// String returns the name ParsePooling accepts: "native", "mean" or "cls".
func (p Pooling) String() string {
	switch p {
	case PoolNative:
		return "native"
	case PoolMean:
		return "mean"
	case PoolCLS:
		return "cls"
	}
	return fmt.Sprintf("Pooling(%d)", int(p))
}

// ParsePooling parses "native" (or ""), "mean" or "cls".
func ParsePooling(s string) (Pooling, error) {
	switch s {
	case "", "native":
		return PoolNative, nil
	case "mean":
		return PoolMean, nil
	case "cls":
		return PoolCLS, nil
	}
	return 0, fmt.Errorf("unknown pooling %q: want native, mean or cls", s)
}

// Pool applies pooling p to the token states [batch, length, dim] with the bool mask
// [batch, length]; native is Build's pooled output, returned for PoolNative.
func Pool(p Pooling, states, mask, native *graph.Node) *graph.Node {
	switch p {
	case PoolMean:
		return MeanPool(states, mask)
	case PoolCLS:
		return graph.Squeeze(graph.Slice(states, graph.AxisRange(), graph.AxisElem(0)), 1)
	}
	return native
}

// MeanPool returns the mean of states [batch, length, dim] over the positions where mask
// [batch, length] is true; a row without a true position gives zeros.
func MeanPool(states, mask *graph.Node) *graph.Node {
	maskF := graph.ConvertDType(mask, states.DType())
	sum := graph.ReduceSum(graph.Mul(states, graph.InsertAxes(maskF, -1)), 1)
	count := graph.MaxScalar(graph.ReduceSum(maskF, -1), 1)
	return graph.Div(sum, graph.InsertAxes(count, -1))
}
