package dot

// gotl patch: the hook through which an external BLAS (matmul/blas_cgo.go binds OpenBLAS)
// takes over large float32 and float64 matrix multiplies.

import (
	"fmt"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
)

// BLAS is a matrix multiply in a BLAS library: batchSize products each [lhsCrossSize,
// contractingSize] × [contractingSize, rhsCrossSize], written to output [batchSize,
// lhsCrossSize, rhsCrossSize]. Each lhs is stored [lhsCrossSize, contractingSize], or
// [contractingSize, lhsCrossSize] when lhsTransposed; each rhs is stored as layout says.
type BLAS struct {
	// Name describes the library and its thread count, for logs and benchmarks.
	Name string

	// MinFLOPs is the smallest product (lhsCrossSize × rhsCrossSize × contractingSize, per
	// batch element) sent to the library; smaller ones use the registered Go implementation,
	// whose call overhead is lower.
	MinFLOPs int

	// Float32 and Float64 run one DotGeneral; either may be nil.
	Float32 func(lhsTransposed bool, layout Layout, lhs, rhs []float32, batchSize, lhsCrossSize, rhsCrossSize, contractingSize int, output []float32)
	Float64 func(lhsTransposed bool, layout Layout, lhs, rhs []float64, batchSize, lhsCrossSize, rhsCrossSize, contractingSize int, output []float64)
}

// ActiveBLAS is the BLAS in use, or nil for the pure-Go kernels. It is set once, during
// initialisation (matmul's init), and only read afterwards.
var ActiveBLAS *BLAS

// tryBLAS runs the product in ActiveBLAS when one is bound, the dtypes are float32 → float32
// or float64 → float64 and the product is at least MinFLOPs large. It reports whether it ran.
// A product built with LHSTransposed always runs there (blasTransposedLHS chose it for the
// BLAS at graph-building time; no Go kernel reads that layout).
func tryBLAS(params *NodeData, lhsFlat, rhsFlat, outputFlat any) bool {
	b := ActiveBLAS
	if params.LHSTransposed {
		if b == nil || !runBLAS(b, params, lhsFlat, rhsFlat, outputFlat) {
			panic(fmt.Sprintf("DotGeneral with a transposed lhs (%s) was built for a BLAS that is not bound now", params.InputDType))
		}
		return true
	}
	if b == nil || params.InputDType != params.OutputDType {
		return false
	}
	if params.Layout != LayoutNonTransposed && params.Layout != LayoutTransposed {
		return false
	}
	if params.LHSCrossSize*params.RHSCrossSize*params.ContractingSize < b.MinFLOPs {
		return false
	}
	return runBLAS(b, params, lhsFlat, rhsFlat, outputFlat)
}

// runBLAS runs the product in b if b has a function for its dtype; it reports whether it ran.
func runBLAS(b *BLAS, params *NodeData, lhsFlat, rhsFlat, outputFlat any) bool {
	switch lhs := lhsFlat.(type) {
	case []float32:
		out, ok := outputFlat.([]float32)
		if b.Float32 == nil || !ok {
			return false
		}
		b.Float32(params.LHSTransposed, params.Layout, lhs, rhsFlat.([]float32), params.BatchSize, params.LHSCrossSize,
			params.RHSCrossSize, params.ContractingSize, out)
		return true
	case []float64:
		out, ok := outputFlat.([]float64)
		if b.Float64 == nil || !ok {
			return false
		}
		b.Float64(params.LHSTransposed, params.Layout, lhs, rhsFlat.([]float64), params.BatchSize, params.LHSCrossSize,
			params.RHSCrossSize, params.ContractingSize, out)
		return true
	}
	return false
}

// blasTransposedLHS reports whether a product whose lhs is [batch?, contracting, lhsCross] (as
// in every weight gradient, xᵀ·dy) can go to ActiveBLAS as it is, the BLAS reading lhs
// transposed, instead of both operands being transposed into LayoutTransposed first; and the
// layout of rhs then. It needs a bound BLAS for the dtype (float32 or float64, no other
// accumulator), static shapes, one leading batch axis or none, one contracting axis, one cross
// axis on each side (after MergeAxes), and a product of at least MinFLOPs.
func blasTransposedLHS(lhsShape, rhsShape shapes.Shape, params *NodeData) (Layout, bool) {
	b := ActiveBLAS
	if b == nil || lhsShape.IsDynamic() || rhsShape.IsDynamic() {
		return LayoutIncompatible, false
	}
	dtype := lhsShape.DType
	switch {
	case dtype == dtypes.Float32 && b.Float32 != nil, dtype == dtypes.Float64 && b.Float64 != nil:
	default:
		return LayoutIncompatible, false
	}
	if acc := params.Config.AccumulatorDType; acc != dtypes.InvalidDType && acc != dtype {
		return LayoutIncompatible, false
	}
	numBatch := len(params.LHSBatchAxes)
	if numBatch > 1 || len(params.RHSBatchAxes) != numBatch ||
		len(params.LHSContractingAxes) != 1 || len(params.RHSContractingAxes) != 1 {
		return LayoutIncompatible, false
	}
	if numBatch == 1 && (params.LHSBatchAxes[0] != 0 || params.RHSBatchAxes[0] != 0) {
		return LayoutIncompatible, false
	}
	if lhsShape.Rank() != numBatch+2 || rhsShape.Rank() != numBatch+2 || params.LHSContractingAxes[0] != numBatch {
		return LayoutIncompatible, false
	}
	layout := LayoutNonTransposed
	if params.RHSContractingAxes[0] == numBatch+1 {
		layout = LayoutTransposed
	}
	n, k := lhsShape.Dimensions[numBatch+1], lhsShape.Dimensions[numBatch]
	m := rhsShape.Dimensions[numBatch+1]
	if layout == LayoutTransposed {
		m = rhsShape.Dimensions[numBatch]
	}
	if n*m*k < b.MinFLOPs {
		return LayoutIncompatible, false
	}
	return layout, true
}
