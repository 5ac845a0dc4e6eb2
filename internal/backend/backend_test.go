package backend

import (
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

func TestBackendConfigOverride(t *testing.T) {
	t.Setenv(EnvVar, "")
	if got, want := Config(), DefaultConfig(); got != want {
		t.Errorf("Config() with empty $%s = %q, want the default %q", EnvVar, got, want)
	}
	t.Setenv(EnvVar, "go:ops_sequential")
	if got := Config(); got != "go:ops_sequential" {
		t.Errorf("Config() = %q, want the $%s override", got, EnvVar)
	}
}

func TestDefaultBackendConfigIsSequential(t *testing.T) {
	// The parallel op executor can deadlock (two large matmuls waiting on each other's
	// workers), so the default must run ops one at a time.
	if !strings.Contains(DefaultConfig(), "ops_sequential") {
		t.Errorf("default backend %q; it must use go:ops_sequential", DefaultConfig())
	}
}

func TestBackendRunsAGraph(t *testing.T) {
	b, err := Get()
	if err != nil {
		t.Fatal(err)
	}
	x := tensors.FromValue([][]float32{{1, 2}, {3, 4}})
	y, err := graph.ExecOnce(b, func(x *graph.Node) *graph.Node {
		return graph.MatMul(x, x) // [[7 10] [15 22]]
	}, x)
	if err != nil {
		t.Fatal(err)
	}
	got := y.Value().([][]float32)
	want := [][]float32{{7, 10}, {15, 22}}
	for i := range want {
		for j := range want[i] {
			if got[i][j] != want[i][j] {
				t.Fatalf("MatMul on backend %q = %v, want %v", Config(), got, want)
			}
		}
	}
}

func TestPreemptionWarning(t *testing.T) {
	for _, c := range []struct {
		experiments, godebug string
		warn                 bool
	}{
		{"", "", false},
		{"simd", "", true},
		{"simd", "asyncpreemptoff=1", false},
		{"boringcrypto,simd", "gctrace=1,asyncpreemptoff=1", false},
		{"simd", "asyncpreemptoff=0", true},
		{"nosimd", "", false},
	} {
		got := PreemptionWarning(c.experiments, c.godebug)
		if (got != "") != c.warn {
			t.Errorf("PreemptionWarning(%q, %q) = %q, want a warning: %v", c.experiments, c.godebug, got, c.warn)
		}
		if c.warn && !strings.Contains(got, "GODEBUG=asyncpreemptoff=1") {
			t.Errorf("PreemptionWarning(%q, %q) = %q: does not name the fix", c.experiments, c.godebug, got)
		}
	}
}

// TestMatMulPath checks that MatMul says what runs the large products: OpenBLAS wherever
// libopenblas.so.0 is installed and GOMLX_DOT_BLAS is not false, the pure-Go kernels otherwise
// (make go-test runs a package set both ways). Then it multiplies a matrix large enough for the
// chosen path and checks the product against float64 sums.
func TestMatMulPath(t *testing.T) {
	off := strings.EqualFold(os.Getenv("GOMLX_DOT_BLAS"), "false") || os.Getenv("GOMLX_DOT_BLAS") == "0"
	_, statErr := os.Stat("/usr/lib/x86_64-linux-gnu/libopenblas.so.0")
	installed := statErr == nil && runtime.GOOS == "linux" && runtime.GOARCH == "amd64" && os.Getenv("GOMLX_BLAS_LIBRARY") == ""
	got := MatMul()
	switch {
	case off && got != "pure-Go kernels":
		t.Errorf("GOMLX_DOT_BLAS=false, MatMul() = %q, want the pure-Go kernels", got)
	case !off && installed && !strings.HasPrefix(got, "OpenBLAS: "):
		t.Errorf("libopenblas.so.0 installed, MatMul() = %q, want OpenBLAS", got)
	}
	t.Logf("matrix multiplies: %s", got)

	const n, k, m = 96, 80, 72 // 552 960 multiply-adds: above the OpenBLAS threshold
	a, b := make([]float32, n*k), make([]float32, k*m)
	for i := range a {
		a[i] = float32(i%13) - 6
	}
	for i := range b {
		b[i] = float32(i%7) - 3
	}
	backend, err := Get()
	if err != nil {
		t.Fatal(err)
	}
	y, err := graph.ExecOnce(backend, graph.MatMul,
		tensors.FromFlatDataAndDimensions(a, n, k), tensors.FromFlatDataAndDimensions(b, k, m))
	if err != nil {
		t.Fatal(err)
	}
	flat := tensors.MustCopyFlatData[float32](y)
	for i := range n {
		for j := range m {
			var want float64
			for l := range k {
				want += float64(a[i*k+l]) * float64(b[l*m+j])
			}
			if float64(flat[i*m+j]) != want { // small integers: exact in float32 either way
				t.Fatalf("product [%d,%d] = %g, want %g (%s)", i, j, flat[i*m+j], want, got)
			}
		}
	}
}

// TestMatMulStoredLayouts multiplies operands stored every way a training step stores them (lhs
// [n,k] or, as in a weight gradient xᵀ·dy, [k,n]; rhs [k,m] or [m,k]; with and without a batch
// axis), all above the OpenBLAS threshold, and checks each product against float64 sums. With
// OpenBLAS a [k,n] lhs goes to it as it is stored (cblas transA); without, both operands are
// transposed first.
func TestMatMulStoredLayouts(t *testing.T) {
	backend, err := Get()
	if err != nil {
		t.Fatal(err)
	}
	const batch, n, k, m = 2, 70, 90, 60
	for _, c := range []struct {
		name                string
		lhsT, rhsT, batched bool
	}{
		{"lhs [n,k], rhs [k,m]", false, false, false},
		{"lhs [k,n], rhs [k,m]", true, false, false},
		{"lhs [k,n], rhs [m,k]", true, true, false},
		{"lhs [b,k,n], rhs [b,k,m]", true, false, true},
		{"lhs [b,k,n], rhs [b,m,k]", true, true, true},
	} {
		b := 1
		if c.batched {
			b = batch
		}
		a, r := make([]float32, b*n*k), make([]float32, b*k*m)
		for i := range a {
			a[i] = float32(i%11) - 5
		}
		for i := range r {
			r[i] = float32(i%7) - 3
		}
		// at(i, l) and rt(l, j) read element (i, l) of batch element e's lhs and (l, j) of its rhs.
		at := func(e, i, l int) float64 {
			if c.lhsT {
				return float64(a[e*n*k+l*n+i])
			}
			return float64(a[e*n*k+i*k+l])
		}
		rt := func(e, l, j int) float64 {
			if c.rhsT {
				return float64(r[e*k*m+j*k+l])
			}
			return float64(r[e*k*m+l*m+j])
		}
		lhsDims, lhsContract := []int{n, k}, 1
		if c.lhsT {
			lhsDims, lhsContract = []int{k, n}, 0
		}
		rhsDims, rhsContract := []int{k, m}, 0
		if c.rhsT {
			rhsDims, rhsContract = []int{m, k}, 1
		}
		var batchAxes []int
		if c.batched {
			lhsDims, rhsDims = append([]int{b}, lhsDims...), append([]int{b}, rhsDims...)
			lhsContract, rhsContract, batchAxes = lhsContract+1, rhsContract+1, []int{0}
		}
		y, err := graph.ExecOnce(backend, func(lhs, rhs *graph.Node) *graph.Node {
			return graph.DotGeneral(lhs, []int{lhsContract}, batchAxes, rhs, []int{rhsContract}, batchAxes)
		}, tensors.FromFlatDataAndDimensions(a, lhsDims...), tensors.FromFlatDataAndDimensions(r, rhsDims...))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		flat := tensors.MustCopyFlatData[float32](y)
		if len(flat) != b*n*m {
			t.Fatalf("%s: %d outputs, want %d", c.name, len(flat), b*n*m)
		}
		for e := range b {
			for i := range n {
				for j := range m {
					var want float64
					for l := range k {
						want += at(e, i, l) * rt(e, l, j)
					}
					if got := float64(flat[e*n*m+i*m+j]); got != want { // small integers: exact
						t.Fatalf("%s: product [%d,%d,%d] = %g, want %g (%s)", c.name, e, i, j, got, want, MatMul())
					}
				}
			}
		}
	}
}
