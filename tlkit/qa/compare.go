package qa

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"gonum.org/v1/plot"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/internal/cachefile"
	"github.com/nlp-transfer/gotl/plots"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/metrics"
	"github.com/nlp-transfer/gotl/tlkit/train"
)

// Method is one system of Compare: Encoder trained by Run with Options at each of
// LearningRates (the one with the best dev F1 kept), or, with a nil Encoder, the Overlap
// baseline at each of OverlapWords (the best on dev kept).
type Method struct {
	Name          string
	Encoder       encoder.Encoder
	Options       Options
	LearningRates []float64
	OverlapWords  []int
}

// CompareOptions configures Compare.
type CompareOptions struct {
	// Sizes are the training set sizes in questions (0 or more than the training split: all
	// of it); a smaller size takes a seeded random subset of the training questions.
	Sizes []int
	// Seeds are the seeds of each trained method (the subset, the head's initial weights, the
	// data order, the dropout). The learning rate is chosen on dev with the first seed.
	Seeds []uint64
	// TuneAtLargest chooses each trained method's learning rate at the largest size only and
	// keeps it at the smaller ones (fewer runs); false chooses it at every size.
	TuneAtLargest bool
	// ResultsDir keeps each run's outcome as JSON, read back instead of training again when
	// the encoder, data and options are the same ("": under data.DefaultStore().CacheDir/qa/).
	ResultsDir string
	// Resamples and Level size the bootstrap confidence intervals over test questions.
	Resamples int
	Level     float64
}

// DefaultCompareOptions returns all the training questions, seeds 1, 2 and 3, 1000
// bootstrap resamples and 95% intervals.
func DefaultCompareOptions() CompareOptions {
	return CompareOptions{Sizes: []int{0}, Seeds: []uint64{1, 2, 3}, Resamples: 1000, Level: 0.95}
}

// CompareRun is one run of Compare.
type CompareRun struct {
	Method string  `json:"method"`
	N      int     `json:"n"`
	Seed   uint64  `json:"seed"`
	Param  float64 `json:"param"` // The learning rate, or the overlap baseline's word cap.
	DevEM  float64 `json:"dev_exact_match"`
	DevF1  float64 `json:"dev_f1"`
	TestEM float64 `json:"exact_match"`
	TestF1 float64 `json:"f1"`
	// PerQuestionEM and PerQuestionF1 are each test question's scores, in order; Predictions
	// the test answers.
	PerQuestionEM []float64         `json:"per_question_em"`
	PerQuestionF1 []float64         `json:"per_question_f1"`
	Predictions   map[string]string `json:"predictions"`
	Seconds       float64           `json:"seconds"`
	// History is the training run's (nil for the overlap baseline).
	History *train.History `json:"history,omitempty"`
}

// CompareRow is one method at one size: the chosen parameter's runs over the seeds.
type CompareRow struct {
	Method string          `json:"method"`
	N      int             `json:"n"`
	Param  float64         `json:"param"`
	EM, F1 metrics.Summary `json:"-"`
	// EMCI and F1CI are the bootstrap intervals (over test questions) of the mean EM and F1
	// over seeds.
	EMCI    [2]float64 `json:"exact_match_ci"`
	F1CI    [2]float64 `json:"f1_ci"`
	Seconds float64    `json:"seconds"`
}

// Comparison is the outcome of Compare.
type Comparison struct {
	Methods []string
	Sizes   []int
	Seeds   []uint64
	// Level is the confidence level of the rows' intervals (CompareOptions.Level).
	Level float64
	// Runs are every run, the learning-rate candidates included; Rows the chosen ones.
	Runs []CompareRun
	Rows []CompareRow
}

