package plots

import (
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// Default output size of Show: 16 cm × 10 cm, which is 605 × 378 pixels in a PNG
// (gonum renders PNGs at 96 dots per inch).
const (
	DefaultWidth  = 16 * vg.Centimeter
	DefaultHeight = 10 * vg.Centimeter
)

// Font sizes of the charts.
const (
	titleSize  = 14
	labelSize  = 12
	tickSize   = 10
	legendSize = 11
)

// Color returns the i-th color of the fixed chart palette (gonum's plotutil.SoftColors),
// wrapping around; series i of every chart gets Color(i).
func Color(i int) color.Color {
	n := len(plotutil.SoftColors)
	return plotutil.SoftColors[((i%n)+n)%n]
}

// withAlpha returns c with opacity a in [0, 1].
func withAlpha(c color.Color, a float64) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: uint8(math.Round(a * 255))}
}

// newPlot returns an empty plot with the package's title, label and tick styles, and a
// light horizontal grid (and a vertical one when vgrid).
func newPlot(title, xlabel, ylabel string, vgrid bool) *plot.Plot {
	p := newBarePlot(title, xlabel, ylabel)
	grid := plotter.NewGrid()
	grid.Horizontal.Color = color.Gray{Y: 215}
	grid.Horizontal.Width = vg.Points(0.5)
	if vgrid {
		grid.Vertical = grid.Horizontal
	} else {
		grid.Vertical.Color = nil
	}
	p.Add(grid)
	return p
}

// newBarePlot is newPlot without the grid.
func newBarePlot(title, xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = font.Length(titleSize)
	p.Title.Padding = vg.Points(8)
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle.Font.Size = font.Length(labelSize)
		ax.Tick.Label.Font.Size = font.Length(tickSize)
		ax.Tick.Marker = plainTicks{}
	}
	p.Legend.TextStyle.Font.Size = font.Length(legendSize)
	p.Legend.Top = true
	p.Legend.ThumbnailWidth = vg.Points(16)
	p.Legend.Padding = vg.Points(2)
	return p
}

// legendCorner places the legend in the top corner, left or right, that holds fewer data
// points (xs, ys in data units), so that it covers as little data as possible. The axis
// ranges must already be final.
func legendCorner(p *plot.Plot, xs, ys []float64) {
	xspan, yspan := p.X.Max-p.X.Min, p.Y.Max-p.Y.Min
	if xspan <= 0 || yspan <= 0 || p.X.Scale == nil {
		return
	}
	var left, right int
	for i := range xs {
		if x := xs[i]; x < p.X.Min || x > p.X.Max {
			continue
		}
		// Normalize follows the axis scale (linear or logarithmic).
		fx, fy := p.X.Scale.Normalize(p.X.Min, p.X.Max, xs[i]), (ys[i]-p.Y.Min)/yspan
		if fy < 0.6 {
			continue
		}
		if fx < 0.4 {
			left++
		} else if fx > 0.6 {
			right++
		}
	}
	p.Legend.Left = left < right
	if p.Legend.Left {
		p.Legend.XOffs = vg.Points(8)
	} else {
		p.Legend.XOffs = -vg.Points(8)
	}
	p.Legend.YOffs = -vg.Points(6)
}

// headroom raises the top of the Y axis by frac of its range, leaving space for the
// legend above the data.
func headroom(p *plot.Plot, frac float64) {
	if span := p.Y.Max - p.Y.Min; span > 0 {
		p.Y.Max += frac * span
	}
}

// plainTicks are gonum's default tick positions with labels in the shortest plain
// notation: "250" rather than "250.00", "0.5" rather than "0.50".
type plainTicks struct{}

// Ticks implements plot.Ticker.
func (plainTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(lo, hi)
	for i, t := range ticks {
		if t.Label != "" {
			ticks[i].Label = formatTick(t.Value)
		}
	}
	return ticks
}

// formatTick writes v with at most 10 significant digits (hiding floating-point noise
// such as 0.30000000000000004), in exponent notation only when very large or small.
func formatTick(v float64) string {
	if v == 0 {
		return "0"
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 10, 64), 64)
	if a := math.Abs(r); a >= 1e6 || a < 1e-4 {
		return strconv.FormatFloat(r, 'g', -1, 64)
	}
	return strconv.FormatFloat(r, 'f', -1, 64)
}
