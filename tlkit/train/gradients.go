package train

import (
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
)

// GoMLX v0.28.2 defines no gradient for Rsqrt, which every LayerNorm of gotl's encoders
// (USE-lite, BERT) and USE-lite's L2 normalisation use. Importing this package registers it
// in graph.VJPRegistration (GoMLX's documented extension point), unless GoMLX already has one.
func init() {
	if _, ok := graph.VJPRegistration[graph.NodeTypeRsqrt]; !ok {
		graph.VJPRegistration[graph.NodeTypeRsqrt] = func(node *graph.Node, v []*graph.Node, _ shapes.Shape) []*graph.Node {
			// d/dx x^(-1/2) = -1/2 · x^(-3/2) = -1/2 · rsqrt(x)³.
			cube := graph.Mul(node, graph.Mul(node, node))
			return []*graph.Node{graph.Mul(v[0], graph.MulScalar(cube, -0.5))}
		}
	}
}
