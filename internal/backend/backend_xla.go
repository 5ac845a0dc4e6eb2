//go:build xla

package backend

// Built with -tags xla, the program also links GoMLX's default backends, XLA among them,
// so that GOMLX_BACKEND=xla:cpu or xla:cuda works where the PJRT plugin is installed.
import _ "github.com/gomlx/gomlx/backends/default"
