// Package pca is gotl's principal component analysis of sets of vectors (sentence
// embeddings, features), on gonum's stat.PC: the maps of notebooks 00, 02 and 04 and the first
// reduction of t-SNE use it.
package pca

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// PCA is a principal component analysis of a set of vectors, e.g. sentence embeddings.
type PCA struct {
	// Mean is the mean vector that Project subtracts.
	Mean []float64
	// Components holds the first k principal directions, one unit vector per row, by
	// decreasing variance.
	Components [][]float64
	// Variance is the variance along each component.
	Variance []float64
	// Explained is the fraction of the total variance along each component.
	Explained []float64
}

// Fit computes the first k principal components of vectors (one row per vector, all of
// the same width). It needs at least two vectors, and 1 <= k <= their width.
func Fit(vectors [][]float32, k int) (*PCA, error) {
	n := len(vectors)
	if n < 2 {
		return nil, fmt.Errorf("PCA: need at least 2 vectors, got %d", n)
	}
	d := len(vectors[0])
	if k < 1 || k > d {
		return nil, fmt.Errorf("PCA: k=%d components of %d-d vectors: want 1 <= k <= %d", k, d, d)
	}
	x := mat.NewDense(n, d, nil)
	for i, v := range vectors {
		if len(v) != d {
			return nil, fmt.Errorf("PCA: vector %d has %d values, vector 0 has %d", i, len(v), d)
		}
		for j, f := range v {
			if math.IsNaN(float64(f)) || math.IsInf(float64(f), 0) {
				return nil, fmt.Errorf("PCA: vector %d holds %v at %d", i, f, j)
			}
			x.Set(i, j, float64(f))
		}
	}
	var pc stat.PC
	if !pc.PrincipalComponents(x, nil) {
		return nil, fmt.Errorf("PCA: the SVD of the %d×%d data did not converge", n, d)
	}
	var dirs mat.Dense
	pc.VectorsTo(&dirs)
	vars := pc.VarsTo(nil)
	total := 0.0
	for _, v := range vars {
		total += v
	}
	p := &PCA{Mean: make([]float64, d)}
	for j := range d {
		p.Mean[j] = stat.Mean(mat.Col(nil, j, x), nil)
	}
	for c := range min(k, len(vars)) {
		p.Components = append(p.Components, mat.Col(nil, c, &dirs))
		p.Variance = append(p.Variance, vars[c])
		explained := 0.0
		if total > 0 {
			explained = vars[c] / total
		}
		p.Explained = append(p.Explained, explained)
	}
	return p, nil
}

// Project returns the coordinates of each vector along the components.
func (p *PCA) Project(vectors [][]float32) ([][]float64, error) {
	out := make([][]float64, len(vectors))
	for i, v := range vectors {
		if len(v) != len(p.Mean) {
			return nil, fmt.Errorf("PCA.Project: vector %d has %d values, want %d", i, len(v), len(p.Mean))
		}
		out[i] = make([]float64, len(p.Components))
		for c, dir := range p.Components {
			s := 0.0
			for j, f := range v {
				s += (float64(f) - p.Mean[j]) * dir[j]
			}
			out[i][c] = s
		}
	}
	return out, nil
}
