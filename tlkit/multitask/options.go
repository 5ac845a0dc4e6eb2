package multitask

import (
	"context"
	"fmt"

	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/train"
)

// Options configures Train. Start from DefaultOptions.
type Options struct {
	// Sampling chooses the task of each step; Temperature is T for the Temperature sampling
	// (p ∝ n^(1/T)).
	Sampling    Sampling
	Temperature float64
	// Steps is the number of training steps (0: Epochs passes over all tasks' training
	// examples, Σn / BatchSize steps each). Every step trains on one batch of one task.
	Steps, Epochs int
	// BatchSize is the examples (texts or sentences) per step.
	BatchSize int
	// LearningRate is the encoder's peak rate, HeadLearningRate the heads' (0: LearningRate):
	// new heads learn faster at a higher rate than the pretrained encoder tolerates. Warmup is
	// the fraction of steps warming up, after which the rates decay linearly to 0;
	// WeightDecay AdamW's decoupled decay (not on biases and LayerNorm); ClipNorm the
	// gradients' global-norm bound (0: none).
	LearningRate, HeadLearningRate, Warmup, WeightDecay, ClipNorm float64
	// MaxTokens clips every text and sentence to its first MaxTokens tokens (0: the encoder's
	// MaxTokens); the words of a sentence past it are predicted O (or the first tag).
	MaxTokens int
	// Pooling turns the token states into the sentence vector of sentence tasks.
	Pooling encoder.Pooling
	// Dropout is the dropout rate on the heads' inputs; Hidden the width of an optional
	// hidden tanh layer in each head (0: linear heads).
	Dropout float64
	Hidden  int
	// FreezeEncoder keeps the encoder's pretrained weights: only the heads train (faster: no
	// gradient flows through the encoder; but the tasks then share nothing they can change,
	// so give the heads a Hidden layer).
	FreezeEncoder bool
	// EvalEvery evaluates every task on its dev split every this many steps (0: once per
	// epoch, Σn / BatchSize steps), and at the end. DevLimit caps the dev examples of each
	// task used for these evaluations (0: all), chosen at random once.
	EvalEvery, DevLimit int
	// Seed fixes the heads' initial weights, the sampling, the data order, the dropout and the
	// dev splits carved for tasks without one.
	Seed uint64
	// CheckpointDir holds the checkpoints: the trainer's best (by the mean dev metric of the
	// tasks) and last, one best per task (best-task-I.ckpt, by that task's dev metric) and the
	// results (result.json). "": under data.DefaultStore().CacheDir/multitask/, in a folder
	// named by a hash of the encoder, the data and these options. NoCheckpoint disables them
	// (the best weights are then kept in memory).
	CheckpointDir string
	NoCheckpoint  bool
	// Resume continues an interrupted run from its last checkpoint, and restores a finished
	// one (its results and weights) without training; false starts afresh.
	Resume bool
	// Progress shows the training (nil: train.AutoProgress()).
	Progress train.Progress `json:"-"`
	// Context, when not nil, interrupts the training when it is cancelled: the last
	// checkpoint is saved (with a checkpoint folder), and a run with Resume continues exactly
	// where it stopped.
	Context context.Context `json:"-"`
}

// DefaultOptions returns the defaults: proportional sampling (temperature 2 when switched to
// Temperature), one epoch of batches of 16, encoder learning rate 1e-4 and heads 1e-3 with
// 10% warmup and linear decay, weight decay 0.01, gradients clipped at norm 1, 64 tokens,
// native pooling, linear heads with dropout 0.1, a fine-tuned encoder, evaluation once per
// epoch on all dev examples, seed 1, checkpoints under the cache, resume on.
func DefaultOptions() Options {
	return Options{Sampling: Proportional, Temperature: 2, Epochs: 1, BatchSize: 16,
		LearningRate: 1e-4, HeadLearningRate: 1e-3, Warmup: 0.1, WeightDecay: 0.01, ClipNorm: 1,
		MaxTokens: 64, Pooling: encoder.PoolNative, Dropout: 0.1, Seed: 1, Resume: true}
}

// check validates the options and fills the defaults that depend on the encoder.
func (o *Options) check(enc encoder.Encoder) error {
	switch {
	case o.Steps < 0 || o.Epochs < 0:
		return fmt.Errorf("multitask: negative Steps (%d) or Epochs (%d)", o.Steps, o.Epochs)
	case o.Steps == 0 && o.Epochs == 0:
		return fmt.Errorf("multitask: set Steps or Epochs")
	case o.BatchSize < 1:
		return fmt.Errorf("multitask: batch size %d must be positive", o.BatchSize)
	case !(o.LearningRate > 0) || o.HeadLearningRate < 0:
		return fmt.Errorf("multitask: learning rates %g (encoder) and %g (heads) must be positive", o.LearningRate, o.HeadLearningRate)
	case o.Dropout < 0 || o.Dropout >= 1:
		return fmt.Errorf("multitask: dropout %g must be in [0, 1)", o.Dropout)
	case o.Hidden < 0 || o.EvalEvery < 0 || o.DevLimit < 0:
		return fmt.Errorf("multitask: negative Hidden (%d), EvalEvery (%d) or DevLimit (%d)", o.Hidden, o.EvalEvery, o.DevLimit)
	case o.Sampling == Temperature && !(o.Temperature > 0):
		return fmt.Errorf("multitask: temperature %g must be positive", o.Temperature)
	case o.Sampling < Proportional || o.Sampling > RoundRobin:
		return fmt.Errorf("multitask: unknown sampling %d", int(o.Sampling))
	}
	if o.HeadLearningRate == 0 {
		o.HeadLearningRate = o.LearningRate
	}
	if o.MaxTokens <= 0 || o.MaxTokens > enc.MaxTokens() {
		o.MaxTokens = enc.MaxTokens()
	}
	return nil
}

// key describes the options that change the result (not Progress, the checkpoint folder or
// Resume).
func (o Options) key() string {
	return fmt.Sprintf("sampling=%s T=%g steps=%d epochs=%d batch=%d lr=%g headlr=%g warmup=%g wd=%g clip=%g maxtok=%d pool=%s dropout=%g hidden=%d frozen=%v eval=%d devlimit=%d seed=%d",
		o.Sampling, o.Temperature, o.Steps, o.Epochs, o.BatchSize, o.LearningRate, o.HeadLearningRate, o.Warmup,
		o.WeightDecay, o.ClipNorm, o.MaxTokens, o.Pooling, o.Dropout, o.Hidden, o.FreezeEncoder, o.EvalEvery, o.DevLimit, o.Seed)
}
