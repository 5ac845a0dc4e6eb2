package adapt

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/nlp-transfer/gotl/internal/backend"
	"github.com/nlp-transfer/gotl/tlkit/train"
)

// PADOptions configures ProxyADistance. The zero value is usable: it means the defaults.
type PADOptions struct {
	// TestFraction is the share of each domain held out to measure the classifier's error
	// (0: 0.5).
	TestFraction float64
	// L2 is the L2 penalty L2/2·Σw² of the classifier's weights (0: 1e-3; negative: none).
	L2 float64
	// Epochs is the most passes over the training part (0: 100; raised to make at least 1000
	// steps of 64 vectors); training stops early after 10 epochs (at least 500 steps) without
	// a better accuracy on a dev fifth of the training part.
	Epochs int
	// Seed fixes the split, the initial weights and the data order (0 means 1).
	Seed uint64
}

// PAD is the result of ProxyADistance.
type PAD struct {
	// Distance is the proxy A-distance 2(1 − 2ε): near 0 when the domains are
	// indistinguishable (a coin flip, ε ≈ 0.5), 2 when they are separable (ε = 0). Below 0
	// (ε > 0.5) is noise around 0.
	Distance float64
	// Error is ε, the domain classifier's error on the held-out vectors.
	Error float64
	// NTrain and NTest are the vectors the classifier was trained and tested on.
	NTrain, NTest int
}

// ProxyADistance returns the proxy A-distance between two sets of vectors (Ben-David et al.
// 2007; the protocol of Ganin et al. 2016, section 5.2.3): each set is split into a
// training and a test part (TestFraction), a linear classifier (logistic regression on
// standardized vectors, L2, early stopping on a dev fifth of the training part) learns to
// tell a from b, and with ε its error on the test parts, PAD = 2(1 − 2ε). Each domain is
// weighted equally when the sets differ in size.
func ProxyADistance(a, b [][]float32, opts PADOptions) (*PAD, error) {
	if opts.TestFraction == 0 {
		opts.TestFraction = 0.5
	}
	if opts.L2 == 0 {
		opts.L2 = 1e-3
	}
	if opts.Epochs == 0 {
		opts.Epochs = 100
	}
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	switch {
	case len(a) < 10 || len(b) < 10:
		return nil, fmt.Errorf("proxy A-distance: %d and %d vectors; need at least 10 a domain", len(a), len(b))
	case opts.TestFraction <= 0 || opts.TestFraction >= 1:
		return nil, fmt.Errorf("proxy A-distance: test fraction %g outside (0, 1)", opts.TestFraction)
	case opts.Epochs < 0:
		return nil, fmt.Errorf("proxy A-distance: %d epochs", opts.Epochs)
	}
	dim := len(a[0])
	for d, set := range [][][]float32{a, b} {
		for i, row := range set {
			if len(row) != dim {
				return nil, fmt.Errorf("proxy A-distance: vector %d of domain %d has %d values, vector 0 of the first %d", i, d, len(row), dim)
			}
		}
	}
	// Split each domain into train, dev and test, in a seeded order.
	rng := rand.New(rand.NewPCG(opts.Seed, 0xad157))
	var trainX, devX, testX [][]float32
	var trainY, devY, testY []int
	for label, set := range [][][]float32{a, b} {
		perm := rng.Perm(len(set))
		nTest := max(1, int(math.Round(opts.TestFraction*float64(len(set)))))
		nDev := max(1, (len(set)-nTest)/5)
		for k, i := range perm {
			switch {
			case k < nTest:
				testX, testY = append(testX, set[i]), append(testY, label)
			case k < nTest+nDev:
				devX, devY = append(devX, set[i]), append(devY, label)
			default:
				trainX, trainY = append(trainX, set[i]), append(trainY, label)
			}
		}
	}
	clf, err := trainLinear(trainX, trainY, devX, devY, opts)
	if err != nil {
		return nil, fmt.Errorf("proxy A-distance: %w", err)
	}
	pred, err := clf.Predict(testX)
	if err != nil {
		return nil, fmt.Errorf("proxy A-distance: %w", err)
	}
	// Balanced error: the mean of the two domains' error rates.
	var wrong, count [2]float64
	for i, y := range testY {
		count[y]++
		if pred[i] != y {
			wrong[y]++
		}
	}
	eps := (wrong[0]/count[0] + wrong[1]/count[1]) / 2
	return &PAD{Distance: 2 * (1 - 2*eps), Error: eps, NTrain: len(trainX) + len(devX), NTest: len(testX)}, nil
}

