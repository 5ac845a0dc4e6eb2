package meta

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// toyDataset returns a dataset of classes×perClass examples in 4 domains (class c in domain
// c%4), with features of width dim: a class direction plus noise, so that the classes are
// learnable but not trivially.
func toyDataset(t testing.TB, classes, perClass, dim int, noise float64, seed uint64) *Dataset {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 7))
	names := make([]string, classes)
	domains := make([]string, classes)
	var texts []string
	var labels []int
	var feats [][]float32
	for c := range classes {
		names[c] = fmt.Sprintf("class%02d", c)
		domains[c] = fmt.Sprintf("domain%d", c%4)
		center := make([]float64, dim)
		for j := range center {
			center[j] = rng.NormFloat64()
		}
		for i := range perClass {
			texts = append(texts, fmt.Sprintf("text %d of class %d", i, c))
			labels = append(labels, c)
			f := make([]float32, dim)
			for j := range f {
				f[j] = float32(center[j] + noise*rng.NormFloat64())
			}
			feats = append(feats, f)
		}
	}
	ds, err := NewDataset("toy", names, domains, texts, labels, feats)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}
