// Added by gotl: fastReduceSum against the upstream iterator loop.

package ops

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/internal/gobackend"
	"github.com/gomlx/compute/shapes"
)

// TestFastReduceSum compares fastReduceSum with execReduceSumGeneric (the per-element output
// iterator) bit for bit on random shapes, every contiguous block of reduced axes, small and
// above the parallel threshold, in float32 and float64; and checks that reduceBlock refuses
// axes that are not one block.
func TestFastReduceSum(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for trial := range 500 {
		rank := 1 + rng.IntN(4)
		dims := make([]int, rank)
		for i := range dims {
			dims[i] = 1 + rng.IntN(9)
		}
		if trial%10 == 0 { // large: [rows, width] or [batch, rows, width]
			dims = []int{64 + rng.IntN(64), 300 + rng.IntN(300)}
			if trial%20 == 0 {
				dims = append([]int{1 + rng.IntN(3)}, dims...)
			}
			rank = len(dims)
		}
		first := rng.IntN(rank)
		last := first + rng.IntN(rank-first)
		var axes []int
		for a := last; a >= first; a-- { // descending: the order must not matter
			axes = append(axes, a)
		}
		pre, red, post, ok := reduceBlock(dims, axes)
		if !ok || pre*red*post != shapes.Make(dtypes.Float32, dims...).Size() {
			t.Fatalf("reduceBlock(%v, %v) = %d, %d, %d, %v", dims, axes, pre, red, post, ok)
		}
		operandShape := shapes.Make(dtypes.Float64, dims...)
		x64 := make([]float64, operandShape.Size())
		x32 := make([]float32, len(x64))
		for i := range x64 {
			x64[i] = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(6)-3))
			x32[i] = float32(x64[i])
		}
		want64, got64 := make([]float64, pre*post), make([]float64, pre*post)
		want32, got32 := make([]float32, pre*post), make([]float32, pre*post)
		reduceSumWithIterator(t, x64, want64, dims, axes)
		reduceSumWithIterator(t, x32, want32, dims, axes)
		fastReduceSum(x64, got64, pre, red, post)
		fastReduceSum(x32, got32, pre, red, post)
		for i := range want64 {
			if math.Float64bits(got64[i]) != math.Float64bits(want64[i]) {
				t.Fatalf("float64 %v over %v: element %d = %g, want %g", dims, axes, i, got64[i], want64[i])
			}
			if math.Float32bits(got32[i]) != math.Float32bits(want32[i]) {
				t.Fatalf("float32 %v over %v: element %d = %g, want %g", dims, axes, i, got32[i], want32[i])
			}
		}
	}
	for _, c := range []struct {
		dims, axes []int
	}{
		{[]int{2, 3, 4}, []int{0, 2}},
		{[]int{2, 3, 4}, nil},
		{[]int{2, 3, 4, 5}, []int{3, 1}},
	} {
		if _, _, _, ok := reduceBlock(c.dims, c.axes); ok {
			t.Errorf("reduceBlock(%v, %v) accepted axes that are not one block", c.dims, c.axes)
		}
	}
}

// reduceSumWithIterator runs the upstream loop, execReduceSumGeneric, into want.
func reduceSumWithIterator[T float32 | float64](t *testing.T, x, want []T, dims, axes []int) {
	t.Helper()
	operand := &gobackend.Buffer{Flat: x}
	output := &gobackend.Buffer{Flat: want}
	if err := execReduceSumGeneric[T](operand, output, NewReduceOutputIterator(dims, axes), dtypes.Float32); err != nil {
		t.Fatal(err)
	}
}
