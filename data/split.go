package data

import (
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"sort"
)

// DefaultSeed is the seed of the splits the loaders make for datasets published without
// one (mr, subj, imdb2k, amazon, movie_reviews).
const DefaultSeed uint64 = 2024

// DefaultTrainFraction, DefaultDevFraction and DefaultTestFraction are the fractions of the
// splits the loaders make for datasets published without one: 80% train, 10% dev, 10% test,
// stratified by label, with DefaultSeed.
const (
	DefaultTrainFraction = 0.8
	DefaultDevFraction   = 0.1
	DefaultTestFraction  = 0.1
)

// pcgStream is the fixed second word of the PCG state: with it, a seed alone picks the
// sequence.
const pcgStream = 0x9e3779b97f4a7c15

// Split shuffles the indices 0..n-1 with seed and cuts them into len(fractions) parts of
// sizes proportional to fractions, which must be non-negative and sum to 1. Part k gets
// the indices from round(n·(f₀+…+f_{k-1})) to round(n·(f₀+…+f_k)) of the shuffled order, so
// the parts are disjoint and together hold every index once.
//
// The shuffle uses math/rand/v2's PCG generator seeded with (seed, a fixed constant) and a
// Fisher–Yates shuffle written here, so the same seed gives the same split on every run,
// platform and Go version; a different seed gives a different one.
func Split(n int, seed uint64, fractions ...float64) ([][]int, error) {
	if err := checkFractions(fractions); err != nil {
		return nil, err
	}
	if n < 0 {
		return nil, fmt.Errorf("split of %d items: n must be non-negative", n)
	}
	rng := rand.NewPCG(seed, pcgStream)
	indices := make([]int, n)
	for i := range indices {
		indices[i] = i
	}
	shuffle(rng, indices)
	parts := cut(indices, fractions)
	for i, part := range parts {
		parts[i] = append([]int(nil), part...)
	}
	return parts, nil
}

// StratifiedSplit is like Split but keeps the label proportions: it splits the indices of
// each label separately (labels in ascending order, each with the fractions), then joins
// the parts and shuffles each part, so examples of one label are not grouped together.
// labels[i] is the label of item i.
func StratifiedSplit(labels []int, seed uint64, fractions ...float64) ([][]int, error) {
	if err := checkFractions(fractions); err != nil {
		return nil, err
	}
	byLabel := make(map[int][]int)
	for i, l := range labels {
		byLabel[l] = append(byLabel[l], i)
	}
	keys := make([]int, 0, len(byLabel))
	for l := range byLabel {
		keys = append(keys, l)
	}
	sort.Ints(keys)

	rng := rand.NewPCG(seed, pcgStream)
	parts := make([][]int, len(fractions))
	for _, l := range keys {
		indices := byLabel[l]
		shuffle(rng, indices)
		for k, part := range cut(indices, fractions) {
			parts[k] = append(parts[k], part...)
		}
	}
	for k := range parts {
		if parts[k] == nil {
			parts[k] = []int{}
		}
		shuffle(rng, parts[k])
	}
	return parts, nil
}

func checkFractions(fractions []float64) error {
	if len(fractions) == 0 {
		return fmt.Errorf("split: no fractions given")
	}
	sum := 0.0
	for _, f := range fractions {
		if f < 0 || math.IsNaN(f) {
			return fmt.Errorf("split: fractions %v: each must be non-negative", fractions)
		}
		sum += f
	}
	if math.Abs(sum-1) > 1e-9 {
		return fmt.Errorf("split: fractions %v sum to %g, they must sum to 1", fractions, sum)
	}
	return nil
}

// cut cuts items into len(fractions) consecutive sub-slices.
func cut(items []int, fractions []float64) [][]int {
	parts := make([][]int, len(fractions))
	n := len(items)
	start, cum := 0, 0.0
	for k, f := range fractions {
		cum += f
		end := int(math.Round(float64(n) * cum))
		if k == len(fractions)-1 || end > n {
			end = n
		}
		if end < start {
			end = start
		}
		parts[k] = items[start:end]
		start = end
	}
	return parts
}

// shuffle is a Fisher–Yates shuffle drawing from rng. It is written here, rather than using
// rand.Shuffle, so that its output depends only on PCG's (specified) output sequence.
func shuffle(rng *rand.PCG, items []int) {
	for i := len(items) - 1; i > 0; i-- {
		j := int(boundedUint64(rng, uint64(i+1)))
		items[i], items[j] = items[j], items[i]
	}
}

// boundedUint64 returns a uniform value in [0, n) by Lemire's multiply-and-reject method.
func boundedUint64(rng *rand.PCG, n uint64) uint64 {
	hi, lo := bits.Mul64(rng.Uint64(), n)
	if lo < n {
		threshold := -n % n
		for lo < threshold {
			hi, lo = bits.Mul64(rng.Uint64(), n)
		}
	}
	return hi
}
