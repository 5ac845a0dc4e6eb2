package qa

import (
	"fmt"
	"time"

	"github.com/gomlx/gomlx/ml/model"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/metrics"
	"github.com/nlp-transfer/gotl/tlkit/train"
)

// Result is the outcome of Run.
type Result struct {
	// Encoder names the encoder trained; Options are the options used.
	Encoder string
	Options Options
	// TrainQuestions and TrainWindows count the training questions and their windows.
	TrainQuestions, TrainWindows int
	// Dev and Test are the scores with the kept (best-on-dev) weights; NaN for an empty split.
	Dev, Test metrics.QAReport
	// TestPredictions maps each test question's ID to its predicted answer.
	TestPredictions map[string]string
	// History has the training loss of each step and the dev F1 of each evaluation.
	History *train.History
	// CheckpointDir holds the checkpoints ("" without).
	CheckpointDir string
	// Elapsed is the wall time of Run; TrainTime that of the training loop.
	Elapsed, TrainTime time.Duration

	model *spanModel
}

// Predict answers each example with the trained model (its Answers are not read).
func (r *Result) Predict(examples []data.QAExample) ([]Prediction, error) {
	ws, err := r.model.windows(examples)
	if err != nil {
		return nil, fmt.Errorf("predicting: %w", err)
	}
	return r.model.predict(examples, ws)
}

// Store returns the Store with the trained encoder and span head (a copy of the encoder's).
func (r *Result) Store() *model.Store { return r.model.store }
