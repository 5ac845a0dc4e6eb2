package adapt

import (
	"fmt"
	"strings"
)

// Method is a domain-adaptation method (or one of the two references).
type Method int

const (
	// SourceOnly trains on the labelled source examples alone: the no-adaptation baseline.
	SourceOnly Method = iota
	// DANN is domain-adversarial training through a gradient-reversal layer (Ganin et al. 2016).
	DANN
	// MMD minimises the maximum mean discrepancy of the source and target features (DAN).
	MMD
	// CORAL aligns the covariances of the source and target features (Deep CORAL).
	CORAL
	// TargetOracle trains on the labelled target examples: the supervised upper reference.
	// It is the only method that reads target labels.
	TargetOracle
)

// Methods returns every method, the adaptation methods between the two references:
// SourceOnly, DANN, MMD, CORAL, TargetOracle.
func Methods() []Method { return []Method{SourceOnly, DANN, MMD, CORAL, TargetOracle} }

// String returns the method's name: "source-only", "dann", "mmd", "coral" or "target-oracle".
func (m Method) String() string {
	switch m {
	case SourceOnly:
		return "source-only"
	case DANN:
		return "dann"
	case MMD:
		return "mmd"
	case CORAL:
		return "coral"
	case TargetOracle:
		return "target-oracle"
	}
	return fmt.Sprintf("Method(%d)", int(m))
}

// adapts reports whether the method adds an adaptation loss on unlabelled target features.
func (m Method) adapts() bool { return m == DANN || m == MMD || m == CORAL }

// ParseMethod returns the method named s (as Method.String writes it; case-insensitive,
// "oracle" and "source" are accepted too).
func ParseMethod(s string) (Method, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "source-only", "source", "sourceonly":
		return SourceOnly, nil
	case "dann":
		return DANN, nil
	case "mmd":
		return MMD, nil
	case "coral":
		return CORAL, nil
	case "target-oracle", "oracle", "target":
		return TargetOracle, nil
	}
	return 0, fmt.Errorf("unknown adaptation method %q; want dann, mmd, coral, source-only or target-oracle", s)
}
