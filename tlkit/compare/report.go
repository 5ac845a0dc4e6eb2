package compare

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"gonum.org/v1/plot"

	"github.com/nlp-transfer/gotl/internal/cachefile"
	"github.com/nlp-transfer/gotl/plots"
)

// Markdown returns the comparison as a Markdown table, one row per method (and training set
// size, when there are several): accuracy and macro-F1 as mean ± std over the seeds in
// percent, the bootstrap CI of the mean accuracy, the number of seeds and the mean time of
// a run.
func (c *Comparison) Markdown() string {
	var b strings.Builder
	sized := len(c.Sizes) > 1
	level := fmt.Sprintf("%g%%", 100*c.Level)
	if sized {
		b.WriteString("| method | labels | accuracy % | " + level + " CI | macro-F1 % | seeds | s/run |\n")
		b.WriteString("|:--|--:|--:|--:|--:|--:|--:|\n")
	} else {
		b.WriteString("| method | accuracy % | " + level + " CI | macro-F1 % | seeds | s/run |\n")
		b.WriteString("|:--|--:|--:|--:|--:|--:|\n")
	}
	flagged := 0
	for _, r := range c.Results {
		name := strings.NewReplacer("|", `\|`, "\n", " ").Replace(r.Method)
		if r.DegenerateRuns > 0 {
			name += fmt.Sprintf(" ⚠ %d/%d", r.DegenerateRuns, r.Accuracy.N)
			flagged++
		}
		b.WriteString("| " + name + " | ")
		if sized {
			fmt.Fprintf(&b, "%d | ", r.N)
		}
		fmt.Fprintf(&b, "%s | %.1f–%.1f | %s | %d | %.1f |\n", r.Accuracy.Percent(),
			100*r.AccuracyCI[0], 100*r.AccuracyCI[1], r.MacroF1.Percent(), r.Accuracy.N, r.Seconds)
	}
	if flagged > 0 {
		b.WriteString("\n⚠ k/n: k of the n runs predict (nearly) one class or score a chance macro-F1: broken runs, not a baseline (see Run.Degenerate).\n")
	}
	return b.String()
}

// label is a method's name in plots: marked "[degenerate runs]" when any of its results has
// a degenerate run.
func (c *Comparison) label(method string) string {
	for _, r := range c.Results {
		if r.Method == method && r.DegenerateRuns > 0 {
			return method + " [degenerate runs]" // The plots' font has no ⚠.
		}
	}
	return method
}

// WriteJSON writes the comparison (summaries and every run with its test predictions) to
// path as indented JSON, atomically.
func (c *Comparison) WriteJSON(path string) error {
	if err := cachefile.WriteJSON(path, c); err != nil {
		return fmt.Errorf("writing the comparison on %s: %w", c.Task, err)
	}
	return nil
}

// ReadComparison reads a comparison written by WriteJSON.
func ReadComparison(path string) (*Comparison, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading a comparison: %w", err)
	}
	var c Comparison
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, fmt.Errorf("reading the comparison %s: %w", path, err)
	}
	return &c, nil
}

// Plot returns a bar chart of the mean test accuracy (in percent) of each method at the
// largest training set size, with the standard deviation over seeds as error bars.
func (c *Comparison) Plot() (*plot.Plot, error) {
	if len(c.Sizes) == 0 {
		return nil, fmt.Errorf("plotting the comparison on %s: no results", c.Task)
	}
	n := c.Sizes[len(c.Sizes)-1]
	values := make([]float64, len(c.Methods))
	errs := make([]float64, len(c.Methods))
	for i, m := range c.Methods {
		r, _ := c.Result(m, n)
		values[i], errs[i] = 100*r.Accuracy.Mean, 100*r.Accuracy.Std
	}
	title := fmt.Sprintf("%s: test accuracy (mean ± std over %d seeds)", c.Task, len(c.Seeds))
	names := make([]string, len(c.Methods))
	for i, m := range c.Methods {
		names[i] = c.label(m)
	}
	p, err := plots.Bars(title, names, []plots.Series{{Name: "accuracy %", Values: values, Errors: errs}})
	if err != nil {
		return nil, err
	}
	p.Y.Label.Text = "test accuracy %"
	return p, nil
}

// PlotCurve returns the accuracy vs number-of-labels curve of a Sweep: one line per method,
// mean test accuracy (percent) against the training set size, with a band of ± the std over
// seeds (log X axis when the sizes span more than a factor of 10).
func (c *Comparison) PlotCurve() (*plot.Plot, error) {
	if len(c.Sizes) < 2 {
		return nil, fmt.Errorf("plotting the learning curve on %s: %d training set sizes, want at least 2 (use Sweep)", c.Task, len(c.Sizes))
	}
	series := make([]plots.XYSeries, len(c.Methods))
	for i, m := range c.Methods {
		series[i].Name = c.label(m)
		for _, n := range c.Sizes {
			r, _ := c.Result(m, n)
			series[i].X = append(series[i].X, float64(n))
			series[i].Y = append(series[i].Y, 100*r.Accuracy.Mean)
			series[i].Errors = append(series[i].Errors, 100*r.Accuracy.Std)
		}
	}
	title := fmt.Sprintf("%s: test accuracy vs labelled examples (mean of %d seeds)", c.Task, len(c.Seeds))
	lines := plots.Lines
	if c.Sizes[len(c.Sizes)-1] > 10*c.Sizes[0] {
		lines = plots.LinesLogX
	}
	return lines(title, "labelled training examples", "test accuracy %", series...)
}
