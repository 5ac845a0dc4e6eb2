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
