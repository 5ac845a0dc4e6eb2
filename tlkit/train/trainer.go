package train

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// LossFn builds the training objective of one batch: given the root scope of the Store and
// the batch's input nodes (as returned by a BatchFn), it returns a float32 scalar loss. It is
// built with the Store marked as training (model.Store.IsTraining), so dropout is active.
type LossFn func(scope *model.Scope, inputs []*graph.Node) *graph.Node

// BatchFn returns the input tensors of the batch of the given examples (indices in
// [0, number of examples)), in that order. Batches of one run should come in few shapes:
// each new shape compiles the step graph once more (see PadLength).
type BatchFn func(examples []int) ([]*tensors.Tensor, error)

// EvalFn evaluates the model, in the Store's current state, on held-out data, and returns a
// metric where higher is better (e.g. dev accuracy).
type EvalFn func() (float64, error)

// Config configures a training run; create it with New, set options, and call Done.
type Config struct {
	backend     compute.Backend
	store       *model.Store
	loss        LossFn
	numExamples int
	batchFn     BatchFn

	batchSize     int
	epochs        int
	maxSteps      int
	schedule      Schedule
	opt           adamW
	lengths       []int
	windowBatches int
	groups        [][]*model.Variable
	eval          EvalFn
	evalEvery     int
	patience      int
	seed          uint64
	dir           string
	resume        bool
	progress      Progress
	key           string
	err           error
}

// New starts the configuration of a run that trains the trainable variables of store to
// minimise loss over numExamples examples, whose batches batch builds. Defaults: batch size
// 32, 1 epoch, learning rate 1e-3 with a linear decay and no warmup, AdamW with β1 0.9,
// β2 0.999, ε 1e-8 and no weight decay, no gradient clipping, seed 1, no evaluation, no
// checkpoint, progress chosen by AutoProgress.
//
// All executions use backend, which must be the backend every other executor of store uses.
func New(backend compute.Backend, store *model.Store, loss LossFn, numExamples int, batch BatchFn) *Config {
	c := &Config{backend: backend, store: store, loss: loss, numExamples: numExamples, batchFn: batch,
		batchSize: 32, epochs: 1, schedule: Schedule{Peak: 1e-3},
		opt:  adamW{beta1: 0.9, beta2: 0.999, epsilon: 1e-8, decays: DefaultDecays},
		seed: 1, windowBatches: 50}
	switch {
	case backend == nil:
		c.err = errors.New("train.New: nil backend")
	case store == nil:
		c.err = errors.New("train.New: nil store")
	case loss == nil || batch == nil:
		c.err = errors.New("train.New: nil loss or batch function")
	case numExamples < 1:
		c.err = fmt.Errorf("train.New: no training examples (%d)", numExamples)
	}
	return c
}

func (c *Config) setErr(err error) *Config {
	if c.err == nil {
		c.err = err
	}
	return c
}

// BatchSize sets the examples per step (default 32), capped at the number of examples.
func (c *Config) BatchSize(n int) *Config {
	if n < 1 {
		return c.setErr(fmt.Errorf("train: batch size %d must be positive", n))
	}
	c.batchSize = n
	return c
}

// Epochs sets the number of passes over the examples (default 1).
func (c *Config) Epochs(n int) *Config {
	if n < 1 {
		return c.setErr(fmt.Errorf("train: epochs %d must be positive", n))
	}
	c.epochs = n
	return c
}

// MaxSteps caps the number of steps (0, the default: Epochs × steps per epoch). The schedule
// spans the capped run.
func (c *Config) MaxSteps(n int) *Config {
	if n < 0 {
		return c.setErr(fmt.Errorf("train: max steps %d must not be negative", n))
	}
	c.maxSteps = n
	return c
}

// LearningRate sets the peak learning rate (default 1e-3).
func (c *Config) LearningRate(lr float64) *Config {
	if !(lr > 0) {
		return c.setErr(fmt.Errorf("train: learning rate %g must be positive", lr))
	}
	c.schedule.Peak = lr
	return c
}

// Warmup sets the fraction of the steps over which the rate warms up linearly (default 0).
func (c *Config) Warmup(fraction float64) *Config {
	if fraction < 0 || fraction >= 1 {
		return c.setErr(fmt.Errorf("train: warmup fraction %g must be in [0, 1)", fraction))
	}
	c.schedule.WarmupFraction = fraction
	return c
}

// ScheduleKind sets the shape of the schedule after the warmup (default LinearDecay).
func (c *Config) ScheduleKind(k ScheduleKind) *Config {
	c.schedule.Kind = k
	return c
}

