// Copyright 2023-2026 The GoMLX Authors. SPDX-License-Identifier: Apache-2.0
// Added by gotl: element-wise binary ops split among goroutines, and the common broadcasting
// patterns (a bias over the last axes, a per-row value over the first axes) run as plain
// loops instead of through the zipped broadcast iterator. Results are bit-identical: each
// output element is computed by the same expression as before.

package ops

import (
	"github.com/gomlx/compute/internal/gobackend"
	"github.com/gomlx/compute/shapes"
)

// binaryParallelMin is the output size from which fastBinary splits its work among
// goroutines.
const binaryParallelMin = 1 << 15

// serialBinary is the single-threaded loop of one binary op (e.g. execAddNumericGenericSerial):
// its case 1 handles len(rhs) == 1, its case 2 equal shapes, and its case 3 any broadcasting.
type serialBinary[T any] func(lhs, rhs []T, output []T, lhsShape, rhsShape, outputShape shapes.Shape)

// fastBinary computes output = lhs op rhs with serial, the op's loop, on blocks of the
// operands: in parallel for large outputs, and without the broadcast iterator when rhs (or
// lhs) only broadcasts over leading axes (a bias) or rhs only over trailing axes (a value
// per row). Other broadcasts go to serial whole.
func fastBinary[T any](serial serialBinary[T], lhs, rhs, output []T, lhsShape, rhsShape, outputShape shapes.Shape) {
	n := len(output)
	if n == 0 {
		return
	}
	switch {
	case len(lhs) == n && (len(rhs) == 1 || (len(rhs) == n && lhsShape.Equal(rhsShape))):
		// Element-wise, or with a scalar rhs: split into ranges.
		if n < binaryParallelMin {
			serial(lhs, rhs, output, lhsShape, rhsShape, outputShape)
			return
		}
		parallelRanges(n, n, func(from, to int) {
			r := rhs
			if len(rhs) == n {
				r = rhs[from:to]
			}
			serial(lhs[from:to], r, output[from:to], lhsShape, rhsShape, outputShape)
		})
	case len(lhs) == n && isSuffixOf(rhsShape, outputShape):
		// rhs repeats every len(rhs) elements (e.g. a bias): blocks of equal shapes.
		m := len(rhs)
		parallelRanges(n/m, n, func(from, to int) {
			for b := from; b < to; b++ {
				serial(lhs[b*m:(b+1)*m], rhs, output[b*m:(b+1)*m], rhsShape, rhsShape, rhsShape)
			}
		})
	case len(rhs) == n && isSuffixOf(lhsShape, outputShape):
		m := len(lhs)
		parallelRanges(n/m, n, func(from, to int) {
			for b := from; b < to; b++ {
				serial(lhs, rhs[b*m:(b+1)*m], output[b*m:(b+1)*m], lhsShape, lhsShape, lhsShape)
			}
		})
	case len(lhs) == n && isPrefixOf(rhsShape, outputShape):
		// One rhs value per row of n/len(rhs) elements (e.g. x - mean(x) over the last axis):
		// rows with a scalar rhs.
		inner := n / len(rhs)
		parallelRanges(len(rhs), n, func(from, to int) {
			for i := from; i < to; i++ {
				serial(lhs[i*inner:(i+1)*inner], rhs[i:i+1], output[i*inner:(i+1)*inner], lhsShape, rhsShape, outputShape)
			}
		})
	default:
		serial(lhs, rhs, output, lhsShape, rhsShape, outputShape)
	}
}

// isSuffixOf reports whether s (of the same rank as full) is 1 on some leading axes and
// equal to full on all the others, with at least one element and not full itself.
func isSuffixOf(s, full shapes.Shape) bool {
	if s.Rank() != full.Rank() || s.Size() <= 1 || s.Size() == full.Size() {
		return false
	}
	leading := true
	for i, d := range s.Dimensions {
		if leading && d == 1 && full.Dimensions[i] != 1 {
			continue
		}
		leading = false
		if d != full.Dimensions[i] {
			return false
		}
	}
	return true
}

// isPrefixOf reports whether s (of the same rank as full) equals full on some leading axes
// and is 1 on all the others, with more than one element and not full itself.
func isPrefixOf(s, full shapes.Shape) bool {
	if s.Rank() != full.Rank() || s.Size() <= 1 || s.Size() == full.Size() {
		return false
	}
	trailing := false
	for i, d := range s.Dimensions {
		if !trailing && d == full.Dimensions[i] {
			continue
		}
		trailing = true
		if d != 1 {
			return false
		}
	}
	return true
}

// execAddNumericGeneric runs execAddNumericGenericSerial through fastBinary.
func execAddNumericGeneric[T gobackend.PODNumericConstraints](lhs, rhs []T, output []T,
	lhsShape, rhsShape, outputShape shapes.Shape) {
	fastBinary(execAddNumericGenericSerial[T], lhs, rhs, output, lhsShape, rhsShape, outputShape)
}

// execMulNumericGeneric runs execMulNumericGenericSerial through fastBinary.
func execMulNumericGeneric[T gobackend.PODNumericConstraints](lhs, rhs []T, output []T,
	lhsShape, rhsShape, outputShape shapes.Shape) {
	fastBinary(execMulNumericGenericSerial[T], lhs, rhs, output, lhsShape, rhsShape, outputShape)
}

// execSubNumericGeneric runs execSubNumericGenericSerial through fastBinary.
func execSubNumericGeneric[T gobackend.PODNumericConstraints](lhs, rhs []T, output []T,
	lhsShape, rhsShape, outputShape shapes.Shape) {
	fastBinary(execSubNumericGenericSerial[T], lhs, rhs, output, lhsShape, rhsShape, outputShape)
}

// execDivNumericGeneric runs execDivNumericGenericSerial through fastBinary.
func execDivNumericGeneric[T gobackend.PODNumericConstraints](lhs, rhs []T, output []T,
	lhsShape, rhsShape, outputShape shapes.Shape) {
	fastBinary(execDivNumericGenericSerial[T], lhs, rhs, output, lhsShape, rhsShape, outputShape)
}

// execMaxNumericGeneric runs execMaxNumericGenericSerial through fastBinary.
func execMaxNumericGeneric[T gobackend.PODNumericConstraints](lhs, rhs []T, output []T,
	lhsShape, rhsShape, outputShape shapes.Shape) {
	fastBinary(execMaxNumericGenericSerial[T], lhs, rhs, output, lhsShape, rhsShape, outputShape)
}

// execMinNumericGeneric runs execMinNumericGenericSerial through fastBinary.
func execMinNumericGeneric[T gobackend.PODNumericConstraints](lhs, rhs []T, output []T,
	lhsShape, rhsShape, outputShape shapes.Shape) {
	fastBinary(execMinNumericGenericSerial[T], lhs, rhs, output, lhsShape, rhsShape, outputShape)
}
