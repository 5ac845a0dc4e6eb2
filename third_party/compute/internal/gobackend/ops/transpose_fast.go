// Copyright 2023-2026 The GoMLX Authors. SPDX-License-Identifier: Apache-2.0
// Patched by gotl: a cache-blocked, multi-threaded Transpose (results are bit-identical).

package ops

import (
	"runtime"
	"sync"
)

// transposeTile is the side of the square tiles of fastTranspose: 32×32 float32 is 4 KiB,
// one page of reads and one of writes.
const transposeTile = 32

// transposeParallelMin is the element count from which fastTranspose splits its work among
// goroutines.
const transposeParallelMin = 1 << 15

// fastTranspose writes into out the transpose of in (of dimensions inDims) by permutation
// perm: out's axis i is in's axis perm[i]. Size-1 axes are dropped and output axes that are
// also adjacent and in order in the input are merged; then either whole rows are copied
// (the last output axis is contiguous in the input), or 2D tiles are transposed between the
// input's contiguous axis and the output's last axis.
func fastTranspose[T any](in, out []T, inDims []int, perm []int) {
	rank := len(inDims)
	inStrides := make([]int, rank)
	stride := 1
	for i := rank - 1; i >= 0; i-- {
		inStrides[i] = stride
		stride *= inDims[i]
	}
	var dims, strides []int // Per (merged) output axis: size and input stride.
	for _, axis := range perm {
		d, s := inDims[axis], inStrides[axis]
		if d == 1 {
			continue
		}
		if n := len(dims); n > 0 && strides[n-1] == s*d {
			dims[n-1] *= d
			strides[n-1] = s
			continue
		}
		dims, strides = append(dims, d), append(strides, s)
	}
	n := len(dims)
	if n <= 1 {
		copy(out, in)
		return
	}
	outStrides := make([]int, n)
	stride = 1
	for i := n - 1; i >= 0; i-- {
		outStrides[i] = stride
		stride *= dims[i]
	}
	last := n - 1
	if strides[last] == 1 {
		// Rows of dims[last] contiguous elements: one copy per row.
		rowLen := dims[last]
		numRows := len(out) / rowLen
		outer, outerStrides := dims[:last], strides[:last]
		parallelRanges(numRows, len(out), func(from, to int) {
			idx := make([]int, len(outer))
			unflatten(from, outer, idx)
			inOff := dot(idx, outerStrides)
			for r := from; r < to; r++ {
				copy(out[r*rowLen:(r+1)*rowLen], in[inOff:inOff+rowLen])
				inOff = next(idx, outer, outerStrides, inOff)
			}
		})
		return
	}
	// The output axis q read contiguously (the smallest input stride).
	q := 0
	for i := range n {
		if strides[i] < strides[q] {
			q = i
		}
	}
	// Outer axes: all but q and last; work items: (outer index, block of q).
	var outer, outerIn, outerOut []int
	for i := range last {
		if i != q {
			outer = append(outer, dims[i])
			outerIn = append(outerIn, strides[i])
			outerOut = append(outerOut, outStrides[i])
		}
	}
	numOuter := 1
	for _, d := range outer {
		numOuter *= d
	}
	dq, dl := dims[q], dims[last]
	sqIn, slIn, sqOut := strides[q], strides[last], outStrides[q]
	qBlocks := (dq + transposeTile - 1) / transposeTile
	parallelRanges(numOuter*qBlocks, len(out), func(from, to int) {
		idx := make([]int, len(outer))
		for item := from; item < to; item++ {
			o, qb := item/qBlocks, item%qBlocks
			unflatten(o, outer, idx)
			baseIn, baseOut := dot(idx, outerIn), dot(idx, outerOut)
			q0, q1 := qb*transposeTile, min((qb+1)*transposeTile, dq)
			for l0 := 0; l0 < dl; l0 += transposeTile {
				l1 := min(l0+transposeTile, dl)
				for iq := q0; iq < q1; iq++ {
					src := baseIn + iq*sqIn
					dst := out[baseOut+iq*sqOut+l0 : baseOut+iq*sqOut+l1]
					for k := range dst {
						dst[k] = in[src+(l0+k)*slIn]
					}
				}
			}
		}
	})
}

// unflatten sets idx to the row-major multi-index of flat over dims.
func unflatten(flat int, dims, idx []int) {
	for i := len(dims) - 1; i >= 0; i-- {
		idx[i] = flat % dims[i]
		flat /= dims[i]
	}
}

// dot returns Σ idx[i]·strides[i].
func dot(idx, strides []int) int {
	s := 0
	for i, v := range idx {
		s += v * strides[i]
	}
	return s
}

// next advances the row-major multi-index idx over dims by one and returns the offset off
// updated by the strides.
func next(idx, dims, strides []int, off int) int {
	for i := len(dims) - 1; i >= 0; i-- {
		idx[i]++
		off += strides[i]
		if idx[i] < dims[i] {
			return off
		}
		off -= strides[i] * dims[i]
		idx[i] = 0
	}
	return off
}

// parallelRanges calls fn over [0, items) split into contiguous ranges, on up to GOMAXPROCS
// goroutines when size (the elements moved) is large enough, else in the calling goroutine.
func parallelRanges(items, size int, fn func(from, to int)) {
	workers := runtime.GOMAXPROCS(0)
	if size < transposeParallelMin || workers < 2 || items < 2 {
		fn(0, items)
		return
	}
	workers = min(workers, items)
	var wg sync.WaitGroup
	for w := range workers {
		from, to := items*w/workers, items*(w+1)/workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(from, to)
		}()
	}
	wg.Wait()
}
