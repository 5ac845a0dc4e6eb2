package dot

import (
	"testing"

	"github.com/gomlx/compute/dtypes"
)

// TestTryBLAS checks which products the hook sends to a bound BLAS: float32 → float32 and
// float64 → float64 of at least MinFLOPs, in either supported layout; everything else (and
// everything when none is bound) stays with the registered Go implementation.
func TestTryBLAS(t *testing.T) {
	saved := ActiveBLAS
	defer func() { ActiveBLAS = saved }()
	var calls32, calls64 int
	fake := &BLAS{
		Name:     "fake",
		MinFLOPs: 1000,
		Float32: func(Layout, []float32, []float32, int, int, int, int, []float32) {
			calls32++
		},
		Float64: func(Layout, []float64, []float64, int, int, int, int, []float64) {
			calls64++
		},
	}
	params := func(layout Layout, in, out dtypes.DType, n, m, k int) *NodeData {
		return &NodeData{Layout: layout, InputDType: in, OutputDType: out,
			BatchSize: 2, LHSCrossSize: n, RHSCrossSize: m, ContractingSize: k}
	}
	f32, f64 := make([]float32, 1), make([]float64, 1)
	cases := []struct {
		name   string
		p      *NodeData
		lhs    any
		out    any
		bound  *BLAS
		want   bool
		want32 int
		want64 int
	}{
		{"none bound", params(LayoutNonTransposed, dtypes.Float32, dtypes.Float32, 10, 10, 10), f32, f32, nil, false, 0, 0},
		{"float32 large", params(LayoutNonTransposed, dtypes.Float32, dtypes.Float32, 10, 10, 10), f32, f32, fake, true, 1, 0},
		{"float32 transposed", params(LayoutTransposed, dtypes.Float32, dtypes.Float32, 10, 10, 10), f32, f32, fake, true, 2, 0},
		{"float32 small", params(LayoutNonTransposed, dtypes.Float32, dtypes.Float32, 10, 10, 9), f32, f32, fake, false, 2, 0},
		{"float64 large", params(LayoutNonTransposed, dtypes.Float64, dtypes.Float64, 10, 10, 10), f64, f64, fake, true, 2, 1},
		{"mixed dtypes", params(LayoutNonTransposed, dtypes.Float32, dtypes.Float64, 10, 10, 10), f32, f64, fake, false, 2, 1},
		{"incompatible layout", params(LayoutIncompatible, dtypes.Float32, dtypes.Float32, 10, 10, 10), f32, f32, fake, false, 2, 1},
	}
	for _, c := range cases {
		ActiveBLAS = c.bound
		if got := tryBLAS(c.p, c.lhs, c.lhs, c.out); got != c.want {
			t.Errorf("%s: tryBLAS = %v, want %v", c.name, got, c.want)
		}
		if calls32 != c.want32 || calls64 != c.want64 {
			t.Errorf("%s: after it, %d float32 and %d float64 BLAS calls, want %d and %d", c.name, calls32, calls64, c.want32, c.want64)
		}
	}
}
