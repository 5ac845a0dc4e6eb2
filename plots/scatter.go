package plots

import (
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// Scatter returns a scatter plot with one group of points per series, each in its own color
// and glyph shape, e.g. 2-D projections (PCA, t-SNE) of sentence vectors grouped by label or by
// domain. Every series needs X and Y of equal, non-zero length.
func Scatter(title, xlabel, ylabel string, series ...XYSeries) (*plot.Plot, error) {
	if len(series) == 0 {
		return nil, fmt.Errorf("plots.Scatter %q: no series", title)
	}
	p := newPlot(title, xlabel, ylabel, true)
	legend := len(series) > 1 || series[0].Name != ""
	var allX, allY []float64
	for j, s := range series {
		if len(s.Y) == 0 || len(s.X) != len(s.Y) {
			return nil, fmt.Errorf("plots.Scatter %q: series %d (%q) has %d X and %d Y values; want as many, at least one",
				title, j, s.Name, len(s.X), len(s.Y))
		}
		if s.Errors != nil {
			return nil, fmt.Errorf("plots.Scatter %q: series %d (%q) has Errors; Scatter draws no error bars (use Lines)", title, j, s.Name)
		}
		if err := checkFinite(s.X); err != nil {
			return nil, fmt.Errorf("plots.Scatter %q: series %d (%q) X: %w", title, j, s.Name, err)
		}
		if err := checkFinite(s.Y); err != nil {
			return nil, fmt.Errorf("plots.Scatter %q: series %d (%q) Y: %w", title, j, s.Name, err)
		}
		xys := make(plotter.XYs, len(s.Y))
		for i := range s.Y {
			xys[i] = plotter.XY{X: s.X[i], Y: s.Y[i]}
		}
		pts, err := plotter.NewScatter(xys)
		if err != nil {
			return nil, fmt.Errorf("plots.Scatter %q: series %d (%q): %w", title, j, s.Name, err)
		}
		pts.Color = withAlpha(Color(j), 0.75)
		pts.Shape = plotutil.Shape(j)
		pts.Radius = vg.Points(2.5)
		p.Add(pts)
		if legend {
			p.Legend.Add(s.Name, pts)
		}
		allX, allY = append(allX, s.X...), append(allY, s.Y...)
	}
	if legend {
		headroom(p, 0.08*float64(len(series)))
		legendCorner(p, allX, allY)
	}
	return p, nil
}
