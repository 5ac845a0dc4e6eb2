package meta

import (
	"reflect"
	"slices"
	"testing"

	"github.com/nlp-transfer/gotl/tlkit/train"

	"github.com/nlp-transfer/gotl/data"
)

func TestDomainSplitHasNoLeaks(t *testing.T) {
	ds := toyDataset(t, 40, 30, 8, 0.5, 1)
	s, err := DomainSplit(ds, []string{"domain1"}, []string{"domain2", "domain3"})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Train)+len(s.Val)+len(s.Test) != 40 {
		t.Errorf("split covers %d+%d+%d classes, want 40", len(s.Train), len(s.Val), len(s.Test))
	}
	domainsOf := func(classes []int) map[string]bool {
		out := map[string]bool{}
		for _, c := range classes {
			out[ds.Classes[c].Domain] = true
		}
		return out
	}
	train, val, test := domainsOf(s.Train), domainsOf(s.Val), domainsOf(s.Test)
	for d := range test {
		if train[d] || val[d] {
			t.Errorf("test domain %s also in meta-train or meta-val", d)
		}
	}
	for d := range val {
		if train[d] {
			t.Errorf("val domain %s also in meta-train", d)
		}
	}
	if !reflect.DeepEqual(s.TrainDomains, []string{"domain0"}) || !reflect.DeepEqual(s.TestDomains, []string{"domain2", "domain3"}) {
		t.Errorf("domains: train %v, val %v, test %v", s.TrainDomains, s.ValDomains, s.TestDomains)
	}
	// Episodes of each set only hold that set's classes and their examples.
	spec := Spec{Ways: 5, Shots: 3, Queries: 4}
	for _, set := range [][]int{s.Train, s.Val, s.Test} {
		sampler, err := NewSampler(ds, set, spec, 9)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range sampler.Episodes(50) {
			for _, c := range e.Classes {
				if !slices.Contains(set, c) {
					t.Fatalf("episode %d has class %d, not in its set %v", e.Index, c, set)
				}
			}
			for k, i := range slices.Concat(e.Support, e.Query) {
				way := append(slices.Clone(e.SupportLabels), e.QueryLabels...)[k]
				if ds.Labels[i] != e.Classes[way] {
					t.Fatalf("episode %d: example %d of class %d labelled way %d (class %d)", e.Index, i, ds.Labels[i], way, e.Classes[way])
				}
			}
		}
	}
	if _, err := DomainSplit(ds, []string{"domain1"}, []string{"domain1"}); err == nil {
		t.Error("a domain both in val and test: no error")
	}
	if _, err := DomainSplit(ds, []string{"nowhere"}, []string{"domain1"}); err == nil {
		t.Error("an unknown domain: no error")
	}
}

func TestRandomSplitsAreDisjointAndSeeded(t *testing.T) {
	ds := toyDataset(t, 40, 20, 4, 0.5, 1)
	a, err := RandomDomainSplit(ds, 1, 1, 3)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := RandomDomainSplit(ds, 1, 1, 3)
	if !reflect.DeepEqual(a, b) {
		t.Error("the same seed gave two domain splits")
	}
	c, err := ClassSplit(ds, 5, 10, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Val) != 5 || len(c.Test) != 10 || len(c.Train) != 25 {
		t.Errorf("class split sizes %d/%d/%d, want 25/5/10", len(c.Train), len(c.Val), len(c.Test))
	}
	if err := (Split{Train: []int{1, 2}, Val: []int{3}, Test: []int{2}}).Check(ds); err == nil {
		t.Error("overlapping split: Check found no error")
	}
}

