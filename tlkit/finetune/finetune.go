// Package finetune is gotl's fine-tuning: a classification head on a pretrained encoder,
// encoder and head trained together on a labelled task (AdamW with warmup and linear decay,
// gradient clipping, early stopping on dev, resumable checkpoints), with freeze policies,
// layer-wise learning-rate decay and gradual unfreezing (ULMFiT). Run leaves the encoder
// unchanged: it trains a copy of its variables.
package finetune

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"time"

	"github.com/nlp-transfer/gotl/internal/backend"
	"github.com/nlp-transfer/gotl/internal/cachefile"
	"github.com/nlp-transfer/gotl/tlkit/metrics"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/train"
)

// FreezeKind names a freeze policy; see Freeze.
type FreezeKind int

const (
	freezeNone FreezeKind = iota
	freezeBottom
	freezeAll
)

// Freeze is a fine-tuning freeze policy: which encoder layers keep their pretrained weights.
// Use FreezeNone, FreezeEmbeddings, FreezeBottom(k) or FreezeAllButHead.
type Freeze struct {
	Kind FreezeKind
	// Layers is, for FreezeBottom, the number of layers frozen above the embeddings.
	Layers int
}

var (
	// FreezeNone trains every encoder layer and the head.
	FreezeNone = Freeze{Kind: freezeNone}
	// FreezeEmbeddings freezes the embedding layer (the encoder's first layer).
	FreezeEmbeddings = Freeze{Kind: freezeBottom, Layers: 0}
	// FreezeAllButHead freezes the whole encoder: only the head trains (frozen features, but
	// computed on the fly, with dropout and the fine-tuning loop).
	FreezeAllButHead = Freeze{Kind: freezeAll}
)

// FreezeBottom freezes the embeddings and the k lowest layers above them (for USE-lite,
// whose layers are embeddings, layer_0, layer_1 and pooler, FreezeBottom(1) freezes the
// embeddings and layer_0). FreezeBottom(0) is FreezeEmbeddings.
func FreezeBottom(k int) Freeze { return Freeze{Kind: freezeBottom, Layers: k} }

// String returns "none", "embeddings", "bottom-K" or "all-but-head".
func (f Freeze) String() string {
	switch {
	case f.Kind == freezeNone:
		return "none"
	case f.Kind == freezeAll:
		return "all-but-head"
	case f.Layers == 0:
		return "embeddings"
	}
	return fmt.Sprintf("bottom-%d", f.Layers)
}

// Frozen reports whether the policy freezes layer i of an encoder with n layers (input to
// output, as encoder.Encoder.Layers lists them).
func (f Freeze) Frozen(i, n int) bool {
	switch f.Kind {
	case freezeAll:
		return true
	case freezeBottom:
		return i <= f.Layers
	}
	return false
}

