package compare

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/metrics"
)

// Method is one way to train a classifier on a task, for Compare and Sweep: e.g. logistic
// regression on frozen USE-lite features, or USE-lite fine-tuned with a freeze policy.
type Method struct {
	// Name identifies the method in tables, plots and the results folder. It must be unique
	// among the methods compared; change it when you change the method, or saved results
	// of the old method are reused (see Options.ResultsDir).
	Name string

	// Run trains on task.Train (model selection on task.Dev, which may be empty), with seed
	// for every random choice, and predicts task.Test.
	Run func(task *data.TextClassification, seed int64) (Outcome, error)
}

// Outcome is what one Method run returns.
type Outcome struct {
	// TestPred holds the predicted label of each test example, in order.
	TestPred []int

	// TestProbs, when not nil, holds the predicted class probabilities of each test
	// example, for precision–recall curves (FeaturesMethod, BagOfWordsMethod and
	// FineTuneMethod fill it).
	TestProbs [][]float32

	// Dev is the method's score on the dev split (e.g. the best dev accuracy of early
	// stopping); 0 when it has none. It is reported, not used.
	Dev float64
}

// Options configures Compare and Sweep. The zero value uses 1000 bootstrap resamples
// at the 95% level, saves nothing and prints nothing.
type Options struct {
	// ResultsDir, when not "", keeps each run's result as a JSON file
	// ResultsDir/TASK/METHOD/n<N>-seed<SEED>.json, written as soon as the run ends. A later
	// call with the same task (same examples), method name, size and seed reads it instead of
	// running the method again, so an interrupted notebook resumes where it stopped. The whole
	// comparison (the results table and every run) goes to ResultsDir/TASK/comparison.json.
	ResultsDir string

	// Resamples is the number of bootstrap resamples of the confidence intervals (1000).
	Resamples int

	// Level is the confidence level of the intervals (0.95).
	Level float64

	// Log, when not nil, receives one line per run (method, size, seed, scores, time). A
	// degenerate run (Run.Degenerate) is reported with a warning line here, or on os.Stderr
	// when Log is nil.
	Log io.Writer
}

// DefaultOptions returns 1000 bootstrap resamples at the 95% level, nothing saved and
// nothing printed: the zero value, spelled out.
func DefaultOptions() Options { return Options{Resamples: 1000, Level: 0.95} }

// Run is the result of one method on one training set size and seed.
type Run struct {
	Method string `json:"method"`
	// N is the number of training examples used.
	N    int   `json:"n"`
	Seed int64 `json:"seed"`
	// Accuracy and MacroF1 score TestPred on the test split.
	Accuracy float64 `json:"accuracy"`
	MacroF1  float64 `json:"macro_f1"`
	// Dev is Outcome.Dev.
	Dev float64 `json:"dev,omitempty"`
	// Seconds is the run's wall time (of the original run, for a reused result).
	Seconds  float64 `json:"seconds"`
	TestPred []int   `json:"test_pred"`
	// TestProbs is Outcome.TestProbs (nil when the method gives none).
	TestProbs [][]float32 `json:"test_probs,omitempty"`
	// Degenerate says why the run looks broken (metrics.Degenerate: nearly one predicted
	// class, or macro-F1 at chance), "" for a healthy run. Such a run is a bug to fix (its
	// learning rate, its steps), not a baseline.
	Degenerate string `json:"degenerate,omitempty"`
	// Reused says the result was read from Options.ResultsDir, not computed.
	Reused bool `json:"-"`
}

// Result summarises the runs of one method at one training set size over the seeds.
type Result struct {
	Method string `json:"method"`
	N      int    `json:"n"`
	// Accuracy and MacroF1 are the mean ± sample std over the seeds.
	Accuracy metrics.Summary `json:"accuracy"`
	MacroF1  metrics.Summary `json:"macro_f1"`
	// AccuracyCI and MacroF1CI are bootstrap confidence intervals (at Comparison.Level) of
	// the seed-mean score, resampling the test examples (the same resample for every seed).
	// They measure the uncertainty due to the finite test set; Std measures that due to the
	// seed.
	AccuracyCI [2]float64 `json:"accuracy_ci"`
	MacroF1CI  [2]float64 `json:"macro_f1_ci"`
	// Seconds is the mean wall time of a run.
	Seconds float64 `json:"seconds"`
	// DegenerateRuns counts the runs flagged Degenerate; tables and plots mark the method.
	DegenerateRuns int `json:"degenerate_runs,omitempty"`
}

