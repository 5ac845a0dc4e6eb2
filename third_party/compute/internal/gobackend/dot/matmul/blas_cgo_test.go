//go:build linux && cgo

package matmul

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gomlx/compute/internal/gobackend"
	"github.com/gomlx/compute/internal/gobackend/dot"
)

// blasForTest loads OpenBLAS or skips the test, saying what is missing.
func blasForTest(t *testing.T) *dot.BLAS {
	t.Helper()
	b, err := openBLAS("")
	if err != nil {
		t.Skipf("OpenBLAS not loadable, the pure-Go kernels run every product: %v", err)
	}
	return b
}

func goBackendForTest(t *testing.T) *gobackend.Backend {
	t.Helper()
	b, err := gobackend.New("")
	if err != nil {
		t.Fatal(err)
	}
	return b.(*gobackend.Backend)
}

func randomFloat32(rng *rand.Rand, n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	return x
}

// transposeBatch turns batch [rows, cols] matrices into [cols, rows] ones.
func transposeBatch(x []float32, batch, rows, cols int) []float32 {
	out := make([]float32, len(x))
	for b := range batch {
		for r := range rows {
			for c := range cols {
				out[b*rows*cols+c*rows+r] = x[b*rows*cols+r*cols+c]
			}
		}
	}
	return out
}

// TestBLASMatchesGoKernel compares OpenBLAS's sgemm and dgemm with the pure-Go kernel on random
// shapes, both rhs layouts, lhs stored as is or transposed (the Go kernel gets it transposed
// back), with batches. The summation orders differ, so float32 results agree to
// a relative 1e-5 of the row's magnitude (sum of |a·b| terms), float64 ones to 1e-12.
func TestBLASMatchesGoKernel(t *testing.T) {
	b := blasForTest(t)
	backend := goBackendForTest(t)
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 60 {
		batch, n, m, k := 1+rng.IntN(3), 1+rng.IntN(150), 1+rng.IntN(150), 1+rng.IntN(300)
		layout := dot.LayoutNonTransposed
		if trial%2 == 1 {
			layout = dot.LayoutTransposed
		}
		lhsT := trial%4 >= 2
		lhs, rhs := randomFloat32(rng, batch*n*k), randomFloat32(rng, batch*k*m)
		got, want := make([]float32, batch*n*m), make([]float32, batch*n*m)
		blasLHS := lhs
		if lhsT {
			blasLHS = transposeBatch(lhs, batch, n, k)
		}
		b.Float32(lhsT, layout, blasLHS, rhs, batch, n, m, k, got)
		noSIMDRouter(backend, layout, lhs, rhs, batch, n, m, k, want)
		absLhs, absRhs := make([]float32, len(lhs)), make([]float32, len(rhs))
		for i, v := range lhs {
			absLhs[i] = float32(math.Abs(float64(v)))
		}
		for i, v := range rhs {
			absRhs[i] = float32(math.Abs(float64(v)))
		}
		scale := make([]float32, batch*n*m)
		noSIMDRouter(backend, layout, absLhs, absRhs, batch, n, m, k, scale)
		for i := range got {
			if d := math.Abs(float64(got[i] - want[i])); d > 1e-5*float64(scale[i])+1e-30 {
				t.Fatalf("%s lhsT=%v batch=%d n=%d m=%d k=%d: element %d: OpenBLAS %g, Go %g (|diff| %g > 1e-5 × %g)",
					layout, lhsT, batch, n, m, k, i, got[i], want[i], d, scale[i])
			}
		}

		lhs64, blasLHS64, rhs64 := make([]float64, len(lhs)), make([]float64, len(lhs)), make([]float64, len(rhs))
		for i, v := range lhs {
			lhs64[i] = float64(v)
		}
		for i, v := range blasLHS {
			blasLHS64[i] = float64(v)
		}
		for i, v := range rhs {
			rhs64[i] = float64(v)
		}
		got64, want64 := make([]float64, batch*n*m), make([]float64, batch*n*m)
		b.Float64(lhsT, layout, blasLHS64, rhs64, batch, n, m, k, got64)
		noSIMDRouter(backend, layout, lhs64, rhs64, batch, n, m, k, want64)
		for i := range got64 {
			if d := math.Abs(got64[i] - want64[i]); d > 1e-12*float64(scale[i])+1e-300 {
				t.Fatalf("float64 %s lhsT=%v batch=%d n=%d m=%d k=%d: element %d: OpenBLAS %g, Go %g", layout, lhsT, batch, n, m, k, i, got64[i], want64[i])
			}
		}
	}
}

// TestBLASRepeatable checks that the same product, with the same thread count, gives the same
// bits run after run (OpenBLAS splits the output among threads, never the contraction).
func TestBLASRepeatable(t *testing.T) {
	b := blasForTest(t)
	rng := rand.New(rand.NewPCG(3, 4))
	const n, m, k = 1024, 1536, 512
	lhs, rhs := randomFloat32(rng, n*k), randomFloat32(rng, k*m)
	first := make([]float32, n*m)
	b.Float32(false, dot.LayoutNonTransposed, lhs, rhs, 1, n, m, k, first)
	for run := range 5 {
		again := make([]float32, n*m)
		b.Float32(false, dot.LayoutNonTransposed, lhs, rhs, 1, n, m, k, again)
		for i := range again {
			if math.Float32bits(again[i]) != math.Float32bits(first[i]) {
				t.Fatalf("run %d: element %d is %g, first run %g", run+2, i, again[i], first[i])
			}
		}
	}
}

// TestBLASMissingLibrary checks the fallback: a library that does not load is an error naming
// it, and nothing is bound.
func TestBLASMissingLibrary(t *testing.T) {
	_, err := openBLAS("libdoes-not-exist.so.7")
	if err == nil {
		t.Fatal("openBLAS of a missing library succeeded")
	}
	t.Log(err)
}