// The domain classifier's training: Adam at padLearningRate in batches of padBatch, at least
// padMinSteps steps.
const (
	padBatch        = 64
	padLearningRate = 1e-2
	padMinSteps     = 1000
)

// trainLinear trains a binary logistic regression (a Model with the linear classifier only)
// with early stopping on dev accuracy.
func trainLinear(trainX [][]float32, trainY []int, devX [][]float32, devY []int, opts PADOptions) (*linear, error) {
	dim := len(trainX[0])
	c := &linear{dim: dim, scaling: train.FitStandardizer(dim, trainX), store: model.NewStore()}
	rng := rand.New(rand.NewPCG(opts.Seed, 0x11ea2))
	if err := train.CreateDense(c.store, "/pad/output", dim, 2, rng); err != nil {
		return nil, fmt.Errorf("adapt: %w", err)
	}
	b, err := backend.Get()
	if err != nil {
		return nil, err
	}
	if c.exec, err = model.NewExec(b, c.store, func(scope *model.Scope, x *graph.Node) *graph.Node {
		return train.Dense(c.store, "/pad/output", x)
	}); err != nil {
		return nil, err
	}
	flat := c.scaling.Flat(trainX)
	batch := func(examples []int) ([]*tensors.Tensor, error) {
		xs := make([]float32, 0, len(examples)*dim)
		ys := make([]int32, len(examples))
		for i, e := range examples {
			xs = append(xs, flat[e*dim:(e+1)*dim]...)
			ys[i] = int32(trainY[e])
		}
		return []*tensors.Tensor{tensors.FromFlatDataAndDimensions(xs, len(examples), dim), tensors.FromValue(ys)}, nil
	}
	loss := func(scope *model.Scope, inputs []*graph.Node) *graph.Node {
		l := train.SoftmaxCrossEntropy(train.Dense(c.store, "/pad/output", inputs[0]), inputs[1])
		if opts.L2 > 0 {
			w := c.store.GetVariable("/pad/output/weights").NodeValue(l.Graph())
			l = graph.Add(l, graph.MulScalar(graph.ConvertDType(graph.ReduceAllSum(graph.Square(w)), dtypes.Float32), opts.L2/2))
		}
		return l
	}
	// Small sets have few steps an epoch: train and wait for a better dev accuracy at least
	// padMinSteps steps.
	stepsPerEpoch := max(1, len(trainX)/padBatch)
	epochs := max(opts.Epochs, (padMinSteps+stepsPerEpoch-1)/stepsPerEpoch)
	patience := max(10, (padMinSteps/2+stepsPerEpoch-1)/stepsPerEpoch)
	tr, err := train.New(b, c.store, loss, len(trainX), batch).BatchSize(padBatch).Epochs(epochs).
		LearningRate(padLearningRate).ScheduleKind(train.Constant).Seed(opts.Seed).Progress(train.NoProgress()).
		Evaluate(func() (float64, error) {
			pred, err := c.Predict(devX)
			if err != nil {
				return 0, err
			}
			return accuracy(pred, devY), nil
		}, 0).Patience(patience).Done()
	if err != nil {
		return nil, err
	}
	if _, err := tr.Run(context.Background()); err != nil {
		return nil, err
	}
	return c, nil
}

// linear is the domain classifier of ProxyADistance.
type linear struct {
	dim     int
	scaling train.Standardizer
	store   *model.Store
	exec    *model.Exec
}

// Predict returns the predicted domain (0 or 1) of each vector.
func (c *linear) Predict(x [][]float32) ([]int, error) {
	logits, err := runChunked(c.exec, c.scaling, c.dim, x, 2)
	if err != nil {
		return nil, err
	}
	pred := make([]int, len(logits))
	for i, l := range logits {
		if l[1] > l[0] {
			pred[i] = 1
		}
	}
	return pred, nil
}
