package train

import (
	"fmt"
	"strings"
)

// FingerprintChange describes how the configuration fingerprint now differs from old, the
// one recorded in a checkpoint: the settings that differ, as "name: old → now", e.g.
// "lr=0.05 → lr=0.01; enc=glove:20000 → enc=use-lite". Fingerprints are space-separated
// name=value settings (see Trainer.Run); settings found in only one of them are listed as
// "old → (none)" or "(none) → now".
func FingerprintChange(old, now string) string {
	a, b := strings.Fields(old), strings.Fields(now)
	var changes []string
	if len(a) == len(b) {
		for i := range a {
			if a[i] != b[i] {
				changes = append(changes, a[i]+" → "+b[i])
			}
		}
	} else {
		inB := make(map[string]bool, len(b))
		for _, s := range b {
			inB[s] = true
		}
		inA := make(map[string]bool, len(a))
		for _, s := range a {
			inA[s] = true
			if !inB[s] {
				changes = append(changes, s+" → (none)")
			}
		}
		for _, s := range b {
			if !inA[s] {
				changes = append(changes, "(none) → "+s)
			}
		}
	}
	if len(changes) == 0 {
		return "same settings"
	}
	const most = 8
	if len(changes) > most {
		changes = append(changes[:most], fmt.Sprintf("and %d more", len(changes)-most))
	}
	return strings.Join(changes, "; ")
}
