//go:build goexperiment.simd

package tlkit

const (
	defaultBackendConfig = "go"
	simdBuild            = true
)