// Compare runs every method at every size and seed on task (XQuAD's article split, say):
// a trained method runs each learning rate with the first seed, keeps the one with the best
// dev F1 and runs the other seeds with it; the overlap baseline (deterministic) keeps its
// best word cap on dev. No test answer enters any choice.
func Compare(task *data.QASplits, methods []Method, opts CompareOptions) (*Comparison, error) {
	if len(task.Train) == 0 || len(task.Dev) == 0 || len(task.Test) == 0 {
		return nil, fmt.Errorf("qa.Compare: needs train, dev and test questions (%d, %d, %d)", len(task.Train), len(task.Dev), len(task.Test))
	}
	if len(opts.Seeds) == 0 || len(opts.Sizes) == 0 {
		return nil, fmt.Errorf("qa.Compare: no seeds or no sizes")
	}
	dir := opts.ResultsDir
	if dir == "" {
		dir = filepath.Join(data.DefaultStore().CacheDir, "qa", "compare")
	}
	if opts.Resamples <= 0 {
		opts.Resamples = 1000
	}
	if opts.Level <= 0 || opts.Level >= 1 {
		opts.Level = 0.95
	}
	c := &Comparison{Seeds: opts.Seeds, Level: opts.Level}
	for _, n := range opts.Sizes {
		if n <= 0 || n > len(task.Train) {
			n = len(task.Train)
		}
		c.Sizes = append(c.Sizes, n)
	}
	for _, m := range methods {
		c.Methods = append(c.Methods, m.Name)
		rows := make([]CompareRow, len(c.Sizes))
		order := make([]int, len(c.Sizes)) // Size indices, the largest first with TuneAtLargest.
		for i := range order {
			order[i] = i
		}
		if opts.TuneAtLargest {
			slices.SortStableFunc(order, func(a, b int) int { return c.Sizes[b] - c.Sizes[a] })
		}
		for k, i := range order {
			n := c.Sizes[i]
			var runs []CompareRun
			var err error
			if m.Encoder == nil {
				runs, err = c.overlapRuns(task, m, n)
			} else {
				runs, err = c.trainedRuns(task, m, n, opts.Seeds, dir)
			}
			if err != nil {
				return nil, err
			}
			rows[i] = summarise(m.Name, n, runs, opts)
			if k == 0 && opts.TuneAtLargest && m.Encoder != nil {
				m.LearningRates = []float64{runs[0].Param}
			}
		}
		c.Rows = append(c.Rows, rows...)
	}
	return c, nil
}

// overlapRuns scores the overlap baseline at each word cap on dev and returns the best one's
// run.
func (c *Comparison) overlapRuns(task *data.QASplits, m Method, n int) ([]CompareRun, error) {
	if len(m.OverlapWords) == 0 {
		return nil, fmt.Errorf("qa.Compare %s: no encoder and no OverlapWords", m.Name)
	}
	score := func(examples []data.QAExample, words int) (metrics.QAReport, map[string]string, error) {
		preds := make([]Prediction, len(examples))
		for i, ex := range examples {
			preds[i] = Overlap(ex, words)
		}
		ans := Answers(examples, preds)
		r, err := metrics.QAScores(ans, Gold(examples), m.Options.Rules)
		return r, ans, err
	}
	var best CompareRun
	for i, words := range m.OverlapWords {
		start := time.Now()
		dev, _, err := score(task.Dev, words)
		if err != nil {
			return nil, err
		}
		if i > 0 && dev.F1 <= best.DevF1 {
			continue
		}
		test, ans, err := score(task.Test, words)
		if err != nil {
			return nil, err
		}
		best = CompareRun{Method: m.Name, N: n, Param: float64(words), DevEM: dev.ExactMatch, DevF1: dev.F1,
			TestEM: test.ExactMatch, TestF1: test.F1, PerQuestionEM: test.PerQuestionEM, PerQuestionF1: test.PerQuestionF1, Predictions: ans, Seconds: time.Since(start).Seconds()}
	}
	c.Runs = append(c.Runs, best)
	return []CompareRun{best}, nil
}

