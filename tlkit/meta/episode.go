package meta

import (
	"fmt"
	"math/rand/v2"
)

// Spec is the shape of an episode: Ways classes, Shots support examples of each and Queries
// query examples of each.
type Spec struct {
	Ways, Shots, Queries int
}

// String returns "N-way K-shot (Q queries)".
func (s Spec) String() string {
	return fmt.Sprintf("%d-way %d-shot (%d queries)", s.Ways, s.Shots, s.Queries)
}

// check returns an error unless every count is positive (Ways at least 2).
func (s Spec) check() error {
	if s.Ways < 2 || s.Shots < 1 || s.Queries < 1 {
		return fmt.Errorf("meta: episodes of %s: want at least 2 ways, 1 shot and 1 query", s)
	}
	return nil
}

// Episode is one few-shot task. Its classes are numbered by way, 0 to Ways-1, in the order
// of Classes; support and query examples come way by way: Support[w*Shots+k] is the k-th
// support example of way w, and likewise Query[w*Queries+q].
type Episode struct {
	// Index is the episode's number in its sampler.
	Index int
	// Spec is the episode's shape.
	Spec Spec
	// Classes holds the Dataset class of each way.
	Classes []int
	// Support and Query are example indices (into Dataset.Texts and Features).
	Support, Query []int
	// SupportLabels and QueryLabels are the ways of the support and query examples.
	SupportLabels, QueryLabels []int
}

// Sampler draws episodes of one shape from a set of classes of a Dataset.
type Sampler struct {
	ds      *Dataset
	classes []int
	spec    Spec
	seed    uint64
}

// NewSampler returns a Sampler of spec-shaped episodes over the given classes of ds, drawn
// with seed. Each class must have at least Shots+Queries examples.
func NewSampler(ds *Dataset, classes []int, spec Spec, seed uint64) (*Sampler, error) {
	if err := spec.check(); err != nil {
		return nil, err
	}
	if len(classes) < spec.Ways {
		return nil, fmt.Errorf("meta: %s episodes from %d classes of %s; want at least %d classes", spec, len(classes), ds.Name, spec.Ways)
	}
	seen := make(map[int]bool, len(classes))
	for _, c := range classes {
		if c < 0 || c >= len(ds.Classes) {
			return nil, fmt.Errorf("meta: class %d is not one of the %d classes of %s", c, len(ds.Classes), ds.Name)
		}
		if seen[c] {
			return nil, fmt.Errorf("meta: class %q of %s is given twice", ds.Classes[c].Name, ds.Name)
		}
		seen[c] = true
		if n := len(ds.Classes[c].Examples); n < spec.Shots+spec.Queries {
			return nil, fmt.Errorf("meta: class %q of %s has %d examples; %s episodes need %d a class",
				ds.Classes[c].Name, ds.Name, n, spec, spec.Shots+spec.Queries)
		}
	}
	return &Sampler{ds: ds, classes: append([]int(nil), classes...), spec: spec, seed: seed}, nil
}

// Spec returns the sampler's episode shape.
func (s *Sampler) Spec() Spec { return s.spec }

// Dataset returns the sampler's data.
func (s *Sampler) Dataset() *Dataset { return s.ds }

// Seed returns the sampler's seed.
func (s *Sampler) Seed() uint64 { return s.seed }

// Classes returns the classes the sampler draws from.
func (s *Sampler) Classes() []int { return append([]int(nil), s.classes...) }

// Episode returns episode i: Ways classes drawn without replacement, then Shots+Queries of
// each class's examples drawn without replacement, the first Shots as support and the rest
// as queries. It depends only on the seed and i (a PCG generator seeded with both), so
// episodes can be drawn in any order, in parallel, and again.
func (s *Sampler) Episode(i int) Episode {
	rng := rand.New(rand.NewPCG(s.seed, uint64(i)^0x9e3779b97f4a7c15))
	sp := s.spec
	e := Episode{Index: i, Spec: sp, Classes: make([]int, sp.Ways),
		Support: make([]int, 0, sp.Ways*sp.Shots), Query: make([]int, 0, sp.Ways*sp.Queries),
		SupportLabels: make([]int, 0, sp.Ways*sp.Shots), QueryLabels: make([]int, 0, sp.Ways*sp.Queries)}
	for w, j := range sampleWithoutReplacement(rng, len(s.classes), sp.Ways) {
		e.Classes[w] = s.classes[j]
	}
	for w, c := range e.Classes {
		examples := s.ds.Classes[c].Examples
		picked := sampleWithoutReplacement(rng, len(examples), sp.Shots+sp.Queries)
		for k, j := range picked {
			if k < sp.Shots {
				e.Support = append(e.Support, examples[j])
				e.SupportLabels = append(e.SupportLabels, w)
			} else {
				e.Query = append(e.Query, examples[j])
				e.QueryLabels = append(e.QueryLabels, w)
			}
		}
	}
	return e
}

// Episodes returns episodes 0 to n-1.
func (s *Sampler) Episodes(n int) []Episode {
	eps := make([]Episode, n)
	for i := range eps {
		eps[i] = s.Episode(i)
	}
	return eps
}

// sampleWithoutReplacement returns k distinct numbers of [0, n) in random order (a partial
// Fisher-Yates shuffle).
func sampleWithoutReplacement(rng *rand.Rand, n, k int) []int {
	perm := make([]int, n)
	for i := range perm {
		perm[i] = i
	}
	for i := range k {
		j := i + rng.IntN(n-i)
		perm[i], perm[j] = perm[j], perm[i]
	}
	return perm[:k]
}
