package plots

import (
	"fmt"
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// blues is the sequential palette of heatmaps, light to dark: ColorBrewer's "Blues"
// (the default of scikit-learn's ConfusionMatrixDisplay, via matplotlib).
var blues = []color.NRGBA{
	{0xf7, 0xfb, 0xff, 0xff}, {0xde, 0xeb, 0xf7, 0xff}, {0xc6, 0xdb, 0xef, 0xff},
	{0x9e, 0xca, 0xe1, 0xff}, {0x6b, 0xae, 0xd6, 0xff}, {0x42, 0x92, 0xc6, 0xff},
	{0x21, 0x71, 0xb5, 0xff}, {0x08, 0x51, 0x9c, 0xff}, {0x08, 0x30, 0x6b, 0xff},
}

// SequentialColor returns the heatmap color of t in [0, 1] (clamped): from near-white
// at 0 to dark blue at 1, interpolated linearly in RGB between the palette's steps.
func SequentialColor(t float64) color.Color {
	if math.IsNaN(t) {
		t = 0
	}
	t = math.Max(0, math.Min(1, t)) * float64(len(blues)-1)
	i := min(int(t), len(blues)-2)
	f := t - float64(i)
	a, b := blues[i], blues[i+1]
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + f*(float64(y)-float64(x)))) }
	return color.NRGBA{R: mix(a.R, b.R), G: mix(a.G, b.G), B: mix(a.B, b.B), A: 0xff}
}

// Heatmap returns a grid of colored cells, one per values[i][j], with row i labelled
// rowLabels[i] (the first row at the top) and column j labelled colLabels[j]. Cell colors
// follow the sequential palette of SequentialColor from the smallest value (light) to
// the largest (dark), and each cell shows its value formatted with format (a fmt verb
// such as "%.2f"; "" means "%.0f" when all values are whole numbers, else "%.2f"). Set
// p.X.Label.Text and p.Y.Label.Text to name the axes. For a confusion matrix, use
// Confusion.
func Heatmap(title string, rowLabels, colLabels []string, values [][]float64, format string) (*plot.Plot, error) {
	if err := checkGrid(rowLabels, colLabels, len(values), func(i int) int { return len(values[i]) }); err != nil {
		return nil, fmt.Errorf("plots.Heatmap %q: %w", title, err)
	}
	lo, hi, err := Range(values...)
	if err != nil {
		return nil, fmt.Errorf("plots.Heatmap %q: %w", title, err)
	}
	if format == "" {
		format = "%.0f"
		for _, row := range values {
			for _, v := range row {
				if v != math.Trunc(v) {
					format = "%.2f"
				}
			}
		}
	}
	text := make([][]string, len(values))
	for i, row := range values {
		for _, v := range row {
			text[i] = append(text[i], fmt.Sprintf(format, v))
		}
	}
	return heatmap(title, rowLabels, colLabels, values, text, lo, hi), nil
}

// Confusion returns a confusion-matrix heatmap: matrix[g][p] counts the examples of
// true class labels[g] predicted as labels[p] (rows true, columns predicted, as
// metrics.Confusion returns it), with the axes named "true" and "predicted". Cells
// show the counts, colored from 0 to the largest count. With normalize, each row is
// divided by its total (the recall of the class on the diagonal): cells are colored by
// that fraction from 0 to 1 and show the percentage above the count.
func Confusion(title string, labels []string, matrix [][]int, normalize bool) (*plot.Plot, error) {
	if err := checkGrid(labels, labels, len(matrix), func(i int) int { return len(matrix[i]) }); err != nil {
		return nil, fmt.Errorf("plots.Confusion %q: %w", title, err)
	}
	values := make([][]float64, len(matrix))
	text := make([][]string, len(matrix))
	hi := 0.0
	for g, row := range matrix {
		total := 0
		for p, n := range row {
			if n < 0 {
				return nil, fmt.Errorf("plots.Confusion %q: count [%d][%d] is %d; want counts >= 0", title, g, p, n)
			}
			total += n
		}
		for _, n := range row {
			v := float64(n)
			if normalize {
				v = 0
				if total > 0 {
					v = float64(n) / float64(total)
				}
				text[g] = append(text[g], fmt.Sprintf("%.1f%%\n%d", 100*v, n))
			} else {
				text[g] = append(text[g], fmt.Sprint(n))
			}
			values[g] = append(values[g], v)
			hi = math.Max(hi, v)
		}
	}
	if normalize || hi == 0 {
		hi = 1
	}
	p := heatmap(title, labels, labels, values, text, 0, hi)
	p.X.Label.Text, p.Y.Label.Text = "predicted", "true"
	return p, nil
}

