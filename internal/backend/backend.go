// Package backend is the one place where gotl chooses its GoMLX backend. Package tlkit
// exports it (tlkit.Backend); gotl's own packages below tlkit, and their tests, use it here.
package backend

import (
	"fmt"
	"os"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/gobackend" // Registers the pure-Go backend ("go").
)

// EnvVar names the environment variable that overrides the backend choice,
// in GoMLX's own format "<name>:<config>", e.g. "go", "go:ops_sequential" or "xla:cuda".
const EnvVar = compute.ConfigEnvVar

// defaultConfig is GoMLX's pure-Go backend, running one op at a time. Each large op
// (a matmul) still uses every core; running several ops in parallel (the plain "go" config)
// can deadlock in github.com/gomlx/compute v0.1.2: two large matmuls, each waiting for a
// worker the other holds (seen with and without GOEXPERIMENT=simd; the SIMD build is only
// faster).
const defaultConfig = "go:ops_sequential"

// DefaultConfig returns the backend configuration used when $GOMLX_BACKEND is unset:
// "go:ops_sequential", the pure-Go backend executing one op at a time (see Config).
// Build with GOEXPERIMENT=simd for its SIMD matmul.
func DefaultConfig() string { return defaultConfig }

// Config returns the backend configuration in force: $GOMLX_BACKEND when set and
// non-empty, otherwise DefaultConfig.
func Config() string {
	if c := os.Getenv(EnvVar); c != "" {
		return c
	}
	return defaultConfig
}

// MatMul describes what runs the pure-Go backend's large float32 and float64 matrix
// multiplies: OpenBLAS (its path, build configuration and thread count) when the shared library
// loads, or "pure-Go kernels" (install Debian's libopenblas0, or set GOMLX_DOT_BLAS=false to
// turn it off). It says nothing of other backends (XLA has its own).
func MatMul() string {
	if lib := gobackend.MatMulLibrary(); lib != "" {
		return "OpenBLAS: " + lib
	}
	return "pure-Go kernels"
}

var (
	backendOnce sync.Once
	backend     compute.Backend
	backendErr  error
)

// Get returns the process-wide GoMLX backend, created on first use from Config.
// Every gotl call that runs a graph uses it.
//
// Other backends (e.g. "xla:cuda") work when their package is linked into the program
// (build with -tags xla, or import _ "github.com/gomlx/gomlx/backends/default") and
// $GOMLX_BACKEND names them.
func Get() (compute.Backend, error) {
	backendOnce.Do(func() {
		cfg := Config()
		func() {
			defer func() {
				if r := recover(); r != nil {
					backendErr = fmt.Errorf("%v", r)
				}
			}()
			backend, backendErr = compute.NewWithConfig(cfg)
		}()
		if backendErr != nil {
			backendErr = fmt.Errorf("creating GoMLX backend %q (set $%s to change it; registered backends: %v): %w",
				cfg, EnvVar, compute.List(), backendErr)
		}
		if w := PreemptionWarning(buildExperiments(), os.Getenv("GODEBUG")); w != "" {
			fmt.Fprintln(os.Stderr, w)
		}
	})
	return backend, backendErr
}

// MustGet is like Get, but panics on error.
func MustGet() compute.Backend {
	b, err := Get()
	if err != nil {
		panic(err)
	}
	return b
}

// PreemptionWarning returns the warning Get prints (once per process, on stderr) for a program
// built with GOEXPERIMENT=simd (experiments lists the build's experiments, comma-separated)
// and run without asyncpreemptoff=1 in godebug (the value of $GODEBUG); "" otherwise.
//
// Under GOEXPERIMENT=simd, Go 1.26's signal-based goroutine preemption makes loops over
// math.Exp about 100x slower (measured: 2M calls take 12 ms without the experiment, 1.6 s with
// it on an idle machine and 6-11 s on a loaded one, 12 ms with GODEBUG=asyncpreemptoff=1); the
// pure-Go backend's Exp op slowed as much on a loaded machine. The Makefile, .ci scripts and
// the GoNB kernel set it.
func PreemptionWarning(experiments, godebug string) string {
	if !hasItem(experiments, "simd") {
		return ""
	}
	if hasItem(godebug, "asyncpreemptoff=1") {
		return ""
	}
	return "gotl: warning: built with GOEXPERIMENT=simd but run without GODEBUG=asyncpreemptoff=1: " +
		"math.Exp and the ops that call it can run up to 100x slower; run with GODEBUG=asyncpreemptoff=1 " +
		"(the Makefile and the GoNB kernel set it)"
}

// buildExperiments returns the GOEXPERIMENT setting this program was built with ("" if none).
func buildExperiments() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	for _, s := range info.Settings {
		if s.Key == "GOEXPERIMENT" {
			return s.Value
		}
	}
	return ""
}

// hasItem reports whether the comma-separated list holds item.
func hasItem(list, item string) bool {
	for _, x := range strings.Split(list, ",") {
		if strings.TrimSpace(x) == item {
			return true
		}
	}
	return false
}