// Options configures Run. Start from DefaultOptions.
type Options struct {
	// Pooling turns the token states into the sentence vector the head reads.
	Pooling encoder.Pooling
	// Hidden is the width of an optional hidden (tanh) layer of the head (0: a linear head).
	Hidden int
	// Dropout is the dropout rate on the pooled vector (and the hidden layer).
	Dropout float64
	// Freeze is the freeze policy.
	Freeze Freeze
	// LayerDecay, when in (0, 1), gives discriminative learning rates: the head trains at
	// LearningRate, the encoder's top layer at LearningRate·LayerDecay, the next at
	// LearningRate·LayerDecay², and so on down to the embeddings. 0 or 1: one rate.
	LayerDecay float64
	// GradualUnfreezing trains only the head in the first epoch and unfreezes one more
	// encoder layer (from the top) at each following epoch (ULMFiT). Frozen layers stay frozen.
	GradualUnfreezing bool
	// LearningRate is the peak rate; Warmup the fraction of steps warming up to it, after which
	// it decays linearly to 0; WeightDecay AdamW's decoupled decay (not on biases and
	// LayerNorm); ClipNorm the gradients' global-norm bound (0: none).
	LearningRate, Warmup, WeightDecay, ClipNorm float64
	// Epochs, BatchSize and MaxSteps (0: no cap) size the run. MinSteps (0: none) raises Epochs
	// on small training sets so that the run lasts at least that many steps (MaxSteps still
	// caps it): with 50 examples an epoch is one or two steps.
	Epochs, BatchSize, MaxSteps, MinSteps int
	// MaxTokens clips every text (training and evaluation) to its first MaxTokens tokens
	// (0: the encoder's MaxTokens). Shorter texts train faster; 64 covers nearly all of SST-2.
	MaxTokens int
	// EvalEvery evaluates on dev every this many steps (0: at each epoch's end); Patience
	// stops after this many evaluations without a better dev accuracy (0: never). The weights
	// of the best evaluation are kept.
	EvalEvery, Patience int
	// Seed fixes the head's initial weights, the data order and the dropout.
	Seed uint64
	// CheckpointDir holds the best and last checkpoints ("": under
	// data.DefaultStore().CacheDir/finetune/, in a folder named by a hash of the encoder, the
	// data and these options). NoCheckpoint disables checkpoints (the best weights are then
	// kept in memory).
	CheckpointDir string
	NoCheckpoint  bool
	// Resume continues an interrupted run from its last checkpoint, and restores a finished
	// one without training; false starts afresh.
	Resume bool
	// Progress shows the training (nil: train.AutoProgress(), a live GoNB cell or a terminal
	// progress bar; train.NoProgress() for silence).
	Progress train.Progress
}

// DefaultOptions returns the defaults: native pooling, a linear head with dropout
// 0.1, nothing frozen, one learning rate 1e-4 with 10% warmup and linear decay, weight decay
// 0.01, gradient norm clipped at 1, 3 epochs of batches of 32, texts clipped to 64 tokens,
// evaluation on dev at each epoch, no early stopping, seed 1, checkpoints under the cache
// directory, resume on.
func DefaultOptions() Options {
	return Options{Pooling: encoder.PoolNative, Dropout: 0.1, Freeze: FreezeNone,
		LearningRate: 1e-4, Warmup: 0.1, WeightDecay: 0.01, ClipNorm: 1,
		Epochs: 3, BatchSize: 32, MaxTokens: 64, Seed: 1, Resume: true}
}

// Result is the outcome of Run.
type Result struct {
	// Encoder and Task name what was trained; Options are the options used.
	Encoder, Task string
	Options       Options
	// DevAccuracy and TestAccuracy are measured with the kept (best-on-dev) weights.
	DevAccuracy, TestAccuracy float64
	// TestPredictions are the predicted labels of task.Test, in order; TestProbabilities
	// the predicted class probabilities (softmax of the logits) of each.
	TestPredictions   []int
	TestProbabilities [][]float32
	// History has the training loss of each step and the dev accuracy of each evaluation.
	History *train.History
	// CheckpointDir holds the checkpoints ("" without).
	CheckpointDir string
	// Elapsed is the wall time of Run; TrainTime that of the training loop.
	Elapsed, TrainTime time.Duration

	clf *textClassifier
}

// Predict returns the fine-tuned model's label for each text (single texts; the test pairs of
// a pair task are scored by Run).
func (r *Result) Predict(texts []string) ([]int, error) {
	pred, _, err := r.clf.predict(texts)
	return pred, err
}

// Probabilities returns the fine-tuned model's class probabilities for each text.
func (r *Result) Probabilities(texts []string) ([][]float32, error) {
	_, probs, err := r.clf.predict(texts)
	return probs, err
}

// Store returns the Store with the fine-tuned encoder and head (a copy of the encoder's
// Store: Run leaves the encoder itself unchanged).
func (r *Result) Store() *model.Store { return r.clf.store }

