// Added by gotl: ReduceSum over one contiguous block of axes (the last axis, as in layer
// normalisation; the leading axes, as in a bias gradient) as plain loops split among
// goroutines, instead of the per-element output iterator. Results are bit-identical: each
// output element is the same sum, 0 + x₀ + x₁ + …, in the same order.

package ops

import (
	"slices"

	"github.com/gomlx/compute/internal/gobackend"
)

// reduceBlock reports whether the (distinct) reduced axes of an operand with these dimensions
// form one contiguous block, and the operand as [pre, red, post] around it.
func reduceBlock(dims, axes []int) (pre, red, post int, ok bool) {
	if len(axes) == 0 {
		return 0, 0, 0, false
	}
	sorted := slices.Clone(axes)
	slices.Sort(sorted)
	for i := 1; i < len(sorted); i++ {
		if sorted[i] != sorted[i-1]+1 {
			return 0, 0, 0, false
		}
	}
	first, last := sorted[0], sorted[len(sorted)-1]
	if first < 0 || last >= len(dims) {
		return 0, 0, 0, false
	}
	pre, red, post = 1, 1, 1
	for axis, d := range dims {
		switch {
		case axis < first:
			pre *= d
		case axis <= last:
			red *= d
		default:
			post *= d
		}
	}
	return pre, red, post, true
}

// fastReduceSum sums a [pre, red, post] operand over its middle axis into output [pre, post].
func fastReduceSum[T gobackend.PODNumericConstraints](operand, output []T, pre, red, post int) {
	if post == 1 {
		// One output per row of red consecutive elements.
		parallelRanges(pre, len(operand), func(from, to int) {
			for p := from; p < to; p++ {
				var s T
				for _, v := range operand[p*red : (p+1)*red] {
					s += v
				}
				output[p] = s
			}
		})
		return
	}
	sumRows := func(p, q0, q1 int) {
		out := output[p*post+q0 : p*post+q1]
		clear(out)
		for r := range red {
			row := operand[(p*red+r)*post+q0 : (p*red+r)*post+q1]
			for q, v := range row {
				out[q] += v
			}
		}
	}
	if pre >= 2 {
		parallelRanges(pre, len(operand), func(from, to int) {
			for p := from; p < to; p++ {
				sumRows(p, 0, post)
			}
		})
		return
	}
	parallelRanges(post, len(operand), func(from, to int) { sumRows(0, from, to) })
}
