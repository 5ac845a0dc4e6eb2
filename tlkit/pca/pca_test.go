package pca

import (
	"math"
	"testing"
)

func TestPCA(t *testing.T) {
	// Points spread along the direction (1, 1, 0), with a little spread along (1, -1, 0)
	// and none along z: the first component is ±(1, 1, 0)/√2 and explains most variance.
	var vs [][]float32
	for i := -5; i <= 5; i++ {
		a, b := float32(i), float32(0.1*float64(max(i, -i)%2)) // b is even in i: uncorrelated with a.
		vs = append(vs, []float32{10 + a + b, 20 + a - b, 3})
	}
	p, err := Fit(vs, 2)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Mean; math.Abs(got[0]-10-0.6/11) > 1e-6 || math.Abs(got[1]-20+0.6/11) > 1e-6 || got[2] != 3 {
		t.Errorf("mean = %v, want [10+0.6/11 20-0.6/11 3]", got)
	}
	c := p.Components[0]
	if math.Abs(math.Abs(c[0])-math.Sqrt2/2) > 1e-6 || math.Abs(c[0]-c[1]) > 1e-6 || math.Abs(c[2]) > 1e-9 {
		t.Errorf("first component = %v, want ±(1, 1, 0)/√2", c)
	}
	if p.Explained[0] < 0.99 || p.Explained[0]+p.Explained[1] < 1-1e-9 {
		t.Errorf("explained = %v, want the first > 0.99 and both summing to 1", p.Explained)
	}
	proj, err := p.Project(vs[:1])
	if err != nil {
		t.Fatal(err)
	}
	// The first point lies 5√2 along (1, 1)/√2 from the mean.
	if math.Abs(math.Abs(proj[0][0])-5*math.Sqrt2) > 1e-5 {
		t.Errorf("projection of the first point = %v, want ±%v along PC1", proj[0], 5*math.Sqrt2)
	}
	if _, err := Fit(vs[:1], 1); err == nil {
		t.Error("FitPCA of one vector: want an error")
	}
	if _, err := Fit(vs, 4); err == nil {
		t.Error("FitPCA with k > width: want an error")
	}
	if _, err := Fit([][]float32{{1, 2}, {1}}, 1); err == nil {
		t.Error("FitPCA with ragged vectors: want an error")
	}
	if _, err := Fit([][]float32{{1, float32(math.NaN())}, {1, 2}}, 1); err == nil {
		t.Error("FitPCA with NaN: want an error")
	}
}
