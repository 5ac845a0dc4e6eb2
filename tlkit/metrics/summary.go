package metrics

import (
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/gonum/stat/distuv"
)

// MeanStd returns the mean and the sample standard deviation (dividing by n-1, like
// numpy.std(ddof=1) and gonum's stat.StdDev) of xs, e.g. the test accuracies of runs
// with different seeds. The std of a single value is 0; both are NaN when xs is empty.
func MeanStd(xs []float64) (mean, std float64) {
	n := len(xs)
	if n == 0 {
		return math.NaN(), math.NaN()
	}
	for _, x := range xs {
		mean += x
	}
	mean /= float64(n)
	if n == 1 {
		return mean, 0
	}
	ss := 0.0
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(ss / float64(n-1))
}

// Summary is the mean ± sample standard deviation of N values, e.g. a score over seeds.
type Summary struct {
	Mean float64 `json:"mean"`
	Std  float64 `json:"std"`
	N    int     `json:"n"`
}

// Summarize returns the Summary of xs (see MeanStd).
func Summarize(xs []float64) Summary {
	m, s := MeanStd(xs)
	return Summary{Mean: m, Std: s, N: len(xs)}
}

// Format writes the summary as "mean ± std" after multiplying both by scale, with the
// given number of decimals: Summary{Mean: 0.8234, Std: 0.0041}.Format(100, 1) is
// "82.3 ± 0.4" (a percentage).
func (s Summary) Format(scale float64, decimals int) string {
	return strconv.FormatFloat(s.Mean*scale, 'f', decimals, 64) + " ± " + strconv.FormatFloat(s.Std*scale, 'f', decimals, 64)
}

// CI returns the confidence interval of the mean at level (0.95 for 95%) from Student's t
// with N−1 degrees of freedom: mean ± t(1−(1−level)/2, N−1)·std/√N. With three seeds the
// factor is 4.303, so the interval is wide; it is NaN for fewer than two values.
func (s Summary) CI(level float64) (lo, hi float64) {
	if s.N < 2 || !(level > 0 && level < 1) {
		return math.NaN(), math.NaN()
	}
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(s.N - 1)}.Quantile(1 - (1-level)/2)
	half := t * s.Std / math.Sqrt(float64(s.N))
	return s.Mean - half, s.Mean + half
}

// FormatCI is Format followed by the 95% confidence interval of the mean (CI):
// "82.3 ± 0.4 (81.3–83.3)". A single value has neither spread nor interval: "82.3".
func (s Summary) FormatCI(scale float64, decimals int) string {
	if s.N == 1 {
		return strconv.FormatFloat(s.Mean*scale, 'f', decimals, 64)
	}
	lo, hi := s.CI(0.95)
	f := func(x float64) string { return strconv.FormatFloat(x*scale, 'f', decimals, 64) }
	return s.Format(scale, decimals) + " (" + f(lo) + "–" + f(hi) + ")"
}

// Percent is Format(100, 1): scores in [0, 1] as percentages, "82.3 ± 0.4".
func (s Summary) Percent() string { return s.Format(100, 1) }

// String implements fmt.Stringer: "0.823 ± 0.004 (n=3)".
func (s Summary) String() string { return fmt.Sprintf("%s (n=%d)", s.Format(1, 3), s.N) }
