package meta

import (
	"fmt"
	"strings"
)

// Method is a few-shot method: a baseline (no meta-training) or a meta-learning algorithm.
type Method int

const (
	// Centroid classifies a query by the nearest class centroid (cosine similarity) of the
	// raw frozen support features; no training at all.
	Centroid Method = iota
	// LogReg trains a new logistic-regression head on each episode's support features
	// (standardized), then classifies the queries with it; no meta-training.
	LogReg
	// ProtoNet is Prototypical Networks: a meta-learned embedding, class prototypes, squared
	// Euclidean distances.
	ProtoNet
	// MAML is second-order Model-Agnostic Meta-Learning.
	MAML
	// FOMAML is first-order MAML.
	FOMAML
	// Reptile is Reptile.
	Reptile
)

// Methods lists every method, baselines first.
var Methods = []Method{Centroid, LogReg, ProtoNet, MAML, FOMAML, Reptile}

// String returns the method's name, as ParseMethod accepts it: "centroid", "logreg",
// "protonet", "maml", "fomaml" or "reptile".
func (m Method) String() string {
	switch m {
	case Centroid:
		return "centroid"
	case LogReg:
		return "logreg"
	case ProtoNet:
		return "protonet"
	case MAML:
		return "maml"
	case FOMAML:
		return "fomaml"
	case Reptile:
		return "reptile"
	}
	return fmt.Sprintf("Method(%d)", int(m))
}

// Title returns the method's name for tables: "Centroid (frozen)", "LogReg on support",
// "ProtoNet", "MAML", "FOMAML" or "Reptile".
func (m Method) Title() string {
	switch m {
	case Centroid:
		return "Centroid (frozen)"
	case LogReg:
		return "LogReg on support"
	case ProtoNet:
		return "ProtoNet"
	case MAML:
		return "MAML"
	case FOMAML:
		return "FOMAML"
	case Reptile:
		return "Reptile"
	}
	return m.String()
}

// MetaTrained reports whether the method is meta-trained (not a baseline).
func (m Method) MetaTrained() bool { return m >= ProtoNet && m <= Reptile }

// Adapts reports whether the method adapts a classifier to each episode by gradient descent
// (MAML, FOMAML, Reptile).
func (m Method) Adapts() bool { return m >= MAML && m <= Reptile }

// ParseMethod returns the method named s (case-insensitive, see Method.String).
func ParseMethod(s string) (Method, error) {
	for _, m := range Methods {
		if strings.EqualFold(strings.TrimSpace(s), m.String()) {
			return m, nil
		}
	}
	names := make([]string, len(Methods))
	for i, m := range Methods {
		names[i] = m.String()
	}
	return 0, fmt.Errorf("meta: unknown method %q; want one of %s", s, strings.Join(names, ", "))
}

// ParseMethods parses a comma-separated list of methods; "all" means Methods.
func ParseMethods(s string) ([]Method, error) {
	if strings.EqualFold(strings.TrimSpace(s), "all") {
		return append([]Method(nil), Methods...), nil
	}
	var out []Method
	for _, name := range strings.Split(s, ",") {
		if strings.TrimSpace(name) == "" {
			continue
		}
		m, err := ParseMethod(name)
		if err != nil {
			return nil, err
		}
		for _, prev := range out {
			if prev == m {
				return nil, fmt.Errorf("meta: method %s listed twice in %q", m, s)
			}
		}
		out = append(out, m)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("meta: no method in %q", s)
	}
	return out, nil
}
