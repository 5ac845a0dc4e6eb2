// Copyright 2023-2026 The GoMLX Authors. SPDX-License-Identifier: Apache-2.0
// Added by gotl: fastBinary against the ops' own single-threaded loops.

package ops

import (
	"math/rand/v2"
	"testing"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
)

// TestFastBinary compares fastBinary with the serial loops of Sub and Div (not commutative)
// and Add on random shapes: equal, scalar, bias-like (suffix), per-row (prefix) and general
// broadcasts, on both sides, small and above the parallel threshold.
func TestFastBinary(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	ops := map[string]serialBinary[float32]{
		"Sub": execSubNumericGenericSerial[float32],
		"Div": execDivNumericGenericSerial[float32],
		"Add": execAddNumericGenericSerial[float32],
	}
	for trial := range 600 {
		rank := 1 + rng.IntN(4)
		out := make([]int, rank)
		for i := range out {
			out[i] = 1 + rng.IntN(7)
		}
		if trial%20 == 0 {
			out = append([]int{64 + rng.IntN(64)}, 300+rng.IntN(200))
			rank = 2
		}
		// Each operand: the output shape with some axes set to 1.
		operand := func() []int {
			d := append([]int(nil), out...)
			switch rng.IntN(5) {
			case 0: // full
			case 1: // suffix (bias)
				for i := range rng.IntN(rank + 1) {
					d[i] = 1
				}
			case 2: // prefix (per row)
				for i := rank - 1; i >= rank-rng.IntN(rank+1); i-- {
					d[i] = 1
				}
			case 3: // scalar-like
				for i := range d {
					d[i] = 1
				}
			default: // random
				for i := range d {
					if rng.IntN(2) == 0 {
						d[i] = 1
					}
				}
			}
			return d
		}
		ld, rd := operand(), operand()
		if rng.IntN(2) == 0 {
			ld = append([]int(nil), out...)
		}
		ls, rs, os := shapes.Make(dtypes.Float32, ld...), shapes.Make(dtypes.Float32, rd...), shapes.Make(dtypes.Float32, out...)
		lhs, rhs := make([]float32, ls.Size()), make([]float32, rs.Size())
		for i := range lhs {
			lhs[i] = float32(rng.NormFloat64())
		}
		for i := range rhs {
			rhs[i] = float32(rng.NormFloat64()) + 3
		}
		for name, serial := range ops {
			want, got := make([]float32, os.Size()), make([]float32, os.Size())
			serial(lhs, rhs, want, ls, rs, os)
			fastBinary(serial, lhs, rhs, got, ls, rs, os)
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("%s %v op %v -> %v: element %d = %g, want %g", name, ld, rd, out, i, got[i], want[i])
				}
			}
		}
	}
}
