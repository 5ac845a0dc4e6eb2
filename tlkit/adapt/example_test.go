package adapt_test

import (
	"fmt"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/nlp-transfer/gotl/internal/backend"
	"github.com/nlp-transfer/gotl/tlkit/adapt"
)

// The squared MMD with a linear kernel is the squared distance between the means: here
// (1, 0) and (0, 2), so 5; CORAL compares the covariances.
func ExampleMMDLoss() {
	source := tensors.FromValue([][]float32{{0, 0}, {2, 0}})
	target := tensors.FromValue([][]float32{{0, 1}, {0, 3}})
	out := graph.MustExecOnceN(backend.MustGet(), func(s, t *graph.Node) []*graph.Node {
		return []*graph.Node{adapt.MMDLoss(s, t, adapt.Kernel{Kind: adapt.KernelLinear}), adapt.CORALLoss(s, t)}
	}, source, target)
	fmt.Printf("linear MMD² %.2f, CORAL %.2f\n", out[0].Value(), out[1].Value())
	// Output: linear MMD² 5.00, CORAL 0.50
}

// DANN's adaptation factor rises from 0 to almost 1 over training.
func ExampleDANNLambda() {
	for _, p := range []float64{0, 0.1, 0.5, 1} {
		fmt.Printf("p=%.1f λ=%.3f\n", p, adapt.DANNLambda(p))
	}
	// Output:
	// p=0.0 λ=0.000
	// p=0.1 λ=0.462
	// p=0.5 λ=0.987
	// p=1.0 λ=1.000
}
