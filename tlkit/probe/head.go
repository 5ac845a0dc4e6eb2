package probe

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/nlp-transfer/gotl/tlkit/metrics"

	"github.com/nlp-transfer/gotl/internal/backend"
	"github.com/nlp-transfer/gotl/internal/nn"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/nlp-transfer/gotl/tlkit/train"
)

// HeadKind chooses the classifier trained on fixed features.
type HeadKind int

const (
	// HeadLogistic is (multinomial) logistic regression: one dense layer and a softmax.
	HeadLogistic HeadKind = iota
	// HeadMLP is a multi-layer perceptron with one hidden layer (ReLU, dropout).
	HeadMLP
)

// String returns "logistic" or "mlp".
func (k HeadKind) String() string {
	switch k {
	case HeadLogistic:
		return "logistic"
	case HeadMLP:
		return "mlp"
	}
	return fmt.Sprintf("HeadKind(%d)", int(k))
}

// HeadOptions configures TrainHead. Start from DefaultHeadOptions.
type HeadOptions struct {
	// Kind is the classifier: HeadLogistic or HeadMLP.
	Kind HeadKind
	// NumClasses is the number of classes (0: the largest label in trainY and devY, plus one).
	NumClasses int
	// Hidden is the MLP's hidden width; Dropout its dropout rate on the hidden layer.
	Hidden  int
	Dropout float64
	// L2 is the L2 penalty L2/2·Σw² on the weights (not the biases), added to the mean
	// cross-entropy.
	L2 float64
	// LearningRate is Adam's (constant) learning rate; BatchSize the examples per step (0:
	// the whole training set, full-batch); Epochs the most passes over the data, raised on small
	// training sets so that training may last at least 1000 steps.
	LearningRate float64
	BatchSize    int
	Epochs       int
	// Patience stops training after this many epochs (at least 1000 steps) without a better dev
	// accuracy (0: never); the weights of the best epoch are kept. Without dev data, training
	// runs all epochs.
	Patience int
	// Standardize rescales each feature to zero mean and unit variance on the training set
	// (the same transform is applied by Predict).
	Standardize bool
	// SelectMacroF1 keeps the epoch with the best dev macro-F1 instead of the best dev
	// accuracy: on unbalanced classes (CoLA's 70% acceptable sentences) accuracy rewards the
	// majority class, and the kept head may predict nothing else.
	SelectMacroF1 bool
	// Seed fixes the initial weights, the data order and the dropout.
	Seed uint64
	// Progress shows the training (nil: none, heads train in seconds).
	Progress train.Progress
}

// DefaultHeadOptions returns the defaults: logistic regression on standardized features, L2
// 1e-3, Adam at 1e-3 in batches of 64 for at most 100 epochs, patience 10, seed 1; for the
// MLP, 256 hidden units and dropout 0.5.
func DefaultHeadOptions() HeadOptions {
	return HeadOptions{Kind: HeadLogistic, Hidden: 256, Dropout: 0.5, L2: 1e-3, LearningRate: 1e-3,
		BatchSize: 64, Epochs: 100, Patience: 10, Standardize: true, Seed: 1}
}

// Head is a classifier trained on fixed feature vectors (e.g. frozen sentence embeddings).
type Head struct {
	// Options are the options it was trained with (NumClasses filled in).
	Options HeadOptions
	// Dim is the feature width.
	Dim int
	// History is the training history (dev accuracy per epoch).
	History *train.History
	// DevAccuracy is the dev accuracy of the kept weights (NaN without dev data).
	DevAccuracy float64
	// DevScore is the dev score the weights were kept for: DevAccuracy, or the dev macro-F1
	// with Options.SelectMacroF1 (NaN without dev data).
	DevScore float64

	scaling train.Standardizer
	store   *model.Store
	exec    *model.Exec
}

