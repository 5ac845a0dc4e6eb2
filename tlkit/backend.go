package tlkit

import (
	"fmt"
	"os"
	"sync"

	"github.com/gomlx/compute"
	_ "github.com/gomlx/compute/gobackend" // Registers the pure-Go backend ("go").
)

// BackendEnvVar names the environment variable that overrides the backend choice,
// in GoMLX's own format "<name>:<config>", e.g. "go", "go:ops_sequential" or "xla:cuda".
const BackendEnvVar = compute.ConfigEnvVar

// DefaultBackendConfig returns the backend configuration used when $GOMLX_BACKEND is unset.
//
// Built with GOEXPERIMENT=simd it is "go" (the pure-Go backend with its SIMD matmul and
// parallel op execution). Built without SIMD it is "go:ops_sequential": the parallel
// executor can deadlock in the generic (non-SIMD) matmul path.
func DefaultBackendConfig() string { return defaultBackendConfig }

// BackendConfig returns the backend configuration in force: $GOMLX_BACKEND when set and
// non-empty, otherwise DefaultBackendConfig.
func BackendConfig() string {
	if c := os.Getenv(BackendEnvVar); c != "" {
		return c
	}
	return defaultBackendConfig
}

var (
	backendOnce sync.Once
	backend     compute.Backend
	backendErr  error
)

// Backend returns the process-wide GoMLX backend, created on first use from BackendConfig.
// This is the one place where gotl chooses a backend: every tlkit call uses it.
//
// Other backends (e.g. "xla:cuda") work when their package is linked into the program
// (import _ "github.com/gomlx/gomlx/backends/default") and $GOMLX_BACKEND names them.
func Backend() (compute.Backend, error) {
	backendOnce.Do(func() {
		cfg := BackendConfig()
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
				cfg, BackendEnvVar, compute.List(), backendErr)
		}
	})
	return backend, backendErr
}

// MustBackend is like Backend, but panics on error. It is meant for notebook cells.
func MustBackend() compute.Backend {
	b, err := Backend()
	if err != nil {
		panic(err)
	}
	return b
}
