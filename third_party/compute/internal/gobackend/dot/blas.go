package dot

// gotl patch: the hook through which an external BLAS (matmul/blas_cgo.go binds OpenBLAS)
// takes over large float32 and float64 matrix multiplies.

// BLAS is a matrix multiply in a BLAS library: lhs and rhs laid out as layout says, batchSize
// products each [lhsCrossSize, contractingSize] × [contractingSize, rhsCrossSize] (or the rhs
// transposed, for LayoutTransposed), written to output [batchSize, lhsCrossSize, rhsCrossSize].
type BLAS struct {
	// Name describes the library and its thread count, for logs and benchmarks.
	Name string

	// MinFLOPs is the smallest product (lhsCrossSize × rhsCrossSize × contractingSize, per
	// batch element) sent to the library; smaller ones use the registered Go implementation,
	// whose call overhead is lower.
	MinFLOPs int

	// Float32 and Float64 run one DotGeneral; either may be nil.
	Float32 func(layout Layout, lhs, rhs []float32, batchSize, lhsCrossSize, rhsCrossSize, contractingSize int, output []float32)
	Float64 func(layout Layout, lhs, rhs []float64, batchSize, lhsCrossSize, rhsCrossSize, contractingSize int, output []float64)
}

// ActiveBLAS is the BLAS in use, or nil for the pure-Go kernels. It is set once, during
// initialisation (matmul's init), and only read afterwards.
var ActiveBLAS *BLAS

// tryBLAS runs the product in ActiveBLAS when one is bound, the dtypes are float32 → float32
// or float64 → float64 and the product is at least MinFLOPs large. It reports whether it ran.
func tryBLAS(params *NodeData, lhsFlat, rhsFlat, outputFlat any) bool {
	b := ActiveBLAS
	if b == nil || params.InputDType != params.OutputDType {
		return false
	}
	if params.Layout != LayoutNonTransposed && params.Layout != LayoutTransposed {
		return false
	}
	if params.LHSCrossSize*params.RHSCrossSize*params.ContractingSize < b.MinFLOPs {
		return false
	}
	switch lhs := lhsFlat.(type) {
	case []float32:
		if b.Float32 == nil {
			return false
		}
		b.Float32(params.Layout, lhs, rhsFlat.([]float32), params.BatchSize, params.LHSCrossSize,
			params.RHSCrossSize, params.ContractingSize, outputFlat.([]float32))
		return true
	case []float64:
		if b.Float64 == nil {
			return false
		}
		b.Float64(params.Layout, lhs, rhsFlat.([]float64), params.BatchSize, params.LHSCrossSize,
			params.RHSCrossSize, params.ContractingSize, outputFlat.([]float64))
		return true
	}
	return false
}