// trainedRuns runs m at size n: each learning rate with seeds[0], then the other seeds with
// the best one on dev.
func (c *Comparison) trainedRuns(task *data.QASplits, m Method, n int, seeds []uint64, dir string) ([]CompareRun, error) {
	lrs := m.LearningRates
	if len(lrs) == 0 {
		lrs = []float64{m.Options.LearningRate}
	}
	var chosen []CompareRun
	for i, lr := range lrs {
		r, err := c.trainedRun(task, m, n, seeds[0], lr, dir)
		if err != nil {
			return nil, err
		}
		if i == 0 || r.DevF1 > chosen[0].DevF1 {
			chosen = []CompareRun{r}
		}
	}
	for _, seed := range seeds[1:] {
		r, err := c.trainedRun(task, m, n, seed, chosen[0].Param, dir)
		if err != nil {
			return nil, err
		}
		chosen = append(chosen, r)
	}
	return chosen, nil
}

// trainedRun is one Run of m on a subset of n training questions, read from dir when saved.
func (c *Comparison) trainedRun(task *data.QASplits, m Method, n int, seed uint64, lr float64, dir string) (CompareRun, error) {
	sub := &data.QASplits{Train: Subsample(task.Train, n, seed), Dev: task.Dev, Test: task.Test}
	opts := m.Options
	opts.Seed, opts.LearningRate = seed, lr
	h := sha256.New()
	fmt.Fprintf(h, "%s|%s|%d|", m.Name, runKey(m.Encoder, sub, opts), len(sub.Test))
	for _, ex := range sub.Test {
		fmt.Fprintf(h, "%s\t", ex.ID)
	}
	sum := hex.EncodeToString(h.Sum(nil)[:8])
	path := filepath.Join(dir, cachefile.Name(m.Name), fmt.Sprintf("n%d-seed%d-lr%g-%s.json", n, seed, lr, sum))
	var run CompareRun
	if err := cachefile.ReadJSON(path, &run); err == nil && len(run.PerQuestionF1) == len(sub.Test) {
		if len(run.PerQuestionEM) != len(sub.Test) { // Saved before runs kept per-question EM.
			test, err := metrics.QAScores(run.Predictions, Gold(sub.Test), opts.Rules)
			if err != nil {
				return CompareRun{}, fmt.Errorf("qa.Compare: rescoring %s: %w", path, err)
			}
			run.PerQuestionEM = test.PerQuestionEM
		}
		c.Runs = append(c.Runs, run)
		return run, nil
	}
	if opts.Progress == nil {
		opts.Progress = train.NoProgress()
	}
	res, err := Run(m.Encoder, sub, opts)
	if err != nil {
		return CompareRun{}, fmt.Errorf("qa.Compare %s (n=%d, seed %d, lr %g): %w", m.Name, n, seed, lr, err)
	}
	run = CompareRun{Method: m.Name, N: n, Seed: seed, Param: lr, DevEM: res.Dev.ExactMatch, DevF1: res.Dev.F1,
		TestEM: res.Test.ExactMatch, TestF1: res.Test.F1, PerQuestionEM: res.Test.PerQuestionEM, PerQuestionF1: res.Test.PerQuestionF1,
		Predictions: res.TestPredictions, Seconds: res.TrainTime.Seconds(), History: res.History}
	if err := cachefile.WriteJSON(path, run); err != nil {
		return CompareRun{}, fmt.Errorf("qa.Compare: saving %s: %w", m.Name, err)
	}
	c.Runs = append(c.Runs, run)
	return run, nil
}

// Subsample returns n of examples drawn at random with seed (all of them, in order, when n
// is 0 or at least len(examples)), in their original order.
func Subsample(examples []data.QAExample, n int, seed uint64) []data.QAExample {
	if n <= 0 || n >= len(examples) {
		return examples
	}
	idx := rand.New(rand.NewPCG(seed, 0x5ab5)).Perm(len(examples))[:n]
	slices.Sort(idx)
	out := make([]data.QAExample, n)
	for i, j := range idx {
		out[i] = examples[j]
	}
	return out
}