func TestEpisodeShapes(t *testing.T) {
	ds := toyDataset(t, 12, 25, 4, 0.5, 1)
	spec := Spec{Ways: 5, Shots: 2, Queries: 3}
	s, err := NewSampler(ds, ds.AllClasses(), spec, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range s.Episodes(100) {
		if len(e.Classes) != 5 || len(e.Support) != 10 || len(e.SupportLabels) != 10 || len(e.Query) != 15 || len(e.QueryLabels) != 15 {
			t.Fatalf("episode %d: %d classes, %d/%d support, %d/%d query; want 5, 10, 15",
				e.Index, len(e.Classes), len(e.Support), len(e.SupportLabels), len(e.Query), len(e.QueryLabels))
		}
		if distinct(e.Classes) != 5 || distinct(slices.Concat(e.Support, e.Query)) != 25 {
			t.Fatalf("episode %d repeats a class or an example: %v %v %v", e.Index, e.Classes, e.Support, e.Query)
		}
		for k := range e.Support {
			if e.SupportLabels[k] != k/2 {
				t.Fatalf("episode %d: support %d has way %d, want %d (way-major order)", e.Index, k, e.SupportLabels[k], k/2)
			}
		}
		for k := range e.Query {
			if e.QueryLabels[k] != k/3 {
				t.Fatalf("episode %d: query %d has way %d, want %d", e.Index, k, e.QueryLabels[k], k/3)
			}
		}
	}
	// The batch tensors have the documented shapes.
	l := &Learner{Dim: 4, scaling: train.IdentityStandardizer(4)}
	sx, sy, qx, qy := l.episodeTensors(ds, s.Episodes(3))
	for _, c := range []struct {
		name string
		got  []int
		want []int
	}{{"support x", sx.Shape().Dimensions, []int{3, 10, 4}}, {"support y", sy.Shape().Dimensions, []int{3, 10}},
		{"query x", qx.Shape().Dimensions, []int{3, 15, 4}}, {"query y", qy.Shape().Dimensions, []int{3, 15}}} {
		if !slices.Equal(c.got, c.want) {
			t.Errorf("%s shape %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestEpisodesAreSeeded(t *testing.T) {
	ds := toyDataset(t, 20, 20, 4, 0.5, 1)
	spec := Spec{Ways: 5, Shots: 1, Queries: 5}
	a, _ := NewSampler(ds, ds.AllClasses(), spec, 42)
	b, _ := NewSampler(ds, ds.AllClasses(), spec, 42)
	c, _ := NewSampler(ds, ds.AllClasses(), spec, 43)
	// Same seed: the same episodes, whatever the order they are drawn in.
	forward := a.Episodes(30)
	for i := 29; i >= 0; i-- {
		if !reflect.DeepEqual(forward[i], b.Episode(i)) {
			t.Fatalf("episode %d differs between two samplers of seed 42", i)
		}
	}
	differ := 0
	for i := range 30 {
		if !reflect.DeepEqual(forward[i], c.Episode(i)) {
			differ++
		}
	}
	if differ < 29 {
		t.Errorf("seeds 42 and 43 gave %d different episodes of 30; want (nearly) all", differ)
	}
	// Successive episodes differ too.
	if reflect.DeepEqual(forward[0].Support, forward[1].Support) {
		t.Error("episodes 0 and 1 have the same support set")
	}
}

func TestSamplerRejectsBadInput(t *testing.T) {
	ds := toyDataset(t, 6, 5, 4, 0.5, 1)
	for _, c := range []struct {
		name    string
		classes []int
		spec    Spec
	}{
		{"too few classes", []int{0, 1, 2}, Spec{5, 1, 1}},
		{"too few examples", ds.AllClasses(), Spec{5, 3, 3}},
		{"one way", ds.AllClasses(), Spec{1, 1, 1}},
		{"no query", ds.AllClasses(), Spec{2, 1, 0}},
		{"repeated class", []int{0, 0, 1, 2, 3}, Spec{2, 1, 1}},
		{"unknown class", []int{0, 9}, Spec{2, 1, 1}},
	} {
		if _, err := NewSampler(ds, c.classes, c.spec, 1); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
}

func TestFromIntents(t *testing.T) {
	d := &data.IntentClassification{Name: "tiny", Intents: []string{"a", "b", "c"},
		Domains: map[string][]string{"x": {"a", "b"}, "y": {"c"}},
		Train:   []data.IntentExample{{Text: "a1", Intent: "a"}, {Text: "c1", Intent: "c"}, {Text: "a2", Intent: "a"}, {Text: "b1", Intent: "b"}},
		Test:    []data.IntentExample{{Text: "a3", Intent: "a"}, {Text: "b2", Intent: "b"}}}
	ds, err := FromIntents(d, 2)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a1", "a2", "b1", "b2", "c1"}; !slices.Equal(ds.Texts, want) {
		t.Errorf("texts %q, want %q (class by class, at most 2 a class)", ds.Texts, want)
	}
	if ds.Classes[2].Domain != "y" || !slices.Equal(ds.Classes[1].Examples, []int{2, 3}) {
		t.Errorf("classes %+v", ds.Classes)
	}
	if !slices.Equal(ds.Domains(), []string{"x", "y"}) {
		t.Errorf("domains %v", ds.Domains())
	}
	if err := ds.SetFeatures([][]float32{{1}, {2}}); err == nil {
		t.Error("2 feature vectors for 5 texts: no error")
	}
}

func TestScore(t *testing.T) {
	s := NewScore([]float64{0.6, 0.8, 1.0, 0.8})
	if s.Mean != 0.8 || s.Episodes != 4 {
		t.Errorf("mean %g over %d, want 0.8 over 4", s.Mean, s.Episodes)
	}
	// Sample std of {0.6, 0.8, 1, 0.8} is sqrt(0.08/3); CI = 1.96 std / 2.
	if want := 1.959963984540054 * 0.16329931618554522 / 2; abs(s.CI95-want) > 1e-12 {
		t.Errorf("CI95 %g, want %g", s.CI95, want)
	}
	d, err := s.Difference(NewScore([]float64{0.5, 0.8, 0.9, 0.6}))
	if err != nil || abs(d.Mean-0.1) > 1e-12 {
		t.Errorf("paired difference %v, %v; want mean 0.1", d, err)
	}
	if _, err := s.Difference(NewScore([]float64{1})); err == nil {
		t.Error("difference over different episodes: no error")
	}
}

func distinct(xs []int) int {
	seen := map[int]bool{}
	for _, x := range xs {
		seen[x] = true
	}
	return len(seen)
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
