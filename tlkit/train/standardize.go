package train

import "math"

// constantStd is the standard deviation at or below which a feature counts as constant and
// keeps scale 1.
const constantStd = 1e-8

// Standardizer rescales each feature to zero mean and unit variance with the statistics of a
// training set: x' = (x − Mean)·Scale. The feature heads (tlkit.TrainHead), the domain
// adaptation networks (tlkit/adapt) and the meta-learners (tlkit/meta) standardize their
// frozen input vectors with it. Build one with FitStandardizer or IdentityStandardizer.
type Standardizer struct {
	// Mean and Scale hold, per feature, the training mean and the inverse standard deviation
	// (1 for a constant feature).
	Mean, Scale []float32
}

// IdentityStandardizer returns the Standardizer that leaves dim features unchanged.
func IdentityStandardizer(dim int) Standardizer {
	s := Standardizer{Mean: make([]float32, dim), Scale: make([]float32, dim)}
	for j := range s.Scale {
		s.Scale[j] = 1
	}
	return s
}

// FitStandardizer returns the Standardizer of dim features fitted on the rows of all the
// sets together (sums in float64, rows in order). A feature whose standard deviation is at
// most 1e-8 keeps scale 1.
func FitStandardizer(dim int, sets ...[][]float32) Standardizer {
	sum, sumSq := make([]float64, dim), make([]float64, dim)
	n := 0
	for _, set := range sets {
		for _, row := range set {
			for j, v := range row {
				sum[j] += float64(v)
				sumSq[j] += float64(v) * float64(v)
			}
			n++
		}
	}
	s := IdentityStandardizer(dim)
	for j := range dim {
		mean := sum[j] / float64(n)
		std := math.Sqrt(max(sumSq[j]/float64(n)-mean*mean, 0))
		s.Mean[j] = float32(mean)
		if std > constantStd {
			s.Scale[j] = float32(1 / std)
		}
	}
	return s
}

// Row returns v standardized, in a new slice.
func (s Standardizer) Row(v []float32) []float32 {
	out := make([]float32, len(v))
	for j, x := range v {
		out[j] = (x - s.Mean[j]) * s.Scale[j]
	}
	return out
}

// Flat returns the rows of x standardized and flattened row by row.
func (s Standardizer) Flat(x [][]float32) []float32 {
	flat := make([]float32, 0, len(x)*len(s.Mean))
	for _, row := range x {
		for j, v := range row {
			flat = append(flat, (v-s.Mean[j])*s.Scale[j])
		}
	}
	return flat
}
