package tlkit

import (
	"strings"
	"testing"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

func TestBackendConfigOverride(t *testing.T) {
	t.Setenv(BackendEnvVar, "")
	if got, want := BackendConfig(), DefaultBackendConfig(); got != want {
		t.Errorf("BackendConfig() with empty $%s = %q, want the default %q", BackendEnvVar, got, want)
	}
	t.Setenv(BackendEnvVar, "go:ops_sequential")
	if got := BackendConfig(); got != "go:ops_sequential" {
		t.Errorf("BackendConfig() = %q, want the $%s override", got, BackendEnvVar)
	}
}

func TestDefaultBackendConfigMatchesBuild(t *testing.T) {
	// Without the SIMD experiment the parallel executor can deadlock, so the default must
	// then force sequential op execution.
	if !simdBuild && !strings.Contains(DefaultBackendConfig(), "ops_sequential") {
		t.Errorf("non-SIMD build defaults to %q; it must use go:ops_sequential", DefaultBackendConfig())
	}
	if simdBuild && DefaultBackendConfig() != "go" {
		t.Errorf("SIMD build defaults to %q, want \"go\"", DefaultBackendConfig())
	}
}

func TestBackendRunsAGraph(t *testing.T) {
	b, err := Backend()
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
				t.Fatalf("MatMul on backend %q = %v, want %v", BackendConfig(), got, want)
			}
		}
	}
}
