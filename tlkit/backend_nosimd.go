//go:build !goexperiment.simd

package tlkit

const (
	defaultBackendConfig = "go:ops_sequential"
	simdBuild            = false
)
