package compare

import (
	"fmt"

	"gonum.org/v1/plot"

	"github.com/nlp-transfer/gotl/plots"
	"github.com/nlp-transfer/gotl/tlkit/metrics"
)

// PrecisionRecall returns the precision–recall curve of each run of method at training set
// size n, in seed order, for the class positive (e.g. 1, spam) scored by the run's test
// probability of that class. Runs without TestProbs are an error.
func (c *Comparison) PrecisionRecall(method string, n, positive int, gold []int) ([]metrics.PRCurve, error) {
	if positive < 0 || positive >= len(c.Labels) {
		return nil, fmt.Errorf("precision-recall on %s: class %d outside the %d labels", c.Task, positive, len(c.Labels))
	}
	runs, err := c.runsAt("precision-recall", method, n, gold)
	if err != nil {
		return nil, err
	}
	isPos := make([]bool, len(gold))
	for i, g := range gold {
		isPos[i] = g == positive
	}
	var curves []metrics.PRCurve
	for _, r := range runs {
		if len(r.TestProbs) != len(gold) {
			return nil, fmt.Errorf("precision-recall on %s: %s n=%d seed=%d has %d test probability rows, want %d (a method that gives none?)",
				c.Task, method, n, r.Seed, len(r.TestProbs), len(gold))
		}
		scores := make([]float64, len(gold))
		for i, p := range r.TestProbs {
			scores[i] = float64(p[positive])
		}
		curve, err := metrics.PrecisionRecall(scores, isPos)
		if err != nil {
			return nil, fmt.Errorf("precision-recall on %s, %s n=%d seed=%d: %w", c.Task, method, n, r.Seed, err)
		}
		curves = append(curves, curve)
	}
	return curves, nil
}

// runsAt returns the runs of method at training set size n, in seed order, after checking that
// gold has one label per test example and that there is such a run; what names the caller in
// errors.
func (c *Comparison) runsAt(what, method string, n int, gold []int) ([]Run, error) {
	if len(gold) != c.NTest {
		return nil, fmt.Errorf("%s on %s: %d gold labels for %d test examples", what, c.Task, len(gold), c.NTest)
	}
	var runs []Run
	for _, r := range c.Runs {
		if r.Method == method && r.N == n {
			runs = append(runs, r)
		}
	}
	if len(runs) == 0 {
		return nil, fmt.Errorf("%s on %s: no run of %q with %d labels", what, c.Task, method, n)
	}
	return runs, nil
}

// PlotPrecisionRecall plots, for each method, the precision–recall curve of class positive of
// its first seed's run at size n (precision and recall in percent), the legend giving the
// average precision as mean ± std over all seeds.
func (c *Comparison) PlotPrecisionRecall(n, positive int, gold []int) (*plot.Plot, error) {
	var series []plots.XYSeries
	for _, m := range c.Methods {
		curves, err := c.PrecisionRecall(m, n, positive, gold)
		if err != nil {
			return nil, err
		}
		ap := make([]float64, len(curves))
		for i, cv := range curves {
			ap[i] = cv.AveragePrecision
		}
		s := plots.XYSeries{Name: fmt.Sprintf("%s (AP %s)", c.label(m), metrics.Summarize(ap).Percent())}
		for i := range curves[0].Recall {
			s.X = append(s.X, 100*curves[0].Recall[i])
			s.Y = append(s.Y, 100*curves[0].Precision[i])
		}
		series = append(series, s)
	}
	title := fmt.Sprintf("%s: precision–recall of %q with %d labels (seed %d)", c.Task, c.Labels[positive], n, c.Seeds[0])
	p, err := plots.Lines(title, "recall %", "precision %", series...)
	if err != nil {
		return nil, err
	}
	p.X.Min, p.X.Max, p.Y.Max = 0, 100, 100
	return p, nil
}

// Reports returns the classification report (per-class precision, recall, F1, confusion
// matrix) of each run of method at training set size n, in seed order, against the test
// labels gold.
func (c *Comparison) Reports(method string, n int, gold []int) ([]metrics.Report, error) {
	runs, err := c.runsAt("reports", method, n, gold)
	if err != nil {
		return nil, err
	}
	out := make([]metrics.Report, len(runs))
	for i, r := range runs {
		if err := metrics.Check(r.TestPred, gold, len(c.Labels)); err != nil {
			return nil, fmt.Errorf("reports on %s, %s n=%d seed=%d: %w", c.Task, method, n, r.Seed, err)
		}
		out[i] = metrics.Classification(r.TestPred, gold, len(c.Labels))
	}
	return out, nil
}