// checkGrid checks that there are as many rows as row labels, and as many values in
// each row (rowLen(i)) as column labels.
func checkGrid(rowLabels, colLabels []string, rows int, rowLen func(i int) int) error {
	if len(rowLabels) == 0 || len(colLabels) == 0 {
		return fmt.Errorf("no rows or columns")
	}
	if rows != len(rowLabels) {
		return fmt.Errorf("%d rows of values for %d row labels; want one row per label", rows, len(rowLabels))
	}
	for i := range rows {
		if n := rowLen(i); n != len(colLabels) {
			return fmt.Errorf("row %d has %d values for %d column labels; want one value per column", i, n, len(colLabels))
		}
	}
	return nil
}

// heatmap builds the chart: cell (i, j) is centered on x = j, y = rows-1-i.
func heatmap(title string, rowLabels, colLabels []string, values [][]float64, text [][]string, lo, hi float64) *plot.Plot {
	p := newBarePlot(title, "", "")
	h := &cells{values: values, text: text, lo: lo, hi: hi}
	h.style = draw.TextStyle{
		Font:    font.From(p.Y.Tick.Label.Font, font.Length(12)),
		Handler: p.Y.Tick.Label.Handler,
		XAlign:  draw.XCenter,
		YAlign:  draw.YCenter,
	}
	p.Add(h)
	xLabels := colLabels
	if long := maxLen(colLabels); long*len(colLabels) > 50 {
		xLabels = make([]string, len(colLabels))
		for i, l := range colLabels {
			xLabels[i] = wrapLabel(l)
		}
	}
	p.NominalX(xLabels...)
	reversed := make([]string, len(rowLabels))
	for i, l := range rowLabels {
		reversed[len(rowLabels)-1-i] = l
	}
	p.NominalY(reversed...)
	p.X.Min, p.X.Max = -0.5, float64(len(colLabels))-0.5
	p.Y.Min, p.Y.Max = -0.5, float64(len(rowLabels))-0.5
	p.X.Padding, p.Y.Padding = 0, 0
	if long := maxLen(xLabels); len(colLabels) > 10 || long*len(colLabels) > 80 {
		p.X.Tick.Label.Rotation = math.Pi / 4
		p.X.Tick.Label.XAlign = draw.XRight
		p.X.Tick.Label.YAlign = draw.YTop
		p.X.Padding = vg.Points(4)
	}
	return p
}

// cells draws the colored cells of a heatmap with their text.
type cells struct {
	values [][]float64
	text   [][]string
	lo, hi float64
	style  draw.TextStyle
}

// Plot implements plot.Plotter.
func (h *cells) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	rows := len(h.values)
	cellW, cellH := trX(0.5)-trX(-0.5), trY(0.5)-trY(-0.5)
	// The largest font size, up to 14 points, at which every text fits its cell.
	size := vg.Points(14)
	for _, row := range h.text {
		for _, s := range row {
			lines := strings.Split(s, "\n")
			for _, l := range lines {
				if w := h.style.Width(l); w > 0 {
					size = min(size, h.style.Font.Size*0.85*cellW/w)
				}
			}
			if ht := h.style.Height(s); ht > 0 {
				size = min(size, h.style.Font.Size*0.85*cellH/ht)
			}
		}
	}
	sty := h.style
	sty.Font.Size = size
	span := h.hi - h.lo
	for i, row := range h.values {
		y := float64(rows - 1 - i)
		for j, v := range row {
			t := 0.5
			if span > 0 {
				t = (v - h.lo) / span
			}
			pts := []vg.Point{
				{X: trX(float64(j) - 0.5), Y: trY(y - 0.5)}, {X: trX(float64(j) - 0.5), Y: trY(y + 0.5)},
				{X: trX(float64(j) + 0.5), Y: trY(y + 0.5)}, {X: trX(float64(j) + 0.5), Y: trY(y - 0.5)},
			}
			c.FillPolygon(SequentialColor(t), c.ClipPolygonXY(pts))
			c.StrokeLines(draw.LineStyle{Color: color.White, Width: vg.Points(1)}, c.ClipLinesXY(append(pts, pts[0]))...)
			if size < vg.Points(5) {
				continue // too small to read
			}
			sty.Color = color.Gray{Y: 20}
			if t > 0.55 {
				sty.Color = color.White
			}
			c.FillText(sty, vg.Point{X: trX(float64(j)), Y: trY(y)}, h.text[i][j])
		}
	}
}

// DataRange implements plot.DataRanger.
func (h *cells) DataRange() (xmin, xmax, ymin, ymax float64) {
	return -0.5, float64(len(h.values[0])) - 0.5, -0.5, float64(len(h.values)) - 0.5
}

// wrapLabel breaks a label of several words onto two lines, at the space nearest to its
// middle: "very negative" becomes "very\nnegative".
func wrapLabel(l string) string {
	r := []rune(l)
	best := -1
	for i, c := range r {
		if c == ' ' && (best < 0 || abs(2*i-len(r)) < abs(2*best-len(r))) {
			best = i
		}
	}
	if best < 0 {
		return l
	}
	return string(r[:best]) + "\n" + string(r[best+1:])
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
