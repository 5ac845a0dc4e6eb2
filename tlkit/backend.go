package tlkit

import (
	"github.com/gomlx/compute"

	"github.com/nlp-transfer/gotl/internal/backend"
)

// BackendEnvVar names the environment variable that overrides the backend choice, in
// GoMLX's own format "<name>:<config>", e.g. "go", "go:ops_sequential" or "xla:cuda".
const BackendEnvVar = backend.EnvVar

// DefaultBackendConfig returns the backend configuration used when $GOMLX_BACKEND is unset:
// "go:ops_sequential", GoMLX's pure-Go backend executing one op at a time (each large op still
// uses every core; parallel op execution can deadlock in github.com/gomlx/compute v0.1.2).
// Build with GOEXPERIMENT=simd for its SIMD matmul.
func DefaultBackendConfig() string { return backend.DefaultConfig() }

// BackendConfig returns the backend configuration in force: $GOMLX_BACKEND when set and
// non-empty, otherwise DefaultBackendConfig.
func BackendConfig() string { return backend.Config() }

// MatMul describes what runs the pure-Go backend's large matrix multiplies: "OpenBLAS: ..."
// (library, build configuration, threads) when libopenblas.so.0 loads, otherwise
// "pure-Go kernels". GOMLX_DOT_BLAS=false turns OpenBLAS off; GOMLX_BLAS_LIBRARY names
// another copy of it.
func MatMul() string { return backend.MatMul() }

// Backend returns the process-wide GoMLX backend, created on first use from BackendConfig.
// It is the one backend choice of gotl: every tlkit call runs on it. Other backends (e.g.
// "xla:cuda") work when the program is built with -tags xla and $GOMLX_BACKEND names them.
func Backend() (compute.Backend, error) { return backend.Get() }

// MustBackend is like Backend, but panics on error. It is meant for notebook cells.
func MustBackend() compute.Backend { return backend.MustGet() }
