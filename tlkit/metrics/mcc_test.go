package metrics

import (
	"math"
	"testing"
)

func TestMatthewsCorrelation(t *testing.T) {
	for _, c := range []struct {
		pred, gold []int
		want       float64
	}{
		// scikit-learn's documented example: matthews_corrcoef([+1, +1, +1, -1], [+1, -1, +1, +1]) = -0.33...
		{[]int{1, 0, 1, 1}, []int{1, 1, 1, 0}, -1.0 / 3},
		{[]int{1, 0, 1, 0}, []int{1, 0, 1, 0}, 1},
		{[]int{0, 1, 0, 1}, []int{1, 0, 1, 0}, -1},
		{[]int{1, 1, 1, 1}, []int{1, 0, 1, 0}, 0}, // one predicted class
		// TP 3, TN 4, FP 1, FN 2: (12 − 2) / √(4·5·5·6).
		{[]int{1, 1, 1, 0, 0, 0, 0, 0, 0, 1}, []int{1, 1, 1, 1, 1, 0, 0, 0, 0, 0}, 10 / math.Sqrt(600)},
	} {
		if got := MatthewsCorrelation(c.pred, c.gold); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("MatthewsCorrelation(%v, %v) = %v, want %v", c.pred, c.gold, got, c.want)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("label 2: no panic")
		}
	}()
	MatthewsCorrelation([]int{2}, []int{1})
}
