package train

import (
	"math"
	"testing"
)

func TestStandardizer(t *testing.T) {
	a := [][]float32{{1, 5, 2}, {3, 5, 2}}
	b := [][]float32{{5, 5, 8}}
	s := FitStandardizer(3, a, b)
	// Feature 0: 1, 3, 5 → mean 3, std √(8/3). Feature 1: constant → scale 1. Feature 2: 2, 2, 8 → mean 4, std √8.
	want := Standardizer{Mean: []float32{3, 5, 4}, Scale: []float32{float32(1 / math.Sqrt(8.0/3)), 1, float32(1 / math.Sqrt(8))}}
	for j := range 3 {
		if math.Abs(float64(s.Mean[j]-want.Mean[j])) > 1e-6 || math.Abs(float64(s.Scale[j]-want.Scale[j])) > 1e-6 {
			t.Fatalf("feature %d: mean %g scale %g, want %g and %g", j, s.Mean[j], s.Scale[j], want.Mean[j], want.Scale[j])
		}
	}
	flat := s.Flat(append(a, b...))
	for j := range 3 {
		var sum, sumSq float64
		for i := range 3 {
			v := float64(flat[i*3+j])
			sum += v
			sumSq += v * v
		}
		if j != 1 && (math.Abs(sum/3) > 1e-6 || math.Abs(sumSq/3-1) > 1e-5) {
			t.Errorf("feature %d after Flat: mean %g, variance %g; want 0 and 1", j, sum/3, sumSq/3)
		}
	}
	if r := s.Row(b[0]); r[0] != flat[6] || r[2] != flat[8] {
		t.Errorf("Row %v differs from Flat's last row %v", r, flat[6:])
	}
	id := IdentityStandardizer(2)
	if r := id.Row([]float32{7, -2}); r[0] != 7 || r[1] != -2 {
		t.Errorf("identity: %v", r)
	}
}