// WeightDecay sets AdamW's decoupled weight decay λ (default 0), applied to the variables
// for which decays returns true (nil: DefaultDecays).
func (c *Config) WeightDecay(lambda float64, decays func(*model.Variable) bool) *Config {
	if lambda < 0 {
		return c.setErr(fmt.Errorf("train: weight decay %g must not be negative", lambda))
	}
	c.opt.weightDecay = lambda
	if decays != nil {
		c.opt.decays = decays
	}
	return c
}

// Adam sets Adam's β1, β2 and ε (defaults 0.9, 0.999, 1e-8).
func (c *Config) Adam(beta1, beta2, epsilon float64) *Config {
	if beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1 || epsilon <= 0 {
		return c.setErr(fmt.Errorf("train: Adam(%g, %g, %g): want betas in [0, 1) and ε > 0", beta1, beta2, epsilon))
	}
	c.opt.beta1, c.opt.beta2, c.opt.epsilon = beta1, beta2, epsilon
	return c
}

// ClipNorm scales the gradients down so that their global norm is at most maxNorm (0, the
// default: no clipping).
func (c *Config) ClipNorm(maxNorm float64) *Config {
	if maxNorm < 0 {
		return c.setErr(fmt.Errorf("train: clip norm %g must not be negative", maxNorm))
	}
	c.opt.clipNorm = maxNorm
	return c
}

// LRMultiplier sets a per-variable factor of the learning rate (default 1 for all), e.g.
// LayerDecay for discriminative learning rates. It is read when the step graph is built.
func (c *Config) LRMultiplier(f func(v *model.Variable) float64) *Config {
	c.opt.multiplier = f
	return c
}

// Lengths enables length bucketing: lengths[i] is example i's length, and each window of
// windowBatches batches of shuffled examples is sorted by length before being cut into
// batches (0: the default, 50 batches).
func (c *Config) Lengths(lengths []int, windowBatches int) *Config {
	if len(lengths) != c.numExamples {
		return c.setErr(fmt.Errorf("train: %d lengths for %d examples", len(lengths), c.numExamples))
	}
	c.lengths = lengths
	if windowBatches > 0 {
		c.windowBatches = windowBatches
	}
	return c
}

// GradualUnfreezing unfreezes one more group of variables at each epoch (ULMFiT): groups are
// ordered from the top of the model down; epoch e trains the first e groups plus every
// trainable variable outside the groups (the head), and the other groups are frozen. The
// step graph is rebuilt when the trainable set changes.
func (c *Config) GradualUnfreezing(groups [][]*model.Variable) *Config {
	c.groups = groups
	return c
}

// Evaluate sets the evaluation on held-out data, run every everySteps steps (0: at the end
// of each epoch) and at the end of training.
func (c *Config) Evaluate(fn EvalFn, everySteps int) *Config {
	if everySteps < 0 {
		return c.setErr(fmt.Errorf("train: evaluation interval %d must not be negative", everySteps))
	}
	c.eval, c.evalEvery = fn, everySteps
	return c
}

// Patience stops training after n evaluations without improvement of the metric (0, the
// default: never stop early). The best weights are restored at the end either way.
func (c *Config) Patience(n int) *Config {
	if n < 0 {
		return c.setErr(fmt.Errorf("train: patience %d must not be negative", n))
	}
	c.patience = n
	return c
}

// Seed sets the seed of the data order and of the Store's random-number generator (dropout).
func (c *Config) Seed(seed uint64) *Config {
	c.seed = seed
	return c
}

// Checkpoint saves the best and last checkpoints (BestCheckpoint, LastCheckpoint) in dir.
// With resume, a run finds the last checkpoint of the same configuration in dir and continues
// from it (a finished run is restored without training); without, it starts afresh and
// overwrites them.
func (c *Config) Checkpoint(dir string, resume bool) *Config {
	c.dir, c.resume = dir, resume
	return c
}

// Key adds a description of what the caller trains (model, data, options) to the
// configuration's fingerprint, which a resumed run must match.
func (c *Config) Key(key string) *Config {
	c.key = key
	return c
}

// Progress sets the progress display (default AutoProgress(); NoProgress() for none).
func (c *Config) Progress(p Progress) *Config {
	c.progress = p
	return c
}

