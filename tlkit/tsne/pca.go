package tsne

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// pcaReduce returns the coordinates of the rows of x along their first k principal
// components (gonum's stat.PC).
func pcaReduce(x [][]float64, k int) ([][]float64, error) {
	n, d := len(x), len(x[0])
	a := mat.NewDense(n, d, nil)
	for i, row := range x {
		a.SetRow(i, row)
	}
	var pc stat.PC
	if !pc.PrincipalComponents(a, nil) {
		return nil, fmt.Errorf("PCA to %d dimensions: the SVD of the %d×%d data did not converge; set Options.PCADims = -1 to skip it", k, n, d)
	}
	var vecs mat.Dense
	pc.VectorsTo(&vecs)
	k = min(k, n, d)
	// Center, then project on the first k directions.
	for j := range d {
		m := 0.0
		for i := range n {
			m += a.At(i, j)
		}
		m /= float64(n)
		for i := range n {
			a.Set(i, j, a.At(i, j)-m)
		}
	}
	var proj mat.Dense
	proj.Mul(a, vecs.Slice(0, d, 0, k))
	out := make([][]float64, n)
	for i := range out {
		out[i] = mat.Row(nil, i, &proj)
	}
	return out, nil
}
