package probe

import (
	"fmt"
	"math"
)

// PairFeatures combines the vectors u (of the first texts) and v (of the second texts) of
// sentence pairs into InferSent's pair features [u, v, |u−v|, u⊙v] (Conneau et al. 2017,
// "Supervised Learning of Universal Sentence Representations from Natural Language Inference
// Data"), four times their width: a linear head on them sees both sentences, how far apart
// they are in each dimension, and where they agree. u and v must have the same length and
// width.
func PairFeatures(u, v [][]float32) ([][]float32, error) {
	if len(u) != len(v) {
		return nil, fmt.Errorf("pair features: %d first and %d second vectors", len(u), len(v))
	}
	out := make([][]float32, len(u))
	for i := range u {
		if len(u[i]) != len(v[i]) {
			return nil, fmt.Errorf("pair features: pair %d has vectors of width %d and %d", i, len(u[i]), len(v[i]))
		}
		out[i] = pairRow(u[i], v[i])
	}
	return out, nil
}

// pairRow is [u, v, |u−v|, u⊙v].
func pairRow(u, v []float32) []float32 {
	d := len(u)
	row := make([]float32, 4*d)
	copy(row, u)
	copy(row[d:], v)
	for j := range d {
		row[2*d+j] = float32(math.Abs(float64(u[j] - v[j])))
		row[3*d+j] = u[j] * v[j]
	}
	return row
}
