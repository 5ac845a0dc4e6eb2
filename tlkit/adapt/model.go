package adapt

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/nlp-transfer/gotl/internal/backend"
	"github.com/nlp-transfer/gotl/internal/nn"
	"github.com/nlp-transfer/gotl/tlkit/metrics"
	"github.com/nlp-transfer/gotl/tlkit/train"
)

// Model is a trained adaptable network: standardization, the feature layer (dense + ReLU)
// and the classifier, on fixed input vectors (the domain discriminator of DANN is dropped
// from the outputs but stays in the Store).
type Model struct {
	// Options are the options it was trained with (defaults filled in).
	Options TrainOptions
	// Dim is the input width; NumClasses the number of classes.
	Dim, NumClasses int
	// History is the training history (losses; source-dev accuracies when evaluated).
	History *train.History
	// SourceDevAccuracy is the source-dev accuracy of the kept weights (NaN without dev data).
	SourceDevAccuracy float64

	scaling     train.Standardizer
	store       *model.Store
	probs, feat *model.Exec
}

// Store returns the model's variables (under /adapt/...).
func (m *Model) Store() *model.Store { return m.store }

// Variable scopes of the network.
const (
	scopeFeature      = "/adapt/feature"
	scopeClassifier   = "/adapt/classifier"
	scopeDomainHidden = "/adapt/domain/hidden"
	scopeDomainOutput = "/adapt/domain/output"
)

// newModel creates the variables (Glorot-uniform weights from opts.Seed, zero biases) and
// the executors of a model on dim-wide inputs.
func newModel(dim, classes int, opts TrainOptions) (*Model, error) {
	m := &Model{Options: opts, Dim: dim, NumClasses: classes, store: model.NewStore(), SourceDevAccuracy: math.NaN()}
	rng := rand.New(rand.NewPCG(opts.Seed, 0xada97))
	layers := []struct {
		scope   string
		in, out int
	}{{scopeFeature, dim, opts.Hidden}, {scopeClassifier, opts.Hidden, classes}}
	if opts.Method == DANN {
		layers = append(layers, struct {
			scope   string
			in, out int
		}{scopeDomainHidden, opts.Hidden, opts.DiscriminatorHidden}, struct {
			scope   string
			in, out int
		}{scopeDomainOutput, opts.DiscriminatorHidden, 2})
	}
	for _, l := range layers {
		if err := train.CreateDense(m.store, l.scope, l.in, l.out, rng); err != nil {
			return nil, fmt.Errorf("adapt: %w", err)
		}
	}
	b, err := backend.Get()
	if err != nil {
		return nil, err
	}
	if m.probs, err = model.NewExec(b, m.store, func(scope *model.Scope, x *graph.Node) *graph.Node {
		return graph.Softmax(m.logits(scope, m.features(x)), -1)
	}); err != nil {
		return nil, fmt.Errorf("adapt: %w", err)
	}
	if m.feat, err = model.NewExec(b, m.store, func(scope *model.Scope, x *graph.Node) *graph.Node {
		return m.features(x)
	}); err != nil {
		return nil, fmt.Errorf("adapt: %w", err)
	}
	return m, nil
}

// features maps standardized inputs [batch, Dim] to the feature layer [batch, Hidden].
func (m *Model) features(x *graph.Node) *graph.Node {
	return nn.ReLU(train.Dense(m.store, scopeFeature, x))
}

// logits applies the classifier (with dropout when training) to features h.
func (m *Model) logits(scope *model.Scope, h *graph.Node) *graph.Node {
	return train.Dense(m.store, scopeClassifier, train.Dropout(scope, h, m.Options.Dropout))
}

// domainLogits applies DANN's discriminator (hidden ReLU layer with dropout
// DiscriminatorDropout, 2 outputs: source, target) to features h, through the gradient
// reversal with factor lambda.
func (m *Model) domainLogits(scope *model.Scope, h, lambda *graph.Node) *graph.Node {
	h = GradientReversal(h, lambda)
	h = train.Dropout(scope, nn.ReLU(train.Dense(m.store, scopeDomainHidden, h)), m.Options.DiscriminatorDropout)
	return train.Dense(m.store, scopeDomainOutput, h)
}

// execRows runs exec on x (see train.ExecRows), with errors naming the model.
func (m *Model) execRows(exec *model.Exec, x [][]float32, width int) ([][]float32, error) {
	out, err := train.ExecRows(exec, m.scaling, x, m.Dim, width)
	if err != nil {
		return nil, fmt.Errorf("adapt: %w", err)
	}
	return out, nil
}

// Probabilities returns the class probabilities of each input vector.
func (m *Model) Probabilities(x [][]float32) ([][]float32, error) {
	return m.execRows(m.probs, x, m.NumClasses)
}

// Features returns the feature-layer vector (Hidden values) of each input vector: the
// representation that the adaptation loss aligns across domains.
func (m *Model) Features(x [][]float32) ([][]float32, error) {
	return m.execRows(m.feat, x, m.Options.Hidden)
}

// Predict returns the most probable class of each input vector.
func (m *Model) Predict(x [][]float32) ([]int, error) {
	probs, err := m.Probabilities(x)
	if err != nil {
		return nil, err
	}
	return metrics.ArgmaxRows(probs), nil
}

// Accuracy returns the fraction of x that Predict labels as y (NaN when empty).
func (m *Model) Accuracy(x [][]float32, y []int) (float64, error) {
	if len(x) != len(y) {
		return 0, fmt.Errorf("adapt: %d vectors for %d labels", len(x), len(y))
	}
	pred, err := m.Predict(x)
	if err != nil {
		return 0, err
	}
	return metrics.AccuracyOrNaN(pred, y), nil
}
