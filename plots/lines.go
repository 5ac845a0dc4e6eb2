package plots

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// XYSeries is a named curve: the points (X[i], Y[i]).
type XYSeries struct {
	// Name labels the curve in the legend, e.g. "train loss".
	Name string
	// X holds the abscissas (e.g. training steps). If nil, it is 0, 1, ..., len(Y)-1.
	X []float64
	// Y holds the ordinates, one per X.
	Y []float64
	// Errors, if not nil, holds one error half-width per point, e.g. the standard
	// deviation over seeds: Lines and LinesLogX shade the band Y[i] ± Errors[i] around
	// the curve. Scatter does not accept it.
	Errors []float64
}

// maxMarkedPoints is the number of points up to which curves also get a glyph per point.
const maxMarkedPoints = 30

// bandAlpha is the opacity of the error bands of Lines.
const bandAlpha = 0.2

// Lines returns a line chart with one curve per series, e.g. learning curves of train
// and validation loss against the step. Curves differ in color and dash pattern; short
// curves (up to 30 points) also mark each point. Series with Errors get a shaded band
// of ± the error around the curve.
func Lines(title, xlabel, ylabel string, series ...XYSeries) (*plot.Plot, error) {
	return lines("plots.Lines", title, xlabel, ylabel, false, series)
}

// LinesLogX is Lines with a logarithmic X axis, ticked at 1, 2 and 5 times the powers of
// ten, e.g. accuracy against the number of training labels (50 to 6920). All X values
// must be positive, and X must be given.
func LinesLogX(title, xlabel, ylabel string, series ...XYSeries) (*plot.Plot, error) {
	return lines("plots.LinesLogX", title, xlabel, ylabel, true, series)
}

func lines(fn, title, xlabel, ylabel string, logX bool, series []XYSeries) (*plot.Plot, error) {
	if len(series) == 0 {
		return nil, fmt.Errorf("%s %q: no series", fn, title)
	}
	p := newPlot(title, xlabel, ylabel, true)
	legend := len(series) > 1 || series[0].Name != ""
	var allX, allY []float64
	for j, s := range series {
		if len(s.Y) == 0 {
			return nil, fmt.Errorf("%s %q: series %d (%q) has no points", fn, title, j, s.Name)
		}
		if s.X != nil && len(s.X) != len(s.Y) {
			return nil, fmt.Errorf("%s %q: series %d (%q) has %d X and %d Y values; want as many",
				fn, title, j, s.Name, len(s.X), len(s.Y))
		}
		if err := checkErrors(s.Errors, len(s.Y)); err != nil {
			return nil, fmt.Errorf("%s %q: series %d (%q): %w", fn, title, j, s.Name, err)
		}
		xys := make(plotter.XYs, len(s.Y))
		for i, y := range s.Y {
			x := float64(i)
			if s.X != nil {
				x = s.X[i]
			}
			if logX && !(x > 0) {
				return nil, fmt.Errorf("%s %q: series %d (%q) has X = %v at point %d; a logarithmic axis needs X > 0",
					fn, title, j, s.Name, x, i)
			}
			xys[i] = plotter.XY{X: x, Y: y}
		}
		line, err := plotter.NewLine(xys)
		if err != nil {
			return nil, fmt.Errorf("%s %q: series %d (%q): %w", fn, title, j, s.Name, err)
		}
		line.Color = Color(j)
		line.Width = vg.Points(1.5)
		line.Dashes = plotutil.Dashes(j)
		if s.Errors != nil {
			p.Add(newBand(xys, s.Errors, withAlpha(Color(j), bandAlpha)))
		}
		p.Add(line)
		thumbs := []plot.Thumbnailer{line}
		if len(xys) <= maxMarkedPoints {
			pts, err := plotter.NewScatter(xys)
			if err != nil {
				return nil, fmt.Errorf("%s %q: series %d (%q): %w", fn, title, j, s.Name, err)
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
		for i, xy := range xys {
			allX, allY = append(allX, xy.X), append(allY, xy.Y)
			if s.Errors != nil {
				allX, allY = append(allX, xy.X), append(allY, xy.Y+s.Errors[i])
			}
		}
	}
	if logX {
		if err := LogX(p); err != nil {
			return nil, fmt.Errorf("%s: %w", fn, err)
		}
	}
	if legend {
		headroom(p, 0.08*float64(len(series)))
		legendCorner(p, allX, allY)
	}
	return p, nil
}

// band fills the area between y-err and y+err along a curve.
type band struct {
	xys   plotter.XYs
	err   []float64
	color color.Color
}

func newBand(xys plotter.XYs, err []float64, c color.Color) *band {
	return &band{xys: xys, err: err, color: c}
}

// Plot implements plot.Plotter.
func (b *band) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	n := len(b.xys)
	pts := make([]vg.Point, 0, 2*n)
	for i := range n {
		pts = append(pts, vg.Point{X: trX(b.xys[i].X), Y: trY(b.xys[i].Y + b.err[i])})
	}
	for i := n - 1; i >= 0; i-- {
		pts = append(pts, vg.Point{X: trX(b.xys[i].X), Y: trY(b.xys[i].Y - b.err[i])})
	}
	c.FillPolygon(b.color, c.ClipPolygonXY(pts))
}

// DataRange implements plot.DataRanger.
func (b *band) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax, ymin, ymax = math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for i, xy := range b.xys {
		xmin, xmax = math.Min(xmin, xy.X), math.Max(xmax, xy.X)
		ymin, ymax = math.Min(ymin, xy.Y-b.err[i]), math.Max(ymax, xy.Y+b.err[i])
	}
	return
}
