package qa

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"time"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/internal/backend"
	"github.com/nlp-transfer/gotl/internal/cachefile"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/metrics"
	"github.com/nlp-transfer/gotl/tlkit/train"
)

// Run puts a span head on enc (a dense layer from each token state to a start and an end
// logit, and with BilinearHead a match with the question) and trains both on task.Train's
// windows with the tlkit/train loop (loss: the mean of the start and end cross-entropies;
// the windows that miss the answer, Options.NegativeWindows of them, are labelled at their
// first token), keeping the weights of the best dev F1, then answers task.Test. It trains a
// copy of the encoder's variables: enc is unchanged. Dev and Test may be empty.
func Run(enc encoder.Encoder, task *data.QASplits, opts Options) (*Result, error) {
	start := time.Now()
	if err := checkOptions(enc, task, opts); err != nil {
		return nil, err
	}
	b, err := backend.Get()
	if err != nil {
		return nil, err
	}
	m, err := newSpanModel(enc, opts)
	if err != nil {
		return nil, fmt.Errorf("qa.Run: %w", err)
	}
	trainW, err := m.windows(task.Train)
	if err != nil {
		return nil, fmt.Errorf("qa.Run: training questions: %w", err)
	}
	devW, err := m.windows(task.Dev)
	if err != nil {
		return nil, fmt.Errorf("qa.Run: dev questions: %w", err)
	}
	windows := trainingWindows(trainW, opts.NegativeWindows, opts.Seed)
	key := runKey(enc, task, opts)
	res := &Result{Encoder: enc.Name(), Options: opts, TrainQuestions: len(task.Train), TrainWindows: len(windows), model: m}
	if !opts.NoCheckpoint {
		res.CheckpointDir = opts.CheckpointDir
		if res.CheckpointDir == "" {
			sum := sha256.Sum256([]byte(key))
			res.CheckpointDir = filepath.Join(data.DefaultStore().CacheDir, "qa", cachefile.Name(enc.Name())+"-"+hex.EncodeToString(sum[:6]))
		}
	}
	lengths := make([]int, len(windows))
	for i, w := range windows {
		lengths[i] = len(w.IDs)
	}
	batch := func(examples []int) ([]*tensors.Tensor, error) {
		rows := make([][]int32, len(examples))
		batch := make([]Window, len(examples))
		starts, ends := make([]int32, len(examples)), make([]int32, len(examples))
		for i, e := range examples {
			rows[i], batch[i] = windows[e].IDs, windows[e]
			starts[i], ends[i] = label(windows[e])
		}
		ids, mask, _ := train.PadRows(rows, len(rows), lengthStep, m.maxLen)
		return []*tensors.Tensor{ids, mask, questionLens(batch, len(rows)), tensors.FromValue(starts), tensors.FromValue(ends)}, nil
	}
	loss := func(scope *model.Scope, inputs []*graph.Node) *graph.Node { return m.loss(scope, inputs) }
	cfg := train.New(b, m.store, loss, len(windows), batch).
		BatchSize(opts.BatchSize).Epochs(train.EpochsFor(opts.Epochs, opts.MinSteps, opts.BatchSize, len(windows))).MaxSteps(opts.MaxSteps).
		LearningRate(opts.LearningRate).Warmup(opts.Warmup).WeightDecay(opts.WeightDecay, nil).ClipNorm(opts.ClipNorm).
		Lengths(lengths, 0).Seed(opts.Seed).Key(key).Progress(opts.Progress)
	if opts.HeadLearningRate > 0 && opts.HeadLearningRate != opts.LearningRate {
		ratio := opts.HeadLearningRate / opts.LearningRate
		cfg = cfg.LRMultiplier(func(v *model.Variable) float64 {
			if strings.HasPrefix(v.Path(), headScope+"/") {
				return ratio
			}
			return 1
		})
	}
	if res.CheckpointDir != "" {
		cfg = cfg.Checkpoint(res.CheckpointDir, opts.Resume)
	}
	if len(task.Dev) > 0 {
		cfg = cfg.Evaluate(func() (float64, error) {
			r, err := m.score(task.Dev, devW)
			return r.F1, err
		}, opts.EvalEvery).Patience(opts.Patience)
	}
	tr, err := cfg.Done()
	if err != nil {
		return nil, fmt.Errorf("qa.Run: %w", err)
	}
	trainStart := time.Now()
	res.History, err = tr.Run(context.Background())
	res.TrainTime = time.Since(trainStart)
	if err != nil {
		return res, fmt.Errorf("qa.Run on %s: %w", enc.Name(), err)
	}
	res.Dev = QAReportNaN()
	if len(task.Dev) > 0 {
		if res.Dev, err = m.score(task.Dev, devW); err != nil {
			return res, fmt.Errorf("qa.Run: dev: %w", err)
		}
	}
	res.Test = QAReportNaN()
	if len(task.Test) > 0 {
		preds, err := res.Predict(task.Test)
		if err != nil {
			return res, fmt.Errorf("qa.Run: test: %w", err)
		}
		res.TestPredictions = Answers(task.Test, preds)
		if res.Test, err = metrics.QAScores(res.TestPredictions, Gold(task.Test), opts.Rules); err != nil {
			return res, fmt.Errorf("qa.Run: test: %w", err)
		}
	}
	res.Elapsed = time.Since(start)
	return res, nil
}

