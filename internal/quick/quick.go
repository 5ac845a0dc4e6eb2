// Package quick holds gotl's quick mode: smaller data and fewer steps for CI and a first
// look, switched on by $TLKIT_QUICK. The tlkit facade exports it as tlkit.Quick and
// tlkit.QuickOr; method packages read it for their defaults.
package quick

import (
	"os"
	"strings"
)

// EnvVar names the environment variable that switches every notebook and every long tlkit
// call to quick mode.
const EnvVar = "TLKIT_QUICK"

// On reports whether quick mode is on: $TLKIT_QUICK is set and is not one of "", "0",
// "false", "no" or "off" (case-insensitive). Unset means full mode.
func On() bool {
	switch strings.TrimSpace(strings.ToLower(os.Getenv(EnvVar))) {
	case "", "0", "false", "no", "off":
		return false
	}
	return true
}

// Or returns quick when quick mode is on, and full otherwise.
func Or[T any](quick, full T) T {
	if On() {
		return quick
	}
	return full
}
