package dot

import (
	"testing"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
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
		Float32: func(bool, Layout, []float32, []float32, int, int, int, int, []float32) {
			calls32++
		},
		Float64: func(bool, Layout, []float64, []float64, int, int, int, int, []float64) {
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

// TestBLASTransposedLHS checks which products with lhs stored [batch?, contracting, cross] go to
// a bound BLAS as they are, and with which rhs layout.
func TestBLASTransposedLHS(t *testing.T) {
	saved := ActiveBLAS
	defer func() { ActiveBLAS = saved }()
	f := func(bool, Layout, []float32, []float32, int, int, int, int, []float32) {}
	fake := &BLAS{Name: "fake", MinFLOPs: 1000, Float32: f}
	type axes struct{ lc, lb, rc, rb []int }
	cases := []struct {
		name       string
		lhs, rhs   shapes.Shape
		ax         axes
		acc        dtypes.DType
		bound      *BLAS
		wantOK     bool
		wantLayout Layout
	}{
		{"weight gradient", shapes.Make(dtypes.Float32, 64, 20), shapes.Make(dtypes.Float32, 64, 30),
			axes{[]int{0}, nil, []int{0}, nil}, dtypes.InvalidDType, fake, true, LayoutNonTransposed},
		{"rhs transposed", shapes.Make(dtypes.Float32, 64, 20), shapes.Make(dtypes.Float32, 30, 64),
			axes{[]int{0}, nil, []int{1}, nil}, dtypes.InvalidDType, fake, true, LayoutTransposed},
		{"batched", shapes.Make(dtypes.Float32, 3, 64, 20), shapes.Make(dtypes.Float32, 3, 64, 30),
			axes{[]int{1}, []int{0}, []int{1}, []int{0}}, dtypes.InvalidDType, fake, true, LayoutNonTransposed},
		{"none bound", shapes.Make(dtypes.Float32, 64, 20), shapes.Make(dtypes.Float32, 64, 30),
			axes{[]int{0}, nil, []int{0}, nil}, dtypes.InvalidDType, nil, false, 0},
		{"too small", shapes.Make(dtypes.Float32, 4, 20), shapes.Make(dtypes.Float32, 4, 10),
			axes{[]int{0}, nil, []int{0}, nil}, dtypes.InvalidDType, fake, false, 0},
		{"no float64 function", shapes.Make(dtypes.Float64, 64, 20), shapes.Make(dtypes.Float64, 64, 30),
			axes{[]int{0}, nil, []int{0}, nil}, dtypes.InvalidDType, fake, false, 0},
		{"other accumulator", shapes.Make(dtypes.Float32, 64, 20), shapes.Make(dtypes.Float32, 64, 30),
			axes{[]int{0}, nil, []int{0}, nil}, dtypes.Float64, fake, false, 0},
		{"batch axis not leading", shapes.Make(dtypes.Float32, 64, 3, 20), shapes.Make(dtypes.Float32, 3, 64, 30),
			axes{[]int{0}, []int{1}, []int{1}, []int{0}}, dtypes.InvalidDType, fake, false, 0},
		{"two cross axes", shapes.Make(dtypes.Float32, 64, 20, 5), shapes.Make(dtypes.Float32, 64, 30),
			axes{[]int{0}, nil, []int{0}, nil}, dtypes.InvalidDType, fake, false, 0},
		{"dynamic", shapes.MakeDynamic(dtypes.Float32, []int{shapes.DynamicDim, 20}, []string{"rows", ""}),
			shapes.Make(dtypes.Float32, 64, 30), axes{[]int{0}, nil, []int{0}, nil}, dtypes.InvalidDType, fake, false, 0},
	}
	for _, c := range cases {
		ActiveBLAS = c.bound
		p := &NodeData{LHSContractingAxes: c.ax.lc, LHSBatchAxes: c.ax.lb, RHSContractingAxes: c.ax.rc, RHSBatchAxes: c.ax.rb}
		p.Config.AccumulatorDType = c.acc
		layout, ok := blasTransposedLHS(c.lhs, c.rhs, p)
		if ok != c.wantOK || (ok && layout != c.wantLayout) {
			t.Errorf("%s: blasTransposedLHS = %s, %v; want %s, %v", c.name, layout, ok, c.wantLayout, c.wantOK)
		}
	}
}
