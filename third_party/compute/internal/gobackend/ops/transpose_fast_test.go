// Copyright 2023-2026 The GoMLX Authors. SPDX-License-Identifier: Apache-2.0
// Added by gotl: fastTranspose against the reference TransposeIterator.

package ops

import (
	"math/rand/v2"
	"testing"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
)

// TestFastTranspose compares fastTranspose with the element-by-element TransposeIterator on
// random shapes (ranks 1 to 5, sizes 1 to 70 per axis, some above the parallel threshold)
// and all-random permutations.
func TestFastTranspose(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 400 {
		rank := 1 + rng.IntN(5)
		dims := make([]int, rank)
		size := 1
		for i := range dims {
			dims[i] = 1 + rng.IntN(9)
			if rng.IntN(4) == 0 {
				dims[i] = 1 + rng.IntN(70)
			}
			size *= dims[i]
		}
		if trial%50 == 0 { // Large 2D and 3D cases, split among goroutines.
			dims = []int{1000 + trial, 300}
			if trial%100 == 0 {
				dims = []int{37, 130, 33}
			}
			rank, size = len(dims), 1
			for _, d := range dims {
				size *= d
			}
		}
		perm := rng.Perm(rank)
		in := make([]float32, size)
		for i := range in {
			in[i] = float32(i)
		}
		want := make([]float32, size)
		it := NewTransposeIterator(shapes.Make(dtypes.Float32, dims...), perm)
		for _, v := range in {
			want[it.Next()] = v
		}
		got := make([]float32, size)
		fastTranspose(in, got, dims, perm)
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("dims %v perm %v: element %d = %g, want %g", dims, perm, i, got[i], want[i])
			}
		}
	}
}

// BenchmarkFastTranspose transposes a 1024×1536 float32 matrix (a weight-gradient operand).
func BenchmarkFastTranspose(b *testing.B) {
	dims, perm := []int{1024, 1536}, []int{1, 0}
	in, out := make([]float32, 1024*1536), make([]float32, 1024*1536)
	b.Run("fast", func(b *testing.B) {
		for b.Loop() {
			fastTranspose(in, out, dims, perm)
		}
	})
	b.Run("iterator", func(b *testing.B) {
		for b.Loop() {
			it := NewTransposeIterator(shapes.Make(dtypes.Float32, dims...), perm)
			for _, v := range in {
				out[it.Next()] = v
			}
		}
	})
}