// Run puts a new classification head (dropout and a dense layer, optionally one hidden
// layer, on the pooled sentence vector; softmax cross-entropy) on enc and trains both on
// task.Train with the tlkit/train loop, selecting the weights by dev accuracy, then predicts
// task.Test. It trains a copy of the encoder's variables: enc is unchanged, so one loaded
// encoder can be fine-tuned several times (e.g. under each freeze policy).
//
// A sentence-pair task (task.IsPairs: examples with a TextB, like RTE) needs an encoder that
// reads two segments (encoder.PairTokenizer, e.g. a BERT checkpoint): each pair is one input,
// [CLS] text [SEP] text_b [SEP] for BERT, cut to MaxTokens from the longer text first.
func Run(enc encoder.Encoder, task *data.TextClassification, opts Options) (*Result, error) {
	start := time.Now()
	if err := checkOptions(enc, task, &opts); err != nil {
		return nil, err
	}
	b, err := backend.Get()
	if err != nil {
		return nil, err
	}
	clf, err := newTextClassifier(enc, len(task.Labels), opts)
	if err != nil {
		return nil, err
	}
	trainIDs, err := clf.tokenizeExamples(task.Train)
	if err != nil {
		return nil, fmt.Errorf("FineTune %s: tokenizing the training texts: %w", task.Name, err)
	}
	devIDs, err := clf.tokenizeExamples(task.Dev)
	if err != nil {
		return nil, fmt.Errorf("FineTune %s: tokenizing the dev texts: %w", task.Name, err)
	}
	devY := data.Labels(task.Dev)
	key := runKey(enc, task, opts)
	res := &Result{Encoder: enc.Name(), Task: task.Name, Options: opts, clf: clf}
	if !opts.NoCheckpoint {
		res.CheckpointDir = opts.CheckpointDir
		if res.CheckpointDir == "" {
			res.CheckpointDir = filepath.Join(data.DefaultStore().CacheDir, "finetune", runDirName(enc, task, key))
		}
	}

	lengths := make([]int, len(trainIDs))
	for i, ids := range trainIDs {
		lengths[i] = len(ids)
	}
	trainY := data.Labels(task.Train)
	batch := func(examples []int) ([]*tensors.Tensor, error) {
		rows := make([][]int32, len(examples))
		ys := make([]int32, len(examples))
		for i, e := range examples {
			rows[i], ys[i] = trainIDs[e], int32(trainY[e])
		}
		ids, mask, _ := train.PadRows(rows, len(rows), lengthStep, clf.maxTokens)
		return []*tensors.Tensor{ids, mask, tensors.FromValue(ys)}, nil
	}
	loss := func(scope *model.Scope, inputs []*graph.Node) *graph.Node {
		return train.SoftmaxCrossEntropy(clf.logits(scope, inputs[0], inputs[1]), inputs[2])
	}
	cfg := train.New(b, clf.store, loss, len(trainIDs), batch).
		BatchSize(opts.BatchSize).Epochs(train.EpochsFor(opts.Epochs, opts.MinSteps, opts.BatchSize, len(trainIDs))).MaxSteps(opts.MaxSteps).
		LearningRate(opts.LearningRate).Warmup(opts.Warmup).WeightDecay(opts.WeightDecay, nil).ClipNorm(opts.ClipNorm).
		Lengths(lengths, 0).Seed(opts.Seed).Key(key).Progress(opts.Progress)
	if res.CheckpointDir != "" {
		cfg = cfg.Checkpoint(res.CheckpointDir, opts.Resume)
	}
	if len(devIDs) > 0 {
		cfg = cfg.Evaluate(func() (float64, error) {
			pred, _, err := clf.predictTokens(devIDs)
			if err != nil {
				return 0, err
			}
			return metrics.AccuracyOrNaN(pred, devY), nil
		}, opts.EvalEvery).Patience(opts.Patience)
	}
	if d := opts.LayerDecay; d > 0 && d != 1 {
		cfg = cfg.LRMultiplier(func(v *model.Variable) float64 {
			if depth, ok := clf.depth[v.Path()]; ok {
				return math.Pow(d, float64(depth))
			}
			return 1
		})
	}
	if opts.GradualUnfreezing {
		cfg = cfg.GradualUnfreezing(clf.unfreezeGroups())
	}
	tr, err := cfg.Done()
	if err != nil {
		return nil, fmt.Errorf("FineTune %s: %w", task.Name, err)
	}
	trainStart := time.Now()
	res.History, err = tr.Run(context.Background())
	res.TrainTime = time.Since(trainStart)
	if err != nil {
		return res, fmt.Errorf("FineTune %s on %s: %w", enc.Name(), task.Name, err)
	}

	if best, ok := res.History.BestEval(); ok {
		res.DevAccuracy = best.Metric
	} else {
		res.DevAccuracy = math.NaN()
	}
	testIDs, err := clf.tokenizeExamples(task.Test)
	if err != nil {
		return res, fmt.Errorf("FineTune %s: tokenizing the test texts: %w", task.Name, err)
	}
	if len(testIDs) > 0 {
		if res.TestPredictions, res.TestProbabilities, err = clf.predictTokens(testIDs); err != nil {
			return res, fmt.Errorf("FineTune %s: predicting the test texts: %w", task.Name, err)
		}
	}
	res.TestAccuracy = metrics.AccuracyOrNaN(res.TestPredictions, data.Labels(task.Test))
	res.Elapsed = time.Since(start)
	return res, nil
}

