package distill

import (
	"fmt"

	"github.com/nlp-transfer/gotl/tlkit/train"
)

// Options configures Run. Start from DefaultOptions.
type Options struct {
	// Epochs passes over the training pairs, in batches of BatchSize; MaxSteps, when positive,
	// stops earlier.
	Epochs, BatchSize, MaxSteps int
	// LearningRate is AdamW's peak rate, reached after Warmup (a fraction of the steps) and then
	// decayed linearly to 0; WeightDecay AdamW's decoupled decay; ClipNorm bounds the
	// gradients' global norm (0: none).
	LearningRate, Warmup, WeightDecay, ClipNorm float64
	// DevPairs pairs are held out of the training pairs (data.SplitPairs with Seed: no sentence
	// shared with the rest) to measure the zh→en retrieval accuracy every EvalEvery steps (0:
	// once an epoch); the student weights of the best evaluation are kept. 0: no dev, the last
	// weights are kept.
	DevPairs, EvalEvery int
	// Seed fixes the dev split, the data order and (for a random student) nothing else: the
	// student's initial weights are the caller's.
	Seed uint64
	// FeatureCacheDir caches the teacher's vectors of the training pairs (probe's feature
	// cache; "": its default folder, probe.NoCache: none).
	FeatureCacheDir string
	// CheckpointDir holds the resumable training state ("": none). Resume continues an
	// interrupted run from it, or restores a finished one.
	CheckpointDir string
	Resume        bool
	// Progress shows the training (nil: train.AutoProgress()).
	Progress train.Progress `json:"-"`
}

// DefaultOptions returns the defaults: 10 epochs of batches of 64, peak learning rate 5e-4 with
// 6% warmup and linear decay, weight decay 0.01, gradients clipped at norm 1, 500 dev pairs
// evaluated once an epoch, seed 1, no checkpoints.
func DefaultOptions() Options {
	return Options{Epochs: 10, BatchSize: 64, LearningRate: 5e-4, Warmup: 0.06, WeightDecay: 0.01, ClipNorm: 1,
		DevPairs: 500, Seed: 1}
}

// check validates the options.
func (o Options) check() error {
	switch {
	case o.Epochs < 1 || o.BatchSize < 1 || o.MaxSteps < 0:
		return fmt.Errorf("distill: epochs %d and batch size %d must be positive, max steps %d not negative", o.Epochs, o.BatchSize, o.MaxSteps)
	case !(o.LearningRate > 0) || o.Warmup < 0 || o.Warmup >= 1:
		return fmt.Errorf("distill: learning rate %g must be positive and warmup %g in [0, 1)", o.LearningRate, o.Warmup)
	case o.WeightDecay < 0 || o.ClipNorm < 0 || o.DevPairs < 0 || o.EvalEvery < 0:
		return fmt.Errorf("distill: weight decay %g, clip norm %g, dev pairs %d and eval every %d must not be negative", o.WeightDecay, o.ClipNorm, o.DevPairs, o.EvalEvery)
	}
	return nil
}

// key describes the options that change the result.
func (o Options) key() string {
	return fmt.Sprintf("epochs=%d batch=%d maxsteps=%d lr=%g warmup=%g wd=%g clip=%g dev=%d eval=%d seed=%d",
		o.Epochs, o.BatchSize, o.MaxSteps, o.LearningRate, o.Warmup, o.WeightDecay, o.ClipNorm, o.DevPairs, o.EvalEvery, o.Seed)
}
