package plots

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Bins is a histogram: Counts[i] values fell in [Edges[i], Edges[i+1]), the last bin
// also holding values equal to its upper edge.
type Bins struct {
	// Edges are the n+1 bin boundaries, increasing.
	Edges []float64
	// Counts are the n bin counts.
	Counts []int
}

// Bin counts values into n equal-width bins spanning [lo, hi]. Values outside [lo, hi]
// are not counted. It returns an error if n < 1, lo >= hi, or a bound is not finite.
//
// Use Range to get the lo and hi of some data.
func Bin(values []float64, n int, lo, hi float64) (Bins, error) {
	if n < 1 {
		return Bins{}, fmt.Errorf("plots.Bin: %d bins; want at least 1", n)
	}
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) || lo >= hi {
		return Bins{}, fmt.Errorf("plots.Bin: range [%v, %v] is not a finite interval with lo < hi", lo, hi)
	}
	b := Bins{Edges: make([]float64, n+1), Counts: make([]int, n)}
	w := (hi - lo) / float64(n)
	for i := range b.Edges {
		b.Edges[i] = lo + float64(i)*w
	}
	b.Edges[n] = hi
	for _, v := range values {
		if !(v >= lo && v <= hi) {
			continue
		}
		i := min(int((v-lo)/w), n-1)
		b.Counts[i]++
	}
	return b, nil
}

// Range returns the smallest and largest of all values of all the slices. It returns an
// error if there are no values or one is NaN or infinite. When all values are equal it
// widens the range to [v-0.5, v+0.5], so that it can be binned.
func Range(values ...[]float64) (lo, hi float64, err error) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, vs := range values {
		if err := checkFinite(vs); err != nil {
			return 0, 0, err
		}
		for _, v := range vs {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if lo > hi {
		return 0, 0, fmt.Errorf("no values")
	}
	if lo == hi {
		lo, hi = lo-0.5, hi+0.5
	}
	return lo, hi, nil
}

// Histogram returns a histogram of values in the given number of equal-width bins over
// their range, e.g. the distribution of sentence lengths. The Y axis is the count.
func Histogram(title, xlabel string, values []float64, bins int) (*plot.Plot, error) {
	return Histograms(title, xlabel, bins, Series{Values: values})
}

// Histograms overlays the histograms of several series (e.g. sentence lengths in train
// and test) with shared bins spanning all their values, drawn semi-transparent and
// named in a legend.
func Histograms(title, xlabel string, bins int, series ...Series) (*plot.Plot, error) {
	if len(series) == 0 {
		return nil, fmt.Errorf("plots.Histograms %q: no series", title)
	}
	if bins < 1 {
		return nil, fmt.Errorf("plots.Histograms %q: %d bins; want at least 1", title, bins)
	}
	all := make([][]float64, len(series))
	for i, s := range series {
		if len(s.Values) == 0 {
			return nil, fmt.Errorf("plots.Histograms %q: series %d (%q) has no values", title, i, s.Name)
		}
		all[i] = s.Values
	}
	lo, hi, err := Range(all...)
	if err != nil {
		return nil, fmt.Errorf("plots.Histograms %q: %w", title, err)
	}

	p := newPlot(title, xlabel, "count", false)
	legend := len(series) > 1 || series[0].Name != ""
	alpha := 1.0
	if len(series) > 1 {
		alpha = 0.55
	}
	var xs, ys []float64
	for j, s := range series {
		b, err := Bin(s.Values, bins, lo, hi)
		if err != nil {
			return nil, fmt.Errorf("plots.Histograms %q: %w", title, err)
		}
		h := &plotter.Histogram{Width: b.Edges[1] - b.Edges[0], FillColor: withAlpha(Color(j), alpha)}
		h.LineStyle = plotter.DefaultLineStyle
		h.LineStyle.Width = vg.Points(0.5)
		h.LineStyle.Color = Color(j)
		for i, c := range b.Counts {
			h.Bins = append(h.Bins, plotter.HistogramBin{Min: b.Edges[i], Max: b.Edges[i+1], Weight: float64(c)})
			xs, ys = append(xs, (b.Edges[i]+b.Edges[i+1])/2), append(ys, float64(c))
		}
		p.Add(h)
		if legend {
			p.Legend.Add(s.Name, h)
		}
	}
	p.Y.Min = 0
	if legend {
		headroom(p, 0.1*float64(len(series)))
		legendCorner(p, xs, ys)
	}
	return p, nil
}
