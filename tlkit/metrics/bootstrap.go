package metrics

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// BootstrapCI returns a percentile-bootstrap confidence interval [lo, hi] for
// metric(pred, gold) at the given level (e.g. 0.95): it scores resamples resamples of
// the examples drawn with replacement (pred and gold resampled together) and returns
// the (1-level)/2 and (1+level)/2 quantiles of the scores (linearly interpolated, like
// numpy.percentile). The resamples come from a PCG generator seeded with seed, so the
// interval is the same for the same inputs and seed. 1000 resamples are usual; more
// give a steadier interval.
//
// The interval measures the uncertainty due to the finite test set only, not that due to
// the training seed (see MeanStd for that).
//
// It panics if pred and gold differ in length or are empty, resamples < 1, or level is
// not in (0, 1).
func BootstrapCI(pred, gold []int, metric func(pred, gold []int) float64, resamples int, level float64, seed uint64) (lo, hi float64) {
	n := len(gold)
	switch {
	case len(pred) != n:
		panic(fmt.Errorf("metrics.BootstrapCI: %d predictions for %d gold labels; want one prediction per example", len(pred), n))
	case n == 0:
		panic(fmt.Errorf("metrics.BootstrapCI: no examples to score"))
	case resamples < 1:
		panic(fmt.Errorf("metrics.BootstrapCI: %d resamples; want at least 1 (1000 is usual)", resamples))
	case !(level > 0 && level < 1):
		panic(fmt.Errorf("metrics.BootstrapCI: level %v; want a fraction in (0, 1), e.g. 0.95", level))
	}
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	scores := make([]float64, resamples)
	p, g := make([]int, n), make([]int, n)
	for r := range scores {
		for i := range n {
			j := rng.IntN(n)
			p[i], g[i] = pred[j], gold[j]
		}
		scores[r] = metric(p, g)
	}
	slices.Sort(scores)
	return quantile(scores, (1-level)/2), quantile(scores, (1+level)/2)
}

// quantile returns the q-quantile of sorted values, interpolating linearly between
// order statistics (numpy's default "linear" method).
func quantile(sorted []float64, q float64) float64 {
	pos := q * float64(len(sorted)-1)
	i := int(math.Floor(pos))
	if i >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	f := pos - float64(i)
	return sorted[i] + f*(sorted[i+1]-sorted[i])
}
