package metrics

import (
	"math"
	"testing"
)

func TestSummaryCI(t *testing.T) {
	s := Summarize([]float64{0.78, 0.79, 0.80})
	lo, hi := s.CI(0.95)
	// Student's t(0.975, 2 df) = 4.3027; std 0.01, √3: half-width 0.024842.
	if math.Abs(lo-(0.79-0.024842)) > 1e-5 || math.Abs(hi-(0.79+0.024842)) > 1e-5 {
		t.Errorf("CI = [%.6f, %.6f], want 0.79 ± 0.024842", lo, hi)
	}
	// Ten values: t(0.975, 9 df) = 2.2622.
	xs := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	s = Summarize(xs)
	lo, hi = s.CI(0.95)
	if want := 2.2622 * s.Std / math.Sqrt(10); math.Abs((hi-lo)/2-want) > 1e-3 {
		t.Errorf("half-width %.4f, want %.4f", (hi-lo)/2, want)
	}
	if got, want := Summarize([]float64{0.78, 0.79, 0.80}).FormatCI(100, 1), "79.0 ± 1.0 (76.5–81.5)"; got != want {
		t.Errorf("FormatCI = %q, want %q", got, want)
	}
	if got, want := Summarize([]float64{0.785}).FormatCI(100, 1), "78.5"; got != want {
		t.Errorf("FormatCI of one value = %q, want %q", got, want)
	}
	if lo, hi := Summarize([]float64{1}).CI(0.95); !math.IsNaN(lo) || !math.IsNaN(hi) {
		t.Errorf("one value: CI = [%g, %g], want NaN", lo, hi)
	}
}