// Comparison holds the runs of Compare or Sweep and their summaries.
type Comparison struct {
	Task   string   `json:"task"`
	Labels []string `json:"labels"`
	NTest  int      `json:"n_test"`
	Level  float64  `json:"level"`
	// Methods, Sizes and Seeds list what was run, in order.
	Methods []string `json:"methods"`
	Sizes   []int    `json:"sizes"`
	Seeds   []int64  `json:"seeds"`
	// Results holds one summary per method and size: method-major, sizes in order.
	Results []Result `json:"results"`
	// Runs holds every run: size-major, then seed, then method.
	Runs []Run `json:"runs"`
}

// Compare runs each method on task (all of its train split) once per seed, scores each on
// the test split and summarises the scores per method: mean ± std over seeds and a bootstrap
// CI. See Options.ResultsDir to keep and reuse results.
func Compare(task *data.TextClassification, methods []Method, seeds []int64, opts Options) (*Comparison, error) {
	return Sweep(task, methods, []int{len(task.Train)}, seeds, opts)
}

// Sweep is Compare at several training set sizes, for data-efficiency (learning) curves: for
// each size n and seed, every method trains on Subsample(task, n, seed), the same labelled
// examples for every method. Dev and test are task's, whole. A size at or above
// len(task.Train) uses all of it; sizes are reported as the number of examples used.
func Sweep(task *data.TextClassification, methods []Method, sizes []int, seeds []int64, opts Options) (*Comparison, error) {
	if err := checkSweep(task, methods, sizes, seeds); err != nil {
		return nil, err
	}
	if opts.Resamples == 0 {
		opts.Resamples = 1000
	}
	if opts.Level == 0 {
		opts.Level = 0.95
	}
	if opts.Resamples < 1 || !(opts.Level > 0 && opts.Level < 1) {
		return nil, fmt.Errorf("comparing on %s: Options.Resamples %d and Level %v: want ≥ 1 and in (0, 1)", task.Name, opts.Resamples, opts.Level)
	}
	gold := data.Labels(task.Test)
	c := &Comparison{Task: task.Name, Labels: task.Labels, NTest: len(gold), Level: opts.Level, Seeds: seeds}
	for _, m := range methods {
		c.Methods = append(c.Methods, m.Name)
	}
	taskHash := taskFingerprint(task)
	for _, n := range sizes {
		n = min(n, len(task.Train))
		if len(c.Sizes) > 0 && c.Sizes[len(c.Sizes)-1] == n {
			continue // Two sizes above len(Train).
		}
		c.Sizes = append(c.Sizes, n)
		for _, seed := range seeds {
			sub := Subsample(task, n, seed)
			for _, m := range methods {
				run, err := runMethod(task, sub, m, n, seed, gold, taskHash, opts)
				if err != nil {
					return nil, err
				}
				run.Degenerate = metrics.Degenerate(run.TestPred, gold, len(task.Labels))
				if run.Degenerate != "" {
					w := opts.Log
					if w == nil {
						w = os.Stderr
					}
					fmt.Fprintf(w, "warning: %s n=%d seed=%d on %s %s: a broken run, not a baseline (check its learning rate and steps)\n",
						m.Name, n, seed, task.Name, run.Degenerate)
				}
				if opts.Log != nil {
					how := fmt.Sprintf("%.1fs", run.Seconds)
					if run.Reused {
						how = "saved result"
					}
					fmt.Fprintf(opts.Log, "%s n=%d seed=%d: accuracy %.4f, macro-F1 %.4f (%s)\n",
						m.Name, n, seed, run.Accuracy, run.MacroF1, how)
				}
				c.Runs = append(c.Runs, run)
			}
		}
	}
	c.summarise(gold, opts)
	if opts.ResultsDir != "" {
		if err := c.WriteJSON(comparisonPath(opts.ResultsDir, task.Name)); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// checkSweep validates Sweep's arguments.
func checkSweep(task *data.TextClassification, methods []Method, sizes []int, seeds []int64) error {
	switch {
	case task == nil:
		return fmt.Errorf("comparing methods: no task")
	case len(task.Test) == 0:
		return fmt.Errorf("comparing on %s: the task has no test examples", task.Name)
	case len(task.Train) == 0:
		return fmt.Errorf("comparing on %s: the task has no training examples", task.Name)
	case len(methods) == 0:
		return fmt.Errorf("comparing on %s: no methods", task.Name)
	case len(seeds) == 0:
		return fmt.Errorf("comparing on %s: no seeds", task.Name)
	case len(sizes) == 0:
		return fmt.Errorf("comparing on %s: no training set sizes", task.Name)
	}
	names := map[string]bool{}
	for i, m := range methods {
		if m.Name == "" || m.Run == nil {
			return fmt.Errorf("comparing on %s: method %d needs a Name and a Run function", task.Name, i)
		}
		if names[m.Name] {
			return fmt.Errorf("comparing on %s: two methods are named %q", task.Name, m.Name)
		}
		names[m.Name] = true
	}
	seen := map[int64]bool{}
	for _, s := range seeds {
		if seen[s] {
			return fmt.Errorf("comparing on %s: seed %d given twice", task.Name, s)
		}
		seen[s] = true
	}
	for i, n := range sizes {
		if n < 1 || (i > 0 && n <= sizes[i-1]) {
			return fmt.Errorf("comparing on %s: training set sizes %v: want positive and increasing", task.Name, sizes)
		}
	}
	return nil
}

// runMethod returns the run of m on sub (task subsampled to n with seed): the saved result
// when opts.ResultsDir has a valid one, else a new run, saved at once.
func runMethod(task, sub *data.TextClassification, m Method, n int, seed int64, gold []int, taskHash string, opts Options) (Run, error) {
	path := ""
	if opts.ResultsDir != "" {
		path = runPath(opts.ResultsDir, task.Name, m.Name, n, seed)
		if run, ok := loadRun(path, taskHash, m.Name, n, seed, len(gold)); ok {
			run.Reused = true
			return run, nil
		}
	}
	start := time.Now()
	out, err := m.Run(sub, seed)
	if err != nil {
		return Run{}, fmt.Errorf("%s on %s (n=%d, seed %d): %w", m.Name, task.Name, n, seed, err)
	}
	seconds := time.Since(start).Seconds()
	if err := metrics.Check(out.TestPred, gold, len(task.Labels)); err != nil {
		return Run{}, fmt.Errorf("%s on %s (n=%d, seed %d): test predictions: %w", m.Name, task.Name, n, seed, err)
	}
	report := metrics.Classification(out.TestPred, gold, len(task.Labels))
	run := Run{Method: m.Name, N: n, Seed: seed, Accuracy: report.Accuracy, MacroF1: report.MacroF1,
		Dev: out.Dev, Seconds: seconds, TestPred: out.TestPred, TestProbs: out.TestProbs}
	if path != "" {
		if err := saveRun(path, taskHash, run); err != nil {
			return Run{}, err
		}
	}
	return run, nil
}

// summarise fills c.Results from c.Runs.
func (c *Comparison) summarise(gold []int, opts Options) {
	numClasses := len(c.Labels)
	for _, method := range c.Methods {
		for _, n := range c.Sizes {
			var runs []Run
			for _, r := range c.Runs {
				if r.Method == method && r.N == n {
					runs = append(runs, r)
				}
			}
			var acc, f1 []float64
			seconds, degenerate := 0.0, 0
			for _, r := range runs {
				acc = append(acc, r.Accuracy)
				f1 = append(f1, r.MacroF1)
				seconds += r.Seconds
				if r.Degenerate != "" {
					degenerate++
				}
			}
			res := Result{Method: method, N: n, Accuracy: metrics.Summarize(acc), MacroF1: metrics.Summarize(f1),
				Seconds: seconds / float64(len(runs)), DegenerateRuns: degenerate}
			res.AccuracyCI, res.MacroF1CI = seedMeanCIs(runs, gold, numClasses, opts.Resamples, opts.Level)
			c.Results = append(c.Results, res)
		}
	}
}

// seedMeanCIs returns bootstrap CIs of the mean accuracy and mean macro-F1 of runs: each
// resample draws test examples with replacement and scores every run on the same draw.
func seedMeanCIs(runs []Run, gold []int, numClasses, resamples int, level float64) (acc, f1 [2]float64) {
	// BootstrapCI resamples (pred, gold) pairs; pass example indices as both, so that the
	// metric sees which examples were drawn and scores every run on them.
	indices := make([]int, len(gold))
	for i := range indices {
		indices[i] = i
	}
	pred, g := make([]int, len(gold)), make([]int, len(gold))
	meanOf := func(score func(pred, gold []int) float64) func(drawn, _ []int) float64 {
		return func(drawn, _ []int) float64 {
			total := 0.0
			for _, r := range runs {
				for i, j := range drawn {
					pred[i], g[i] = r.TestPred[j], gold[j]
				}
				total += score(pred[:len(drawn)], g[:len(drawn)])
			}
			return total / float64(len(runs))
		}
	}
	const seed = 1
	acc[0], acc[1] = metrics.BootstrapCI(indices, indices, meanOf(metrics.Accuracy), resamples, level, seed)
	f1[0], f1[1] = metrics.BootstrapCI(indices, indices, meanOf(metrics.MacroF1(numClasses)), resamples, level, seed)
	return acc, f1
}

// Result returns the summary of method at training set size n (the largest size when n is
// 0), and false if there is none.
func (c *Comparison) Result(method string, n int) (Result, bool) {
	if n == 0 && len(c.Sizes) > 0 {
		n = c.Sizes[len(c.Sizes)-1]
	}
	for _, r := range c.Results {
		if r.Method == method && r.N == n {
			return r, true
		}
	}
	return Result{}, false
}
