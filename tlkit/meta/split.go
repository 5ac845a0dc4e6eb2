package meta

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
)

// Split divides the classes of a Dataset into disjoint sets: meta-train classes (episodes to
// learn from), meta-validation classes (to choose the training step) and meta-test classes
// (to report). Each holds class indices, sorted.
type Split struct {
	Train, Val, Test []int
	// TrainDomains, ValDomains and TestDomains name the domains of each set (sorted), for a
	// split by domain; nil otherwise.
	TrainDomains, ValDomains, TestDomains []string
}

// Check returns an error if the sets overlap, are empty, or hold a class outside ds.
func (s Split) Check(ds *Dataset) error {
	owner := make(map[int]string)
	for _, set := range []struct {
		name    string
		classes []int
	}{{"meta-train", s.Train}, {"meta-validation", s.Val}, {"meta-test", s.Test}} {
		if len(set.classes) == 0 {
			return fmt.Errorf("meta: the %s set of %s has no class", set.name, ds.Name)
		}
		for _, c := range set.classes {
			if c < 0 || c >= len(ds.Classes) {
				return fmt.Errorf("meta: the %s set holds class %d; %s has %d", set.name, c, ds.Name, len(ds.Classes))
			}
			if other, ok := owner[c]; ok {
				return fmt.Errorf("meta: class %q of %s is in both the %s and %s sets", ds.Classes[c].Name, ds.Name, other, set.name)
			}
			owner[c] = set.name
		}
	}
	return nil
}

// String lists the sizes (and domains) of the three sets.
func (s Split) String() string {
	part := func(name string, classes []int, domains []string) string {
		if domains == nil {
			return fmt.Sprintf("%s %d classes", name, len(classes))
		}
		return fmt.Sprintf("%s %d classes (%s)", name, len(classes), strings.Join(domains, ", "))
	}
	return part("meta-train", s.Train, s.TrainDomains) + "; " + part("meta-val", s.Val, s.ValDomains) + "; " +
		part("meta-test", s.Test, s.TestDomains)
}

// Domains returns the domains of ds's classes, sorted ("" excluded).
func (ds *Dataset) Domains() []string {
	var domains []string
	for _, c := range ds.Classes {
		if c.Domain != "" && !slices.Contains(domains, c.Domain) {
			domains = append(domains, c.Domain)
		}
	}
	sort.Strings(domains)
	return domains
}

// DomainSplit splits ds's classes by domain: the classes of the val domains are
// meta-validation, those of the test domains meta-test, every other class meta-train. So no
// meta-test class shares a domain with a meta-train class.
func DomainSplit(ds *Dataset, val, test []string) (Split, error) {
	known := ds.Domains()
	for _, d := range slices.Concat(val, test) {
		if !slices.Contains(known, d) {
			return Split{}, fmt.Errorf("meta: %s has no domain %q; its domains: %s", ds.Name, d, strings.Join(known, ", "))
		}
	}
	for _, d := range val {
		if slices.Contains(test, d) {
			return Split{}, fmt.Errorf("meta: domain %q is both a validation and a test domain", d)
		}
	}
	var s Split
	for c, class := range ds.Classes {
		switch {
		case slices.Contains(val, class.Domain):
			s.Val = append(s.Val, c)
		case slices.Contains(test, class.Domain):
			s.Test = append(s.Test, c)
		default:
			s.Train = append(s.Train, c)
		}
	}
	s.ValDomains, s.TestDomains = sortedCopy(val), sortedCopy(test)
	for _, d := range known {
		if !slices.Contains(val, d) && !slices.Contains(test, d) {
			s.TrainDomains = append(s.TrainDomains, d)
		}
	}
	return s, s.Check(ds)
}

// RandomDomainSplit is DomainSplit with nVal validation and nTest test domains drawn at
// random (with seed) from ds's domains; the others are meta-train domains.
func RandomDomainSplit(ds *Dataset, nVal, nTest int, seed uint64) (Split, error) {
	domains := ds.Domains()
	if nVal < 1 || nTest < 1 || nVal+nTest >= len(domains) {
		return Split{}, fmt.Errorf("meta: %d validation and %d test domains of the %d of %s; want at least 1 each and 1 left for meta-training",
			nVal, nTest, len(domains), ds.Name)
	}
	rng := rand.New(rand.NewPCG(seed, 0x5e1ec7))
	rng.Shuffle(len(domains), func(i, j int) { domains[i], domains[j] = domains[j], domains[i] })
	return DomainSplit(ds, domains[:nVal], domains[nVal:nVal+nTest])
}

// ClassSplit splits ds's classes at random (with seed), ignoring domains: nVal validation
// classes, nTest test classes and the rest for meta-training. It is the split for data of
// one domain (Banking77).
func ClassSplit(ds *Dataset, nVal, nTest int, seed uint64) (Split, error) {
	n := len(ds.Classes)
	if nVal < 1 || nTest < 1 || nVal+nTest >= n {
		return Split{}, fmt.Errorf("meta: %d validation and %d test classes of the %d of %s; want at least 1 each and 1 left for meta-training",
			nVal, nTest, n, ds.Name)
	}
	order := ds.AllClasses()
	rng := rand.New(rand.NewPCG(seed, 0xc1a55))
	rng.Shuffle(n, func(i, j int) { order[i], order[j] = order[j], order[i] })
	s := Split{Val: sortedCopy(order[:nVal]), Test: sortedCopy(order[nVal : nVal+nTest]), Train: sortedCopy(order[nVal+nTest:])}
	return s, s.Check(ds)
}

// sortedCopy returns a sorted copy of xs.
func sortedCopy[T int | string](xs []T) []T {
	out := slices.Clone(xs)
	slices.Sort(out)
	return out
}
