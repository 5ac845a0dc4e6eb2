package plots

import (
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// XYSeries is a named curve: the points (X[i], Y[i]).
type XYSeries struct {
	// Name labels the curve in the legend, e.g. "train loss".
	Name string
	// X holds the abscissas (e.g. training steps). If nil, it is 0, 1, ..., len(Y)-1.
	X []float64
	// Y holds the ordinates, one per X.
	Y []float64
}

// maxMarkedPoints is the number of points up to which curves also get a glyph per point.
const maxMarkedPoints = 30

// Lines returns a line chart with one curve per series, e.g. learning curves of train
// and validation loss against the step. Curves differ in color and dash pattern; short
// curves (up to 30 points) also mark each point.
func Lines(title, xlabel, ylabel string, series ...XYSeries) (*plot.Plot, error) {
	if len(series) == 0 {
		return nil, fmt.Errorf("plots.Lines %q: no series", title)
	}
	p := newPlot(title, xlabel, ylabel, true)
	legend := len(series) > 1 || series[0].Name != ""
	var allX, allY []float64
	for j, s := range series {
		if len(s.Y) == 0 {
			return nil, fmt.Errorf("plots.Lines %q: series %d (%q) has no points", title, j, s.Name)
		}
		if s.X != nil && len(s.X) != len(s.Y) {
			return nil, fmt.Errorf("plots.Lines %q: series %d (%q) has %d X and %d Y values; want as many",
				title, j, s.Name, len(s.X), len(s.Y))
		}
		xys := make(plotter.XYs, len(s.Y))
		for i, y := range s.Y {
			x := float64(i)
			if s.X != nil {
				x = s.X[i]
			}
			xys[i] = plotter.XY{X: x, Y: y}
		}
		line, err := plotter.NewLine(xys)
		if err != nil {
			return nil, fmt.Errorf("plots.Lines %q: series %d (%q): %w", title, j, s.Name, err)
		}
		line.Color = Color(j)
		line.Width = vg.Points(1.5)
		line.Dashes = plotutil.Dashes(j)
		p.Add(line)
		thumbs := []plot.Thumbnailer{line}
		if len(xys) <= maxMarkedPoints {
			pts, err := plotter.NewScatter(xys)
			if err != nil {
				return nil, fmt.Errorf("plots.Lines %q: series %d (%q): %w", title, j, s.Name, err)
			}
			pts.Color = Color(j)
			pts.Shape = plotutil.Shape(j)
			pts.Radius = vg.Points(2.5)
			p.Add(pts)
			thumbs = append(thumbs, pts)
		}
		if legend {
			p.Legend.Add(s.Name, thumbs...)
		}
		for _, xy := range xys {
			allX, allY = append(allX, xy.X), append(allY, xy.Y)
		}
	}
	if legend {
		headroom(p, 0.08*float64(len(series)))
		legendCorner(p, allX, allY)
	}
	return p, nil
}
