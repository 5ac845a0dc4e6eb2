package adapt_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/nlp-transfer/gotl/tlkit/adapt"
)

// gaussian returns n vectors of width dim drawn from N(mean·1, 1).
func gaussian(n, dim int, mean float64, seed uint64) [][]float32 {
	rng := rand.New(rand.NewPCG(seed, 2))
	out := make([][]float32, n)
	for i := range out {
		out[i] = make([]float32, dim)
		for j := range out[i] {
			out[i][j] = float32(mean + rng.NormFloat64())
		}
	}
	return out
}

func TestProxyADistanceSeparatesGaussians(t *testing.T) {
	// Means 0 and 1.5 in 20 dimensions: 1.5·√20 ≈ 6.7 standard deviations apart (Bayes
	// error 0.04%, PAD 2.0).
	a, b := gaussian(400, 20, 0, 1), gaussian(400, 20, 1.5, 2)
	pad, err := adapt.ProxyADistance(a, b, adapt.PADOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("separated: PAD %.3f (ε %.3f)", pad.Distance, pad.Error)
	if pad.Distance < 1.9 {
		t.Errorf("PAD of well-separated Gaussians = %.3f (ε %.3f), want ≥ 1.9", pad.Distance, pad.Error)
	}
	if pad.NTest != 400 || pad.NTrain != 400 {
		t.Errorf("trained on %d and tested on %d vectors, want 400 and 400", pad.NTrain, pad.NTest)
	}
	// Overlapping Gaussians (means 0 and 0.2, 0.9 standard deviations apart: Bayes error 33%,
	// PAD 0.7) lie in between.
	mid, err := adapt.ProxyADistance(a, gaussian(400, 20, 0.2, 3), adapt.PADOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("overlapping: PAD %.3f (ε %.3f)", mid.Distance, mid.Error)
	if mid.Distance <= 0.3 || mid.Distance >= 1.2 {
		t.Errorf("PAD of overlapping Gaussians = %.3f, want between 0.3 and 1.2", mid.Distance)
	}
}

func TestProxyADistanceOfADomainWithItself(t *testing.T) {
	// A random split of one sample: the classifier can only guess.
	all := gaussian(800, 20, 0.5, 4)
	rng := rand.New(rand.NewPCG(5, 5))
	perm := rng.Perm(len(all))
	var a, b [][]float32
	for k, i := range perm {
		if k%2 == 0 {
			a = append(a, all[i])
		} else {
			b = append(b, all[i])
		}
	}
	for seed := uint64(1); seed <= 3; seed++ {
		pad, err := adapt.ProxyADistance(a, b, adapt.PADOptions{Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("seed %d: PAD %.3f (ε %.3f)", seed, pad.Distance, pad.Error)
		if math.Abs(pad.Distance) > 0.3 {
			t.Errorf("seed %d: PAD of a random split of one domain = %.3f (ε %.3f), want near 0", seed, pad.Distance, pad.Error)
		}
	}
}

func TestProxyADistanceErrors(t *testing.T) {
	if _, err := adapt.ProxyADistance(gaussian(5, 3, 0, 1), gaussian(50, 3, 0, 1), adapt.PADOptions{}); err == nil {
		t.Error("5 vectors: no error")
	}
	if _, err := adapt.ProxyADistance(gaussian(50, 3, 0, 1), gaussian(50, 4, 0, 1), adapt.PADOptions{}); err == nil {
		t.Error("widths 3 and 4: no error")
	}
	if _, err := adapt.ProxyADistance(gaussian(50, 3, 0, 1), gaussian(50, 3, 0, 1), adapt.PADOptions{TestFraction: 1.5}); err == nil {
		t.Error("test fraction 1.5: no error")
	}
}