// trainingWindows returns the windows with the answer and a fraction of the others, drawn
// with seed.
func trainingWindows(ws [][]Window, negatives float64, seed uint64) []Window {
	rng := rand.New(rand.NewPCG(seed, 0x4e6))
	var out []Window
	for _, q := range ws {
		for _, w := range q {
			if w.Start >= 0 || negatives >= 1 || rng.Float64() < negatives {
				out = append(out, w)
			}
		}
	}
	return out
}

// score predicts examples from their windows and scores them with the options' rules.
func (m *spanModel) score(examples []data.QAExample, ws [][]Window) (metrics.QAReport, error) {
	preds, err := m.predict(examples, ws)
	if err != nil {
		return metrics.QAReport{}, err
	}
	return metrics.QAScores(Answers(examples, preds), Gold(examples), m.opts.Rules)
}

// QAReportNaN is the report of an empty split: NaN scores.
func QAReportNaN() metrics.QAReport { return metrics.QAReport{ExactMatch: math.NaN(), F1: math.NaN()} }

// Answers maps each example's ID to its prediction's text (the official scripts' input).
func Answers(examples []data.QAExample, preds []Prediction) map[string]string {
	out := make(map[string]string, len(examples))
	for i, ex := range examples {
		out[ex.ID] = preds[i].Text
	}
	return out
}

// Gold returns the examples' gold answers for metrics.QAScores.
func Gold(examples []data.QAExample) []metrics.QAGold {
	out := make([]metrics.QAGold, len(examples))
	for i, ex := range examples {
		out[i].ID = ex.ID
		for _, a := range ex.Answers {
			out[i].Answers = append(out[i].Answers, a.Text)
		}
	}
	return out
}

// checkOptions validates the task and opts.
func checkOptions(enc encoder.Encoder, task *data.QASplits, opts Options) error {
	switch {
	case enc == nil || task == nil:
		return errors.New("qa.Run: nil encoder or task")
	case len(task.Train) == 0:
		return errors.New("qa.Run: no training questions")
	case opts.Dropout < 0 || opts.Dropout >= 1:
		return fmt.Errorf("qa.Run: dropout %g must be in [0, 1)", opts.Dropout)
	case !(opts.LearningRate > 0) || opts.HeadLearningRate < 0:
		return fmt.Errorf("qa.Run: learning rates %g (head %g) must be positive", opts.LearningRate, opts.HeadLearningRate)
	case opts.NegativeWindows < 0 || opts.NegativeWindows > 1:
		return fmt.Errorf("qa.Run: NegativeWindows %g must be in [0, 1]", opts.NegativeWindows)
	case opts.MaxAnswer < 1:
		return fmt.Errorf("qa.Run: MaxAnswer %d must be positive", opts.MaxAnswer)
	}
	for _, split := range [][]data.QAExample{task.Train, task.Dev, task.Test} {
		for _, ex := range split {
			if len(ex.Answers) == 0 {
				return fmt.Errorf("qa.Run: question %s has no answer (SQuAD v2.0's unanswerable questions are not supported)", ex.ID)
			}
		}
	}
	return nil
}

// runKey describes the encoder, the data and the options that change the result.
func runKey(enc encoder.Encoder, task *data.QASplits, opts Options) string {
	h := sha256.New()
	for _, split := range [][]data.QAExample{task.Train, task.Dev} {
		for _, ex := range split {
			fmt.Fprintf(h, "%s\t%s\t%s\t%v\n", ex.ID, ex.Question, ex.Context, ex.Answers)
		}
		h.Write([]byte{0})
	}
	return fmt.Sprintf("qa enc=%s data=%x windows=%+v head=%s negatives=%g maxanswer=%d rules=%s dropout=%g lr=%g headlr=%g warmup=%g wd=%g clip=%g epochs=%d batch=%d maxsteps=%d minsteps=%d eval=%d patience=%d seed=%d",
		enc.Name(), h.Sum(nil)[:8], opts.Windows, opts.Head, opts.NegativeWindows, opts.MaxAnswer, opts.Rules, opts.Dropout, opts.LearningRate, opts.HeadLearningRate, opts.Warmup,
		opts.WeightDecay, opts.ClipNorm, opts.Epochs, opts.BatchSize, opts.MaxSteps, opts.MinSteps, opts.EvalEvery, opts.Patience, opts.Seed)
}
