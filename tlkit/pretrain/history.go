package pretrain

import (
	"math"
	"path/filepath"
	"slices"

	"github.com/nlp-transfer/gotl/internal/cachefile"
	"github.com/nlp-transfer/gotl/tlkit/bert"
)

// HistoryFile is the name of the history Pretrain writes next to the checkpoint.
const HistoryFile = "history.json"

// evalsFile keeps the evaluations of a run in progress in Dir/train, for resumption.
const evalsFile = "evals.json"

// History records a pretraining run: what was trained, the learning curves and the speed.
// Pretrain writes it as history.json next to the checkpoint (WriteHistory, ReadHistory).
type History struct {
	// Key identifies the options (a finished run with the same key is reused).
	Key string
	// Config is the architecture; Options the options of the run.
	Config  bert.Config
	Options Options
	// Params counts the model's weights, MLM head included (its decoder is the word
	// embeddings).
	Params int
	// CorpusTokens is the number of wordpieces read; TrainRows and EvalRows the rows of
	// SeqLen tokens trained on and held out.
	CorpusTokens, TrainRows, EvalRows int
	// TokensPerStep is BatchSize·SeqLen (padding of a corpus' last row included).
	TokensPerStep int
	// Steps is the number of steps done; StepsThisRun those done by the last call (fewer
	// after a resumption); BestStep the step of the kept weights (lowest held-out loss).
	Steps, StepsThisRun, BestStep int
	// Loss is the training loss (mean cross-entropy over the masked tokens, in nats) of each
	// step; LearningRate the rate of each step.
	Loss, LearningRate []float64
	// Evals are the held-out evaluations, the first before training (step 0).
	Evals []EvalPoint
	// TrainSeconds is the wall time of the last call's training loop (evaluations included),
	// and TokensPerSecond its throughput: StepsThisRun·TokensPerStep/TrainSeconds.
	TrainSeconds, TokensPerSecond float64
	// Finished is true once the run is over and the checkpoint written.
	Finished bool
}

// EvalPoint is one evaluation on the held-out rows.
type EvalPoint struct {
	// Step is the number of training steps done.
	Step int
	// Loss is the mean cross-entropy of the masked tokens (nats); Perplexity is exp(Loss);
	// Accuracy the fraction of masked tokens whose top prediction is right.
	Loss, Perplexity, Accuracy float64
}

// First and Last return the first (before training) and last evaluations; ok is false when
// there are none.
func (h *History) First() (e EvalPoint, ok bool) {
	if len(h.Evals) == 0 {
		return EvalPoint{}, false
	}
	return h.Evals[0], true
}

// Last returns the last evaluation, and false when there is none.
func (h *History) Last() (e EvalPoint, ok bool) {
	if len(h.Evals) == 0 {
		return EvalPoint{}, false
	}
	return h.Evals[len(h.Evals)-1], true
}

// SmoothedLoss returns the training loss averaged over windows of window steps, as (step,
// loss) pairs at the end of each window: the training curve without the noise of single
// batches.
func (h *History) SmoothedLoss(window int) (steps, loss []float64) {
	window = max(window, 1)
	for end := window; end <= len(h.Loss); end += window {
		sum := 0.0
		for _, l := range h.Loss[end-window : end] {
			sum += l
		}
		steps = append(steps, float64(end))
		loss = append(loss, sum/float64(window))
	}
	return steps, loss
}

// WriteHistory writes h as dir/history.json, atomically.
func WriteHistory(dir string, h *History) error {
	return cachefile.WriteJSON(filepath.Join(dir, HistoryFile), h)
}

// ReadHistory reads dir/history.json (an error wrapping fs.ErrNotExist when there is none).
func ReadHistory(dir string) (*History, error) {
	var h History
	if err := cachefile.ReadJSON(filepath.Join(dir, HistoryFile), &h); err != nil {
		return nil, err
	}
	return &h, nil
}

// readEvals reads the evaluations saved in a run's training folder.
func readEvals(trainDir string) ([]EvalPoint, error) {
	var evals []EvalPoint
	err := cachefile.ReadJSON(filepath.Join(trainDir, evalsFile), &evals)
	return evals, err
}

// writeEvals saves the evaluations in a run's training folder.
func writeEvals(trainDir string, evals []EvalPoint) error {
	return cachefile.WriteJSON(filepath.Join(trainDir, evalsFile), evals)
}

// upsertEval adds e to evals (sorted by step), replacing an evaluation of the same step (a
// resumed run evaluates again the steps after its last checkpoint).
func upsertEval(evals []EvalPoint, e EvalPoint) []EvalPoint {
	i, found := slices.BinarySearchFunc(evals, e.Step, func(a EvalPoint, step int) int { return a.Step - step })
	if found {
		evals[i] = e
		return evals
	}
	return slices.Insert(evals, i, e)
}

// perplexity returns exp(loss), or +Inf past float64's range.
func perplexity(loss float64) float64 {
	if loss > 700 {
		return math.Inf(1)
	}
	return math.Exp(loss)
}