// TrainHead trains a head on trainX (one feature vector per example) and trainY (labels),
// selecting the epoch with the best accuracy on devX/devY (which may be empty), with the
// same training loop as fine-tuning (tlkit/train). It is deterministic for a given seed.
func TrainHead(trainX [][]float32, trainY []int, devX [][]float32, devY []int, opts HeadOptions) (*Head, error) {
	if len(trainX) == 0 || len(trainX) != len(trainY) || len(devX) != len(devY) {
		return nil, fmt.Errorf("TrainHead: %d training vectors for %d labels, %d dev vectors for %d labels (want equal, and training data)",
			len(trainX), len(trainY), len(devX), len(devY))
	}
	dim := len(trainX[0])
	for i, x := range trainX {
		if len(x) != dim {
			return nil, fmt.Errorf("TrainHead: training vector %d has %d values, vector 0 has %d", i, len(x), dim)
		}
	}
	for i, x := range devX {
		if len(x) != dim {
			return nil, fmt.Errorf("TrainHead: dev vector %d has %d values, the training vectors %d", i, len(x), dim)
		}
	}
	if opts.NumClasses == 0 {
		for _, y := range append(append([]int{}, trainY...), devY...) {
			opts.NumClasses = max(opts.NumClasses, y+1)
		}
	}
	for _, y := range append(append([]int{}, trainY...), devY...) {
		if y < 0 || y >= opts.NumClasses {
			return nil, fmt.Errorf("TrainHead: label %d outside [0, %d)", y, opts.NumClasses)
		}
	}
	if opts.NumClasses < 2 {
		return nil, fmt.Errorf("TrainHead: %d classes; need at least 2", opts.NumClasses)
	}
	if opts.Kind == HeadMLP && opts.Hidden < 1 {
		return nil, fmt.Errorf("TrainHead: MLP with %d hidden units", opts.Hidden)
	}
	b, err := backend.Get()
	if err != nil {
		return nil, err
	}
	h := &Head{Options: opts, Dim: dim, store: model.NewStore(), DevAccuracy: math.NaN(), DevScore: math.NaN()}
	h.scaling = train.IdentityStandardizer(dim)
	if opts.Standardize {
		h.scaling = train.FitStandardizer(dim, trainX)
	}
	if err := h.initVariables(); err != nil {
		return nil, err
	}
	train1 := h.scaling.Flat(trainX)
	labels := make([]int32, len(trainY))
	for i, y := range trainY {
		labels[i] = int32(y)
	}
	batch := func(examples []int) ([]*tensors.Tensor, error) {
		flat := make([]float32, 0, len(examples)*dim)
		ys := make([]int32, len(examples))
		for i, e := range examples {
			flat = append(flat, train1[e*dim:(e+1)*dim]...)
			ys[i] = labels[e]
		}
		return []*tensors.Tensor{tensors.FromFlatDataAndDimensions(flat, len(examples), dim), tensors.FromValue(ys)}, nil
	}
	loss := func(scope *model.Scope, inputs []*graph.Node) *graph.Node {
		l := train.SoftmaxCrossEntropy(h.logits(scope, inputs[0]), inputs[1])
		if opts.L2 > 0 {
			g := l.Graph()
			sum := graph.ScalarZero(g, dtypes.Float32)
			for v := range h.store.IterVariables() {
				if v.Name() == "weights" {
					sum = graph.Add(sum, graph.ReduceAllSum(graph.Square(v.NodeValue(g))))
				}
			}
			l = graph.Add(l, graph.MulScalar(sum, opts.L2/2))
		}
		return l
	}
	if h.exec, err = model.NewExec(b, h.store, func(scope *model.Scope, x *graph.Node) *graph.Node {
		return graph.Softmax(h.logits(scope, x), -1)
	}); err != nil {
		return nil, fmt.Errorf("TrainHead: %w", err)
	}
	progress := opts.Progress
	if progress == nil {
		progress = train.NoProgress()
	}
	batchSize := opts.BatchSize
	if batchSize <= 0 {
		batchSize = len(trainX)
	}
	// On a small training set an epoch is one or two steps: Epochs and Patience are raised to
	// span at least minHeadSteps steps, so that a few dozen examples still train.
	stepsPerEpoch := max(1, len(trainX)/batchSize)
	epochs := max(opts.Epochs, 1, ceilDiv(minHeadSteps, stepsPerEpoch))
	patience := opts.Patience
	if patience > 0 {
		patience = max(patience, ceilDiv(minHeadSteps, stepsPerEpoch))
	}
	cfg := train.New(b, h.store, loss, len(trainX), batch).BatchSize(batchSize).Epochs(epochs).
		LearningRate(opts.LearningRate).ScheduleKind(train.Constant).Seed(opts.Seed).Progress(progress)
	if len(devX) > 0 {
		score := func() (float64, error) { return h.Accuracy(devX, devY) }
		if opts.SelectMacroF1 {
			score = func() (float64, error) {
				pred, err := h.Predict(devX)
				if err != nil {
					return 0, err
				}
				return metrics.Classification(pred, devY, opts.NumClasses).MacroF1, nil
			}
		}
		cfg = cfg.Evaluate(score, 0).Patience(patience)
	}
	tr, err := cfg.Done()
	if err != nil {
		return nil, fmt.Errorf("TrainHead: %w", err)
	}
	if h.History, err = tr.Run(context.Background()); err != nil {
		return nil, fmt.Errorf("TrainHead: %w", err)
	}
	if best, ok := h.History.BestEval(); ok {
		h.DevScore, h.DevAccuracy = best.Metric, best.Metric
		if opts.SelectMacroF1 {
			if h.DevAccuracy, err = h.Accuracy(devX, devY); err != nil {
				return nil, fmt.Errorf("TrainHead: %w", err)
			}
		}
	}
	return h, nil
}