// Done checks the configuration and returns the Trainer.
func (c *Config) Done() (*Trainer, error) {
	if c.err != nil {
		return nil, c.err
	}
	if c.patience > 0 && c.eval == nil {
		return nil, errors.New("train: patience needs an evaluation (Config.Evaluate)")
	}
	t := &Trainer{cfg: *c}
	t.cfg.batchSize = min(c.batchSize, c.numExamples)
	t.stepsPerEpoch = c.numExamples / t.cfg.batchSize
	t.totalSteps = c.epochs * t.stepsPerEpoch
	if c.maxSteps > 0 {
		t.totalSteps = min(t.totalSteps, c.maxSteps)
	}
	if t.cfg.progress == nil {
		t.cfg.progress = AutoProgress()
	}
	return t, nil
}

// Trainer runs a configured training.
type Trainer struct {
	cfg           Config
	stepsPerEpoch int
	totalSteps    int

	exec          *model.Exec
	execTrainable []string
	snapshot      map[string]*tensors.Tensor // Best variables, when there is no checkpoint dir.
}

// TotalSteps is the number of steps of the run.
func (t *Trainer) TotalSteps() int { return t.totalSteps }

// StepsPerEpoch is the number of steps in one epoch.
func (t *Trainer) StepsPerEpoch() int { return t.stepsPerEpoch }

// fingerprint describes the run's configuration.
func (t *Trainer) fingerprint() string {
	c := &t.cfg
	return fmt.Sprintf("n=%d batch=%d epochs=%d steps=%d sched=%+v adam=%g/%g/%g wd=%g clip=%g buckets=%v/%d groups=%d eval=%v/%d patience=%d seed=%d key=%s",
		c.numExamples, c.batchSize, c.epochs, t.totalSteps, c.schedule, c.opt.beta1, c.opt.beta2, c.opt.epsilon,
		c.opt.weightDecay, c.opt.clipNorm, c.lengths != nil, c.windowBatches, len(c.groups), c.eval != nil, c.evalEvery,
		c.patience, c.seed, c.key)
}

