package tlkit

import "github.com/nlp-transfer/gotl/internal/quick"

// QuickEnvVar names the environment variable that switches every notebook and every long
// tlkit call to quick mode: smaller data and fewer steps, for CI and for a first look.
const QuickEnvVar = quick.EnvVar

// Quick reports whether quick mode is on: $TLKIT_QUICK is set and is not one of
// "", "0", "false", "no" or "off" (case-insensitive). Unset means full mode.
func Quick() bool { return quick.On() }

// QuickOr returns quick when quick mode is on, and full otherwise. Long calls use it to
// pick sizes: tlkit.QuickOr(200, 6920) examples, tlkit.QuickOr(20, 2000) steps.
func QuickOr[T any](quick, full T) T {
	if Quick() {
		return quick
	}
	return full
}