// summarise is the row of runs: means over seeds and the bootstrap CIs of the mean EM and F1.
func summarise(method string, n int, runs []CompareRun, opts CompareOptions) CompareRow {
	row := CompareRow{Method: method, N: n, Param: runs[0].Param}
	var em, f1 []float64
	for _, r := range runs {
		em, f1 = append(em, r.TestEM), append(f1, r.TestF1)
		row.Seconds += r.Seconds / float64(len(runs))
	}
	row.EM, row.F1 = metrics.Summarize(em), metrics.Summarize(f1)
	row.EMCI = seedMeanCI(runs, func(r CompareRun) []float64 { return r.PerQuestionEM }, opts)
	row.F1CI = seedMeanCI(runs, func(r CompareRun) []float64 { return r.PerQuestionF1 }, opts)
	return row
}

// seedMeanCI is the bootstrap interval, over test questions, of the mean over runs of the
// per-question score that score picks.
func seedMeanCI(runs []CompareRun, score func(CompareRun) []float64, opts CompareOptions) [2]float64 {
	idx := make([]int, len(score(runs[0])))
	for i := range idx {
		idx[i] = i
	}
	mean := func(drawn, _ []int) float64 {
		total := 0.0
		for _, r := range runs {
			s := score(r)
			for _, j := range drawn {
				total += s[j]
			}
		}
		return total / float64(len(drawn)*len(runs))
	}
	var ci [2]float64
	ci[0], ci[1] = metrics.BootstrapCI(idx, idx, mean, opts.Resamples, opts.Level, 1)
	return ci
}

// Run returns the run of method at size n with seed (with the chosen parameter for a
// trained method; the overlap baseline has one run a size, whatever the seed).
func (c *Comparison) Run(method string, n int, seed uint64) (CompareRun, bool) {
	row, ok := c.Row(method, n)
	if !ok {
		return CompareRun{}, false
	}
	for _, r := range c.Runs {
		if r.Method == method && r.N == n && r.Param == row.Param && (r.Seed == seed || r.History == nil) {
			return r, true
		}
	}
	return CompareRun{}, false
}

// Row returns method's row at size n.
func (c *Comparison) Row(method string, n int) (CompareRow, bool) {
	for _, r := range c.Rows {
		if r.Method == method && r.N == n {
			return r, true
		}
	}
	return CompareRow{}, false
}

// Markdown returns the rows as a table: EM and F1 (mean ± std over seeds, percent) with
// their intervals, the chosen parameter and the training time.
func (c *Comparison) Markdown() string {
	var b strings.Builder
	level := fmt.Sprintf("%g%% CI", 100*c.Level)
	fmt.Fprintf(&b, "| method | training questions | chosen on dev | EM %% | EM %s | F1 %% | F1 %s | seeds | train s |\n|---|---|---|---|---|---|---|---|---|\n", level, level)
	for _, r := range c.Rows {
		fmt.Fprintf(&b, "| %s | %d | %g | %s | %.1f–%.1f | %s | %.1f–%.1f | %d | %.0f |\n", r.Method, r.N, r.Param,
			r.EM.Percent(), 100*r.EMCI[0], 100*r.EMCI[1], r.F1.Percent(), 100*r.F1CI[0], 100*r.F1CI[1], r.F1.N, r.Seconds)
	}
	return b.String()
}

// PlotCurve returns test F1 (percent, mean over seeds, with the bootstrap interval as a
// band) against the number of training questions, one line a method.
func (c *Comparison) PlotCurve() (*plot.Plot, error) {
	if len(c.Sizes) == 0 {
		return nil, fmt.Errorf("plotting the QA comparison: no results")
	}
	series := make([]plots.XYSeries, len(c.Methods))
	for i, m := range c.Methods {
		series[i].Name = m
		for _, n := range c.Sizes {
			r, _ := c.Row(m, n)
			series[i].X = append(series[i].X, float64(n))
			series[i].Y = append(series[i].Y, 100*r.F1.Mean)
			series[i].Errors = append(series[i].Errors, 100*(r.F1CI[1]-r.F1CI[0])/2)
		}
	}
	return plots.Lines(fmt.Sprintf("test F1 vs training questions (mean of %d seeds, %g%% CI)", len(c.Seeds), 100*c.Level),
		"training questions", "test F1 %", series...)
}