// Run trains, and returns the history. At the end the best weights (by the evaluation
// metric; without evaluation, the last) are in the Store.
//
// When ctx is cancelled, Run stops before the next step, saves the last checkpoint (if a
// checkpoint dir is set) and returns the history so far with ctx's error; a new run with
// resume continues exactly where it stopped. A NaN or infinite loss stops the run with an
// error naming the step.
func (t *Trainer) Run(ctx context.Context) (*History, error) {
	c := &t.cfg
	state := &State{Fingerprint: t.fingerprint(), History: History{Best: -1, StepsPerEpoch: t.stepsPerEpoch}}
	if c.dir != "" {
		unlock, err := LockCheckpointDir(ctx, c.dir, os.Stderr)
		if err != nil {
			return nil, err
		}
		defer unlock()
	}
	resumed := false
	if c.dir != "" && c.resume {
		lastPath := filepath.Join(c.dir, LastCheckpoint)
		if _, err := os.Stat(lastPath); err == nil {
			// Check the fingerprint before touching the Store.
			loaded, err := LoadCheckpoint(lastPath, model.NewStore())
			if err != nil {
				return nil, err
			}
			if loaded.Fingerprint != state.Fingerprint {
				return nil, fmt.Errorf("train: the checkpoint %s is of another configuration (%s): delete it, use another checkpoint folder, or start afresh (resume off)",
					lastPath, FingerprintChange(loaded.Fingerprint, state.Fingerprint))
			}
			if loaded.Finished {
				return t.restoreFinished(loaded)
			}
			if state, err = LoadCheckpoint(lastPath, c.store); err != nil {
				return nil, err
			}
			resumed = true
		}
	}
	if !resumed {
		if err := c.store.SetRNGStateFromSeed(int64(c.seed)); err != nil {
			return nil, fmt.Errorf("train: seeding the random-number generator: %w", err)
		}
		if c.dir != "" {
			for _, name := range []string{BestCheckpoint, LastCheckpoint} {
				if err := os.Remove(filepath.Join(c.dir, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
					return nil, fmt.Errorf("train: removing the old checkpoint: %w", err)
				}
			}
		}
	}
	defer func() {
		if t.exec != nil {
			t.exec.Finalize()
			t.exec = nil
		}
	}()
	start := time.Now()
	status := func() Status {
		s := Status{Step: state.Step, TotalSteps: t.totalSteps, Epoch: state.Epoch, Epochs: c.epochs,
			Loss: state.History.SmoothedLoss(max(10, t.stepsPerEpoch/10)), Elapsed: time.Since(start), History: &state.History}
		if n := len(state.History.Evals); n > 0 {
			s.Metric, s.HasMetric = state.History.Evals[n-1].Metric, true
		}
		if best, ok := state.History.BestEval(); ok {
			s.BestMetric = best.Metric
		}
		return s
	}
	p := c.progress
	fail := func(err error) (*History, error) {
		p.Done(status(), err)
		return &state.History, err
	}

	stop := false
	evaluate := func() error {
		if c.eval == nil {
			return nil
		}
		metric, err := c.eval()
		if err != nil {
			return fmt.Errorf("train: evaluation after step %d: %w", state.Step, err)
		}
		h := &state.History
		h.Evals = append(h.Evals, Eval{Step: state.Step, Epoch: float64(state.Step) / float64(t.stepsPerEpoch), Metric: metric})
		if h.Best < 0 || metric > h.Evals[h.Best].Metric {
			h.Best = len(h.Evals) - 1
			state.EvalsSinceBest = 0
			if err := t.saveBest(state); err != nil {
				return err
			}
		} else {
			state.EvalsSinceBest++
			if c.patience > 0 && state.EvalsSinceBest >= c.patience {
				stop = true
				h.Stopped = "early stopping"
			}
		}
		p.Update(status())
		return nil
	}

	for state.Step < t.totalSteps && !stop {
		if err := t.prepareExec(state.Epoch); err != nil {
			return fail(err)
		}
		batches := epochBatches(c.numExamples, c.batchSize, c.seed, state.Epoch, c.lengths, c.windowBatches)
		for state.BatchInEpoch < len(batches) && state.Step < t.totalSteps && !stop {
			if err := ctx.Err(); err != nil {
				if serr := t.saveLast(state); serr != nil {
					return fail(errors.Join(err, serr))
				}
				return fail(err)
			}
			loss, err := t.step(batches[state.BatchInEpoch], state.Step)
			if err != nil {
				return fail(err)
			}
			if math.IsNaN(loss) || math.IsInf(loss, 0) {
				return fail(fmt.Errorf("train: the loss is %g at step %d (epoch %d): lower the learning rate (now %g at this step) or check the inputs for NaNs and extreme values",
					loss, state.Step+1, state.Epoch+1, c.schedule.LearningRate(state.Step, t.totalSteps)))
			}
			state.History.Loss = append(state.History.Loss, loss)
			state.History.LearningRate = append(state.History.LearningRate, c.schedule.LearningRate(state.Step, t.totalSteps))
			state.Step++
			state.BatchInEpoch++
			p.Update(status())
			if c.evalEvery > 0 && state.Step%c.evalEvery == 0 && state.Step < t.totalSteps {
				if err := evaluate(); err != nil {
					return fail(err)
				}
			}
		}
		if state.BatchInEpoch >= len(batches) {
			state.Epoch++
			state.BatchInEpoch = 0
			if c.evalEvery == 0 && state.Step < t.totalSteps && !stop {
				if err := evaluate(); err != nil {
					return fail(err)
				}
			}
			if err := t.saveLast(state); err != nil {
				return fail(err)
			}
		}
	}
	// Final evaluation (unless the last one was at this very step).
	if n := len(state.History.Evals); c.eval != nil && (n == 0 || state.History.Evals[n-1].Step != state.Step) {
		if err := evaluate(); err != nil {
			return fail(err)
		}
	}
	if state.History.Stopped == "" {
		state.History.Stopped = "finished"
	}
	state.Finished = true
	if c.eval == nil {
		if err := t.saveBest(state); err != nil {
			return fail(err)
		}
	}
	if err := t.saveLast(state); err != nil {
		return fail(err)
	}
	if err := t.restoreBest(); err != nil {
		return fail(err)
	}
	p.Done(status(), nil)
	return &state.History, nil
}

// restoreFinished loads the best weights of a finished run and returns its history.
func (t *Trainer) restoreFinished(st *State) (*History, error) {
	if _, err := LoadCheckpoint(filepath.Join(t.cfg.dir, BestCheckpoint), t.cfg.store); err != nil {
		return nil, err
	}
	return &st.History, nil
}

// saveLast writes the last checkpoint, if there is a checkpoint dir.
func (t *Trainer) saveLast(state *State) error {
	if t.cfg.dir == "" {
		return nil
	}
	return SaveCheckpoint(filepath.Join(t.cfg.dir, LastCheckpoint), t.cfg.store, state)
}

// saveBest keeps the current variables as the best: in the best checkpoint, or in memory.
func (t *Trainer) saveBest(state *State) error {
	if t.cfg.dir != "" {
		return SaveCheckpoint(filepath.Join(t.cfg.dir, BestCheckpoint), t.cfg.store, state)
	}
	for _, old := range t.snapshot {
		_ = old.FinalizeAll()
	}
	t.snapshot = map[string]*tensors.Tensor{}
	for v := range t.cfg.store.IterVariables() {
		if !v.HasValue() || IsOptimizerVariable(v) {
			continue
		}
		value, err := v.Value()
		if err != nil {
			return fmt.Errorf("train: keeping the best %s: %w", v.Path(), err)
		}
		clone, err := value.LocalClone()
		if err != nil {
			return fmt.Errorf("train: keeping the best %s: %w", v.Path(), err)
		}
		t.snapshot[v.Path()] = clone
	}
	return nil
}

// restoreBest puts the best variables back into the Store.
func (t *Trainer) restoreBest() error {
	if t.cfg.dir != "" {
		_, err := LoadCheckpoint(filepath.Join(t.cfg.dir, BestCheckpoint), t.cfg.store)
		return err
	}
	for path, value := range t.snapshot {
		if v := t.cfg.store.GetVariable(path); v != nil {
			if err := v.SetValue(value); err != nil {
				return fmt.Errorf("train: restoring the best %s: %w", path, err)
			}
		}
	}
	t.snapshot = nil
	return nil
}

// prepareExec sets the trainable flags of the unfreezing groups for epoch and (re)builds the
// step executor if the trainable set changed.
func (t *Trainer) prepareExec(epoch int) error {
	for i, group := range t.cfg.groups {
		for _, v := range group {
			v.SetTrainable(i < epoch)
		}
	}
	var trainable []string
	for v := range t.cfg.store.IterVariables() {
		if v.Trainable && !IsOptimizerVariable(v) {
			trainable = append(trainable, v.Path())
		}
	}
	if len(trainable) == 0 {
		return errors.New("train: no trainable variable (everything frozen?)")
	}
	if t.exec != nil && slices.Equal(trainable, t.execTrainable) {
		return nil
	}
	if t.exec != nil {
		t.exec.Finalize()
	}
	exec, err := model.NewExec(t.cfg.backend, t.cfg.store, t.stepGraph)
	if err != nil {
		return fmt.Errorf("train: creating the step executor: %w", err)
	}
	exec.SetMaxCache(64)
	t.exec, t.execTrainable = exec, trainable
	return nil
}

// stepGraph builds one training step: the loss, its gradients with respect to the trainable
// variables it uses, and their AdamW updates. The last input is the learning rate.
func (t *Trainer) stepGraph(scope *model.Scope, inputs []*graph.Node) []*graph.Node {
	store := t.cfg.store
	g := inputs[0].Graph()
	store.SetTraining(g, true)
	lr := inputs[len(inputs)-1]
	loss := t.cfg.loss(scope, inputs[:len(inputs)-1])
	if !loss.Shape().IsScalar() {
		panic(fmt.Errorf("train: the loss must be a scalar, got %s", loss.Shape()))
	}
	var vars []*model.Variable
	var nodes []*graph.Node
	for v := range store.IterVariables() {
		if v.Trainable && !IsOptimizerVariable(v) && v.InUseByGraph(g) {
			vars = append(vars, v)
			nodes = append(nodes, v.NodeValue(g))
		}
	}
	if len(vars) == 0 {
		panic(errors.New("train: the loss uses no trainable variable"))
	}
	grads := graph.Gradient(loss, nodes...)
	t.cfg.opt.apply(store, vars, grads, lr)
	return []*graph.Node{loss}
}

// step runs one training step on the given examples and returns the loss.
func (t *Trainer) step(examples []int, step int) (loss float64, err error) {
	inputs, err := t.cfg.batchFn(examples)
	if err != nil {
		return 0, fmt.Errorf("train: building batch of step %d: %w", step+1, err)
	}
	lr := tensors.FromValue(float32(t.cfg.schedule.LearningRate(step, t.totalSteps)))
	args := make([]any, 0, len(inputs)+1)
	for _, in := range inputs {
		args = append(args, in)
	}
	args = append(args, lr)
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("train: step %d: %v", step+1, r)
		}
		for _, in := range inputs {
			_ = in.FinalizeAll()
		}
		_ = lr.FinalizeAll()
	}()
	outputs, err := t.exec.Exec(args...)
	if err != nil {
		return 0, fmt.Errorf("train: step %d: %w", step+1, err)
	}
	value, err := tensors.CopyFlatData[float32](outputs[0])
	for _, o := range outputs {
		_ = o.FinalizeAll()
	}
	if err != nil {
		return 0, fmt.Errorf("train: reading the loss of step %d: %w", step+1, err)
	}
	return float64(value[0]), nil
}