// minHeadSteps is the fewest optimisation steps TrainHead trains for, and waits for a better
// dev accuracy, whatever Epochs and Patience say.
const minHeadSteps = 1000

// ceilDiv returns ⌈a/b⌉ for positive a and b.
func ceilDiv(a, b int) int { return (a + b - 1) / b }

// initVariables creates the head's variables: Glorot-uniform weights from the seed, zero
// biases.
func (h *Head) initVariables() error {
	rng := rand.New(rand.NewPCG(h.Options.Seed, 0x4ead))
	layers := [][3]any{{"output", h.Dim, h.Options.NumClasses}}
	if h.Options.Kind == HeadMLP {
		layers = [][3]any{{"hidden", h.Dim, h.Options.Hidden}, {"output", h.Options.Hidden, h.Options.NumClasses}}
	}
	for _, l := range layers {
		if err := train.CreateDense(h.store, "/head/"+l[0].(string), l[1].(int), l[2].(int), rng); err != nil {
			return err
		}
	}
	return nil
}

// logits builds the head on standardized features x [batch, Dim].
func (h *Head) logits(scope *model.Scope, x *graph.Node) *graph.Node {
	if h.Options.Kind == HeadMLP {
		x = train.Dense(h.store, "/head/hidden", x)
		x = nn.ReLU(x)
		x = train.Dropout(scope, x, h.Options.Dropout)
	}
	return train.Dense(h.store, "/head/output", x)
}

// Probabilities returns the class probabilities of each feature vector.
func (h *Head) Probabilities(x [][]float32) ([][]float32, error) {
	probs, err := train.ExecRows(h.exec, h.scaling, x, h.Dim, h.Options.NumClasses)
	if err != nil {
		return nil, fmt.Errorf("head: %w", err)
	}
	return probs, nil
}

// Predict returns the most probable class of each feature vector.
func (h *Head) Predict(x [][]float32) ([]int, error) {
	probs, err := h.Probabilities(x)
	if err != nil {
		return nil, err
	}
	return metrics.ArgmaxRows(probs), nil
}

// Accuracy returns the fraction of x that Predict labels as y.
func (h *Head) Accuracy(x [][]float32, y []int) (float64, error) {
	pred, err := h.Predict(x)
	if err != nil {
		return 0, err
	}
	return metrics.AccuracyOrNaN(pred, y), nil
}
