package plots

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Series is a named list of values: one bar per category in Bars, one distribution in
// Histograms.
type Series struct {
	// Name labels the series in the legend; it may be empty for a single series.
	Name string
	// Values holds the data, e.g. a count per category.
	Values []float64
	// Errors, if not nil, holds one error half-width per value, e.g. the standard
	// deviation over seeds: Bars draws an error bar from Values[i]-Errors[i] to
	// Values[i]+Errors[i] on each bar. Histograms do not use it.
	Errors []float64
}

// Bar returns a bar chart with one bar per label, e.g. the number of examples per class.
// labels and values must have the same length. Set p.Y.Label.Text to name the values.
func Bar(title string, labels []string, values []float64) (*plot.Plot, error) {
	return Bars(title, labels, []Series{{Values: values}})
}

// Bars returns a grouped bar chart: for each category, one bar per series side by side,
// e.g. the counts of each label (categories) in train, dev and test (series). Every
// series must have one value per category; series names are shown in a legend when
// there is more than one series. Series with Errors get error bars.
func Bars(title string, categories []string, series []Series) (*plot.Plot, error) {
	if len(categories) == 0 {
		return nil, fmt.Errorf("plots.Bars %q: no categories", title)
	}
	if len(series) == 0 {
		return nil, fmt.Errorf("plots.Bars %q: no series", title)
	}
	for i, s := range series {
		if len(s.Values) != len(categories) {
			return nil, fmt.Errorf("plots.Bars %q: series %d (%q) has %d values for %d categories; want one value per category",
				title, i, s.Name, len(s.Values), len(categories))
		}
		if err := checkFinite(s.Values); err != nil {
			return nil, fmt.Errorf("plots.Bars %q: series %d (%q): %w", title, i, s.Name, err)
		}
		if err := checkErrors(s.Errors, len(s.Values)); err != nil {
			return nil, fmt.Errorf("plots.Bars %q: series %d (%q): %w", title, i, s.Name, err)
		}
	}

	p := newPlot(title, "", "", false)
	const groupWidth = 0.8 // of the unit distance between categories
	w := groupWidth / float64(len(series))
	legend := len(series) > 1 || series[0].Name != ""
	for j, s := range series {
		b := &bars{width: w, color: Color(j), err: s.Errors}
		for i, v := range s.Values {
			b.x = append(b.x, float64(i)-groupWidth/2+w*(float64(j)+0.5))
			b.y = append(b.y, v)
		}
		p.Add(b)
		if legend {
			p.Legend.Add(s.Name, b)
		}
	}
	p.NominalX(categories...)
	p.X.Min, p.X.Max = -0.6, float64(len(categories))-0.4
	if p.Y.Min > 0 {
		p.Y.Min = 0
	}
	if p.Y.Max < 0 {
		p.Y.Max = 0
	}
	if long := maxLen(categories); len(categories) > 8 || long*len(categories) > 80 {
		p.X.Tick.Label.Rotation = math.Pi / 4
		p.X.Tick.Label.XAlign = draw.XRight
		p.X.Tick.Label.YAlign = draw.YCenter
	}
	if legend {
		headroom(p, 0.1*float64(len(series)))
		legendCorner(p, barTops(series), barHeights(series))
	}
	return p, nil
}

// bars draws rectangles of a fixed width in data units, from 0 to y, centered on x,
// with error bars y ± err when err is not nil. Unlike gonum's BarChart, whose width is
// an absolute length, it keeps grouped bars side by side at any output size.
type bars struct {
	x, y  []float64
	err   []float64
	width float64
	color color.Color
}

// errorBarStyle is the line style of error bars.
var errorBarStyle = draw.LineStyle{Color: color.Gray{Y: 30}, Width: vg.Points(1.2)}

// Plot implements plot.Plotter.
func (b *bars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	outline := draw.LineStyle{Color: color.Gray{Y: 60}, Width: vg.Points(0.5)}
	for i := range b.x {
		x0, x1 := trX(b.x[i]-b.width/2), trX(b.x[i]+b.width/2)
		y0, y1 := trY(0), trY(b.y[i])
		pts := []vg.Point{{X: x0, Y: y0}, {X: x0, Y: y1}, {X: x1, Y: y1}, {X: x1, Y: y0}}
		c.FillPolygon(b.color, c.ClipPolygonXY(pts))
		c.StrokeLines(outline, c.ClipLinesXY(append(pts, pts[0]))...)
	}
	for i := range b.err {
		x, capW := trX(b.x[i]), (trX(b.x[i]+b.width/2)-trX(b.x[i]-b.width/2))*0.2
		lo, hi := trY(b.y[i]-b.err[i]), trY(b.y[i]+b.err[i])
		c.StrokeLines(errorBarStyle, c.ClipLinesXY(
			[]vg.Point{{X: x, Y: lo}, {X: x, Y: hi}},
			[]vg.Point{{X: x - capW, Y: lo}, {X: x + capW, Y: lo}},
			[]vg.Point{{X: x - capW, Y: hi}, {X: x + capW, Y: hi}})...)
	}
}

// DataRange implements plot.DataRanger.
func (b *bars) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax, ymin, ymax = math.Inf(1), math.Inf(-1), 0, 0
	for i := range b.x {
		xmin, xmax = math.Min(xmin, b.x[i]-b.width/2), math.Max(xmax, b.x[i]+b.width/2)
		ymin, ymax = math.Min(ymin, b.y[i]), math.Max(ymax, b.y[i])
		if b.err != nil {
			ymin, ymax = math.Min(ymin, b.y[i]-b.err[i]), math.Max(ymax, b.y[i]+b.err[i])
		}
	}
	return
}

// Thumbnail implements plot.Thumbnailer for the legend.
func (b *bars) Thumbnail(c *draw.Canvas) {
	pts := []vg.Point{{X: c.Min.X, Y: c.Min.Y}, {X: c.Min.X, Y: c.Max.Y}, {X: c.Max.X, Y: c.Max.Y}, {X: c.Max.X, Y: c.Min.Y}}
	c.FillPolygon(b.color, c.ClipPolygonY(pts))
}

// barTops and barHeights return the centers and heights of all bars of a grouped chart,
// category by category, for legend placement.
func barTops(series []Series) []float64 {
	var xs []float64
	for _, s := range series {
		for i := range s.Values {
			xs = append(xs, float64(i))
		}
	}
	return xs
}

func barHeights(series []Series) []float64 {
	var ys []float64
	for _, s := range series {
		for i, v := range s.Values {
			if s.Errors != nil {
				v += s.Errors[i]
			}
			ys = append(ys, v)
		}
	}
	return ys
}

func maxLen(ss []string) int {
	m := 0
	for _, s := range ss {
		m = max(m, len([]rune(s)))
	}
	return m
}

// checkErrors returns an error unless errs is nil or holds n finite, non-negative
// error half-widths.
func checkErrors(errs []float64, n int) error {
	if errs == nil {
		return nil
	}
	if len(errs) != n {
		return fmt.Errorf("%d errors for %d values; want one error per value, or nil Errors", len(errs), n)
	}
	for i, e := range errs {
		if !(e >= 0) || math.IsInf(e, 1) {
			return fmt.Errorf("error %d is %v; want finite values >= 0 (half-widths, e.g. a standard deviation)", i, e)
		}
	}
	return nil
}

// checkFinite returns an error naming the first NaN or infinite value.
func checkFinite(values []float64) error {
	for i, v := range values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("value %d is %v; want finite numbers", i, v)
		}
	}
	return nil
}
