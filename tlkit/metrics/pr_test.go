package metrics

import (
	"math"
	"slices"
	"testing"
)

func TestPrecisionRecall(t *testing.T) {
	// scikit-learn: average_precision_score([0,0,1,1], [0.1,0.4,0.35,0.8]) = 0.8333...
	c, err := PrecisionRecall([]float64{0.1, 0.4, 0.35, 0.8}, []bool{false, false, true, true})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.Thresholds, []float64{0.8, 0.4, 0.35, 0.1}) ||
		!slices.Equal(c.Recall, []float64{0.5, 0.5, 1, 1}) ||
		!slices.Equal(c.Precision, []float64{1, 0.5, 2.0 / 3, 0.5}) {
		t.Errorf("curve %+v", c)
	}
	if math.Abs(c.AveragePrecision-5.0/6) > 1e-12 {
		t.Errorf("AP = %v, want 5/6", c.AveragePrecision)
	}
	// Ties form one point; a perfect ranking has AP 1.
	c, err = PrecisionRecall([]float64{0.9, 0.9, 0.2}, []bool{true, false, false})
	if err != nil || len(c.Thresholds) != 2 || c.Precision[0] != 0.5 || c.AveragePrecision != 0.5 {
		t.Errorf("tied scores: %+v, %v; want 2 points, P=0.5 at the tie, AP 0.5", c, err)
	}
	if c, _ := PrecisionRecall([]float64{3, 2, 1}, []bool{true, true, false}); c.AveragePrecision != 1 {
		t.Errorf("perfect ranking: AP %v, want 1", c.AveragePrecision)
	}
	for _, bad := range []struct {
		s []float64
		p []bool
	}{{[]float64{1}, []bool{true, false}}, {[]float64{1, 2}, []bool{false, false}}, {[]float64{math.NaN()}, []bool{true}}} {
		if _, err := PrecisionRecall(bad.s, bad.p); err == nil {
			t.Errorf("PrecisionRecall(%v, %v): no error", bad.s, bad.p)
		}
	}
}