// checkOptions validates opts and fills MaxTokens.
func checkOptions(enc encoder.Encoder, task *data.TextClassification, opts *Options) error {
	if enc == nil || task == nil {
		return errors.New("FineTune: nil encoder or task")
	}
	if len(task.Train) == 0 || len(task.Labels) < 2 {
		return fmt.Errorf("FineTune %s: %d training examples and %d labels; need examples and at least 2 labels",
			task.Name, len(task.Train), len(task.Labels))
	}
	for _, split := range [][]data.Example{task.Train, task.Dev, task.Test} {
		for i, ex := range split {
			if ex.Label < 0 || ex.Label >= len(task.Labels) {
				return fmt.Errorf("FineTune %s: example %d has label %d, outside the %d labels", task.Name, i, ex.Label, len(task.Labels))
			}
		}
	}
	if err := task.CheckPairs(); err != nil {
		return fmt.Errorf("FineTune: %w", err)
	}
	if _, ok := enc.(encoder.PairTokenizer); task.IsPairs() && !ok {
		return fmt.Errorf("FineTune %s: a sentence-pair task, and %s reads one text at a time; fine-tune an encoder that reads two segments (a BERT checkpoint, bert:DIR), or train a head on frozen pair features (probe.Run, compare.FeaturesMethod)",
			task.Name, enc.Name())
	}
	if opts.MaxTokens <= 0 || opts.MaxTokens > enc.MaxTokens() {
		opts.MaxTokens = enc.MaxTokens()
	}
	if opts.Dropout < 0 || opts.Dropout >= 1 {
		return fmt.Errorf("FineTune: dropout %g must be in [0, 1)", opts.Dropout)
	}
	if opts.Hidden < 0 || opts.LayerDecay < 0 || opts.Freeze.Layers < 0 {
		return fmt.Errorf("FineTune: negative Hidden (%d), LayerDecay (%g) or frozen layers (%d)", opts.Hidden, opts.LayerDecay, opts.Freeze.Layers)
	}
	if opts.Freeze.Kind == freezeBottom && opts.Freeze.Layers+1 >= len(enc.Layers()) {
		return fmt.Errorf("FineTune: %s freezes all %d layers of %s; use FreezeAllButHead", opts.Freeze, len(enc.Layers()), enc.Name())
	}
	return nil
}

