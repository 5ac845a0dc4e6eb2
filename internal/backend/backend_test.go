package backend

import (
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
