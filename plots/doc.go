// Package plots draws the charts of the gotl notebooks with gonum.org/v1/plot.
//
// Every chart (Bar, Bars, Histogram, Histograms, Lines, LinesLogX, Scatter, Heatmap,
// Confusion) is a plain function from plain Go data to a *plot.Plot with readable
// defaults (title, axis labels, grid, legend, colors from a fixed palette):
//
//	p, err := plots.Bars("Label balance", []string{"neg", "pos"}, []plots.Series{
//		{Name: "train", Values: []float64{3310, 3610}},
//		{Name: "test", Values: []float64{912, 909}},
//	})
//
// Series.Errors and XYSeries.Errors add error bars to Bars and shaded ± bands to Lines,
// e.g. the standard deviation over seeds; LinesLogX (or LogX) gives a logarithmic X axis
// for accuracy against the number of training labels; Confusion draws a confusion
// matrix as a heatmap with the count (and percentage) in each cell.
//
// The *plot.Plot can still be adjusted with gonum's API (p.Y.Label.Text = "examples")
// before it is output in one of three ways:
//
//   - Show displays it inline in a GoNB notebook cell, or, outside a notebook, writes
//     a PNG into $TLKIT_PLOTS (default ./plots-out) and prints the path;
//   - Save writes a .png, .svg or .pdf file, atomically;
//   - PNG and SVG return the encoded bytes.
package plots