// runKey describes the encoder, the data and the options that change the result.
func runKey(enc encoder.Encoder, task *data.TextClassification, opts Options) string {
	h := sha256.New()
	for _, split := range [][]data.Example{task.Train, task.Dev} {
		for _, ex := range split {
			if ex.TextB != "" { // Pairs; single-text keys stay as they were before pairs existed.
				fmt.Fprintf(h, "%d\t%s\t%s\n", ex.Label, ex.Text, ex.TextB)
				continue
			}
			fmt.Fprintf(h, "%d\t%s\n", ex.Label, ex.Text)
		}
		h.Write([]byte{0})
	}
	return fmt.Sprintf("enc=%s task=%s data=%x labels=%d pool=%s hidden=%d dropout=%g freeze=%s decay=%g gradual=%v maxtok=%d lr=%g warmup=%g wd=%g clip=%g epochs=%d batch=%d maxsteps=%d eval=%d patience=%d seed=%d",
		enc.Name(), task.Name, h.Sum(nil)[:8], len(task.Labels), opts.Pooling, opts.Hidden, opts.Dropout, opts.Freeze,
		opts.LayerDecay, opts.GradualUnfreezing, opts.MaxTokens, opts.LearningRate, opts.Warmup, opts.WeightDecay,
		opts.ClipNorm, opts.Epochs, opts.BatchSize, opts.MaxSteps, opts.EvalEvery, opts.Patience, opts.Seed) +
		minStepsKey(opts.MinSteps)
}

// minStepsKey is MinSteps's part of the key: empty when unset, so that the keys (and the
// checkpoint folders) of runs without it stay what they were before the option existed.
func minStepsKey(minSteps int) string {
	if minSteps <= 0 {
		return ""
	}
	return fmt.Sprintf(" minsteps=%d", minSteps)
}

// runDirName is a readable, unique folder name for a run.
func runDirName(enc encoder.Encoder, task *data.TextClassification, key string) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s|%d|%d", key, len(task.Train), len(task.Dev))))
	return fmt.Sprintf("%s-%s-%s", cachefile.Name(enc.Name()), cachefile.Name(task.Name), hex.EncodeToString(sum[:6]))
}

// textClassifier is an encoder (a copy of its variables) with a classification head.
type textClassifier struct {
	enc       encoder.Encoder
	store     *model.Store
	opts      Options
	classes   int
	maxTokens int
	depth     map[string]int // Layer depth from the top (head 0) of each encoder variable.
	layers    [][]*model.Variable
	exec      *model.Exec
}

// classifierScope is the Store scope of the head's variables.
const classifierScope = "/classifier"

func newTextClassifier(enc encoder.Encoder, classes int, opts Options) (*textClassifier, error) {
	store, err := enc.Store().Clone()
	if err != nil {
		return nil, fmt.Errorf("FineTune: copying the weights of %s: %w", enc.Name(), err)
	}
	c := &textClassifier{enc: enc, store: store, opts: opts, classes: classes, maxTokens: opts.MaxTokens, depth: map[string]int{}}
	layers := enc.Layers()
	for i, l := range layers {
		var vars []*model.Variable
		for _, orig := range l.Variables {
			v := store.GetVariable(orig.Path())
			if v == nil {
				return nil, fmt.Errorf("FineTune: variable %s of layer %s missing from the copy", orig.Path(), l.Name)
			}
			c.depth[v.Path()] = len(layers) - i
			if opts.Freeze.Frozen(i, len(layers)) {
				v.SetTrainable(false)
			} else if v.Trainable {
				vars = append(vars, v)
			}
		}
		c.layers = append(c.layers, vars)
	}
	rng := rand.New(rand.NewPCG(opts.Seed, 0xc1a55))
	in := enc.Dim()
	if opts.Hidden > 0 {
		if err := train.CreateDense(store, classifierScope+"/hidden", in, opts.Hidden, rng); err != nil {
			return nil, err
		}
		in = opts.Hidden
	}
	if err := train.CreateDense(store, classifierScope+"/output", in, classes, rng); err != nil {
		return nil, err
	}
	b, err := backend.Get()
	if err != nil {
		return nil, err
	}
	if c.exec, err = model.NewExec(b, store, func(scope *model.Scope, ids, mask *graph.Node) *graph.Node {
		return c.logits(scope, ids, mask)
	}); err != nil {
		return nil, fmt.Errorf("FineTune: %w", err)
	}
	c.exec.SetMaxCache(64)
	return c, nil
}

