package tsne

import (
	"math"
	"runtime"
	"sync"
)

// Perplexity search: stop when the entropy is within entropyTol of log(perplexity), or
// after maxSearchSteps bisections.
const (
	entropyTol     = 1e-5
	maxSearchSteps = 200
	minP           = 1e-12
)

// workers returns the number of goroutines for the O(n²) loops: one for small inputs,
// where starting goroutines costs more than it saves, else GOMAXPROCS.
func workers(n int) int {
	if n < 256 {
		return 1
	}
	return max(1, runtime.GOMAXPROCS(0))
}

// parallel calls fn on w contiguous ranges [lo, hi) covering [0, n) concurrently, and
// waits for them. Callers write only to per-row outputs, so results do not depend on w.
func parallel(n, w int, fn func(lo, hi int)) {
	if w <= 1 {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	for k := range w {
		lo, hi := k*n/w, (k+1)*n/w
		if lo < hi {
			wg.Go(func() { fn(lo, hi) })
		}
	}
	wg.Wait()
}

// squaredDistances returns the n × n matrix (row-major) of squared Euclidean distances.
func squaredDistances(x [][]float64, w int) []float64 {
	n := len(x)
	d := make([]float64, n*n)
	parallel(n, w, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			xi := x[i]
			for j := range n {
				if j == i {
					continue
				}
				s := 0.0
				for k, v := range x[j] {
					t := xi[k] - v
					s += t * t
				}
				d[i*n+j] = s
			}
		}
	})
	return d
}

// affinities returns the symmetric joint probabilities P (n × n, row-major, summing to 1)
// of the points with squared distances dist: p_ij = (p_j|i + p_i|j) / 2n, with each
// conditional p_j|i ∝ exp(-β_i dist_ij) calibrated to the given perplexity. Entries are
// at least minP, to keep the logarithms of the KL finite.
func affinities(dist []float64, n int, perplexity float64, w int) []float64 {
	cond := make([]float64, n*n)
	target := math.Log(perplexity)
	parallel(n, w, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			calibrateRow(dist[i*n:(i+1)*n], cond[i*n:(i+1)*n], i, target)
		}
	})
	p := make([]float64, n*n)
	scale := 1 / (2 * float64(n))
	for i := range n {
		for j := range n {
			if i != j {
				p[i*n+j] = max((cond[i*n+j]+cond[j*n+i])*scale, minP)
			}
		}
	}
	return p
}

// calibrateRow writes into out the conditional probabilities p_j|i ∝ exp(-β dist_j)
// (out[i] = 0) with β found by bisection so that their entropy (in nats) is target =
// log(perplexity). Distances are shifted by their minimum, which does not change the
// probabilities but keeps exp from underflowing for far-apart points.
func calibrateRow(dist, out []float64, i int, target float64) {
	n := len(dist)
	dmin, dsum := math.Inf(1), 0.0
	for j, v := range dist {
		if j != i {
			dmin = min(dmin, v)
			dsum += v
		}
	}
	mean := dsum/float64(n-1) - dmin
	beta := 1.0
	if mean > 0 {
		beta = 1 / mean
	}
	lo, hi := 0.0, math.Inf(1)
	for range maxSearchSteps {
		sum, weighted := 0.0, 0.0
		for j, v := range dist {
			if j == i {
				out[j] = 0
				continue
			}
			e := exp(-beta * (v - dmin)) // not math.Exp: see exp
			out[j] = e
			sum += e
			weighted += (v - dmin) * e
		}
		// sum >= 1: the nearest neighbour has weight exp(0).
		h := math.Log(sum) + beta*weighted/sum
		for j := range out {
			out[j] /= sum
		}
		if math.Abs(h-target) < entropyTol {
			break
		}
		if h > target { // too flat: sharpen
			lo = beta
			if math.IsInf(hi, 1) {
				beta *= 2
			} else {
				beta = (beta + hi) / 2
			}
		} else {
			hi = beta
			beta = (beta + lo) / 2
		}
	}
}
