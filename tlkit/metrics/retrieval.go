package metrics

import (
	"fmt"
	"math"
)

// RetrievalAccuracy is the translation-retrieval accuracy of XTREME's Tatoeba task (Hu et al.
// 2020): for each query i, the candidate nearest to it by cosine similarity must be
// candidates[i], its translation. A tie counts against the query unless candidates[i] is the
// first of the tied (lowest index), as an argmax would pick it. Both sets must hold the same
// number of vectors, all of one dimension; a zero vector has similarity 0 with everything.
// Swap the arguments for the other direction.
func RetrievalAccuracy(queries, candidates [][]float32) (float64, error) {
	if len(queries) == 0 || len(queries) != len(candidates) {
		return 0, fmt.Errorf("retrieval accuracy: %d queries and %d candidates; want the same positive number (pair i is query i and candidate i)", len(queries), len(candidates))
	}
	dim := len(queries[0])
	norm := func(vs [][]float32, what string) ([][]float64, error) {
		out := make([][]float64, len(vs))
		for i, v := range vs {
			if len(v) != dim {
				return nil, fmt.Errorf("retrieval accuracy: %s %d has %d dimensions, want %d", what, i, len(v), dim)
			}
			n := 0.0
			for _, x := range v {
				n += float64(x) * float64(x)
			}
			if n = math.Sqrt(n); math.IsNaN(n) || math.IsInf(n, 0) {
				return nil, fmt.Errorf("retrieval accuracy: %s %d holds NaN or infinite values", what, i)
			}
			out[i] = make([]float64, dim)
			for j, x := range v {
				if n > 0 {
					out[i][j] = float64(x) / n
				}
			}
		}
		return out, nil
	}
	q, err := norm(queries, "query")
	if err != nil {
		return 0, err
	}
	c, err := norm(candidates, "candidate")
	if err != nil {
		return 0, err
	}
	correct := 0
	for i, qv := range q {
		best, bestSim := -1, math.Inf(-1)
		for k, cv := range c {
			sim := 0.0
			for j := range qv {
				sim += qv[j] * cv[j]
			}
			if sim > bestSim {
				best, bestSim = k, sim
			}
		}
		if best == i {
			correct++
		}
	}
	return float64(correct) / float64(len(q)), nil
}