// unfreezeGroups returns the trainable encoder layers' variables, from the top down.
func (c *textClassifier) unfreezeGroups() [][]*model.Variable {
	var groups [][]*model.Variable
	for i := len(c.layers) - 1; i >= 0; i-- {
		if len(c.layers[i]) > 0 {
			groups = append(groups, c.layers[i])
		}
	}
	return groups
}

// logits builds encoder and head: ids and mask [batch, length] → logits [batch, classes].
func (c *textClassifier) logits(scope *model.Scope, ids, mask *graph.Node) *graph.Node {
	states, native := c.enc.Build(scope, ids, mask)
	x := encoder.Pool(c.opts.Pooling, states, mask, native)
	x = train.Dropout(scope, x, c.opts.Dropout)
	if c.opts.Hidden > 0 {
		x = graph.Tanh(train.Dense(c.store, classifierScope+"/hidden", x))
		x = train.Dropout(scope, x, c.opts.Dropout)
	}
	return train.Dense(c.store, classifierScope+"/output", x)
}

// tokenizeExamples tokenizes the examples' texts, or their pairs of texts when they have a
// second one (the encoder is then a PairTokenizer: checkOptions made sure).
func (c *textClassifier) tokenizeExamples(examples []data.Example) ([][]int32, error) {
	if len(examples) > 0 && examples[0].TextB != "" {
		return c.enc.(encoder.PairTokenizer).TokenizePairs(data.Texts(examples), data.TextsB(examples), c.maxTokens)
	}
	return c.tokenize(data.Texts(examples))
}

// tokenize tokenizes texts and clips them to maxTokens.
func (c *textClassifier) tokenize(texts []string) ([][]int32, error) {
	ids, err := c.enc.Tokenize(texts)
	if err != nil {
		return nil, err
	}
	for i := range ids {
		if len(ids[i]) > c.maxTokens {
			ids[i] = ids[i][:c.maxTokens]
		}
	}
	return ids, nil
}

// evalBatch is the batch size of predictions.
const evalBatch = 64

// lengthStep is the multiple that padded lengths are rounded up to.
const lengthStep = 16

// predict returns the predicted label and class probabilities of each text.
func (c *textClassifier) predict(texts []string) ([]int, [][]float32, error) {
	if len(texts) == 0 {
		return nil, nil, nil
	}
	ids, err := c.tokenize(texts)
	if err != nil {
		return nil, nil, err
	}
	return c.predictTokens(ids)
}

// predictTokens predicts in batches of evalBatch rows of similar length: the label and the
// class probabilities of each row.
func (c *textClassifier) predictTokens(ids [][]int32) ([]int, [][]float32, error) {
	order := make([]int, len(ids))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return len(ids[a]) - len(ids[b]) })
	pred := make([]int, len(ids))
	probs := make([][]float32, len(ids))
	for start := 0; start < len(order); start += evalBatch {
		rowsIdx := order[start:min(start+evalBatch, len(order))]
		rows := make([][]int32, len(rowsIdx))
		for i, r := range rowsIdx {
			rows[i] = ids[r]
		}
		idsT, maskT, _ := train.PadRows(rows, evalBatch, lengthStep, c.maxTokens)
		out, err := c.exec.Exec(idsT, maskT)
		_ = idsT.FinalizeAll()
		_ = maskT.FinalizeAll()
		if err != nil {
			return nil, nil, fmt.Errorf("predicting: %w", err)
		}
		logits, err := tensors.CopyFlatData[float32](out[0])
		_ = out[0].FinalizeAll()
		if err != nil {
			return nil, nil, err
		}
		row := make([]float64, c.classes)
		for i, r := range rowsIdx {
			for k := range row {
				row[k] = float64(logits[i*c.classes+k])
			}
			pred[r] = metrics.Argmax(logits[i*c.classes : (i+1)*c.classes])
			probs[r] = metrics.Softmax(row)
		}
	}
	return pred, probs, nil
}
