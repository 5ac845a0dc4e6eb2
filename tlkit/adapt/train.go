package adapt

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/nlp-transfer/gotl/internal/backend"
	"github.com/nlp-transfer/gotl/tlkit/train"
)

// Selection is how Train picks the weights it keeps, without target labels.
type Selection int

const (
	// SelectLast keeps the weights of the last step: a fixed number of steps.
	SelectLast Selection = iota
	// SelectSourceDev keeps the weights with the best source-dev accuracy, evaluated every
	// TrainOptions.EvalEvery steps.
	SelectSourceDev
)

// String returns "last" or "source-dev".
func (s Selection) String() string {
	switch s {
	case SelectLast:
		return "last"
	case SelectSourceDev:
		return "source-dev"
	}
	return fmt.Sprintf("Selection(%d)", int(s))
}

// TrainOptions configures Train (the network and its training on feature vectors). Start
// from DefaultTrainOptions.
type TrainOptions struct {
	// Method is the adaptation method (or a reference: SourceOnly, TargetOracle).
	Method Method
	// Hidden is the width of the feature layer; DiscriminatorHidden the width of DANN's
	// discriminator's hidden layer.
	Hidden, DiscriminatorHidden int
	// Dropout is the dropout rate on the feature layer before the classifier;
	// DiscriminatorDropout the rate on the discriminator's hidden layer.
	Dropout, DiscriminatorDropout float64
	// Weight is the weight of the adaptation loss: DANN's largest reversal factor λ (the
	// domain loss itself has weight 1, as in Ganin et al.), MMD's and CORAL's trade-off.
	Weight float64
	// Ramp multiplies the adaptation weight by DANNLambda(progress), rising from 0 to ~1.
	// DANN always ramps (Ganin et al.'s schedule); for MMD and CORAL it is this option.
	Ramp bool
	// Kernel is MMD's kernel.
	Kernel Kernel
	// LearningRate is AdamW's peak rate (linear decay to 0); WeightDecay its decoupled decay.
	LearningRate, WeightDecay float64
	// BatchSize is the number of labelled examples a step; each step also draws as many
	// unlabelled target examples (cycling through them in a seeded order).
	BatchSize int
	// Steps is the number of training steps.
	Steps int
	// Select picks the kept weights (SelectLast or SelectSourceDev, every EvalEvery steps;
	// 0: Steps/20). TargetOracle always keeps the last.
	Select    Selection
	EvalEvery int
	// Standardize rescales each input to zero mean and unit variance over the source and
	// target training vectors together.
	Standardize bool
	// Seed fixes the initial weights, the data order and the dropout.
	Seed uint64
	// Progress shows the training (nil: none).
	Progress train.Progress
}

// DefaultTrainOptions returns the defaults for method: a 256-wide feature layer with dropout 0.7
// before the classifier, a 256-wide discriminator without dropout, the adaptation weight of
// the method (DANN 0.1, MMD 0.3, CORAL 10: CORAL's loss is divided by 4d², so it is small),
// the multi-bandwidth Gaussian MMD kernel, AdamW at 1e-3 (linear decay) with weight decay
// 0.1, batches of 64 (+64 target), 600 steps, the last weights kept, standardized inputs,
// seed 1. These were chosen on the Amazon benchmark of notebook 04 (USE-lite features).
func DefaultTrainOptions(method Method) TrainOptions {
	o := TrainOptions{Method: method, Hidden: 256, DiscriminatorHidden: 256, Dropout: 0.7, Weight: 1,
		Kernel: DefaultKernel(), LearningRate: 1e-3, WeightDecay: 0.1, BatchSize: 64, Steps: 600,
		Select: SelectLast, Standardize: true, Seed: 1}
	switch method {
	case DANN:
		o.Weight = 0.1
	case MMD:
		o.Weight = 0.3
	case CORAL:
		o.Weight = 10
	}
	return o
}

// Data holds the feature vectors Train learns from.
type Data struct {
	// SourceX and SourceY are the labelled source examples.
	SourceX [][]float32
	SourceY []int
	// SourceDevX and SourceDevY are held-out labelled source examples, for SelectSourceDev
	// (optional otherwise).
	SourceDevX [][]float32
	SourceDevY []int
	// TargetX are the unlabelled target examples.
	TargetX [][]float32
	// TargetY are TargetX's labels, read by TargetOracle only (nil otherwise).
	TargetY []int
	// NumClasses is the number of classes (0: the largest label, plus one).
	NumClasses int
}

// check validates d for opts and returns the input width and the number of classes.
func (d *Data) check(opts TrainOptions) (dim, classes int, err error) {
	switch {
	case len(d.SourceX) == 0 || len(d.SourceX) != len(d.SourceY):
		return 0, 0, fmt.Errorf("adapt: %d source vectors for %d labels (want equal, and some)", len(d.SourceX), len(d.SourceY))
	case len(d.SourceDevX) != len(d.SourceDevY):
		return 0, 0, fmt.Errorf("adapt: %d source-dev vectors for %d labels", len(d.SourceDevX), len(d.SourceDevY))
	case len(d.TargetX) == 0 && opts.Method != SourceOnly:
		return 0, 0, fmt.Errorf("adapt: %s needs target vectors (Data.TargetX is empty)", opts.Method)
	case opts.Method == TargetOracle && len(d.TargetY) != len(d.TargetX):
		return 0, 0, fmt.Errorf("adapt: target-oracle needs the target labels: %d for %d target vectors", len(d.TargetY), len(d.TargetX))
	case opts.Select == SelectSourceDev && opts.Method != TargetOracle && len(d.SourceDevX) == 0:
		return 0, 0, errors.New("adapt: source-dev selection needs Data.SourceDevX (or Select: SelectLast)")
	}
	dim = len(d.SourceX[0])
	for name, set := range map[string][][]float32{"source": d.SourceX, "source-dev": d.SourceDevX, "target": d.TargetX} {
		for i, row := range set {
			if len(row) != dim {
				return 0, 0, fmt.Errorf("adapt: %s vector %d has %d values, source vector 0 has %d", name, i, len(row), dim)
			}
		}
	}
	classes = d.NumClasses
	all := append(append([]int{}, d.SourceY...), d.SourceDevY...)
	if opts.Method == TargetOracle {
		all = append(all, d.TargetY...)
	}
	if classes == 0 {
		for _, y := range all {
			classes = max(classes, y+1)
		}
	}
	for _, y := range all {
		if y < 0 || y >= classes {
			return 0, 0, fmt.Errorf("adapt: label %d outside [0, %d)", y, classes)
		}
	}
	if classes < 2 {
		return 0, 0, fmt.Errorf("adapt: %d classes; need at least 2", classes)
	}
	return dim, classes, nil
}

// checkOptions validates opts and fills in defaults.
func checkOptions(opts *TrainOptions) error {
	switch {
	case opts.Method < SourceOnly || opts.Method > TargetOracle:
		return fmt.Errorf("adapt: unknown method %d", int(opts.Method))
	case opts.Hidden < 1:
		return fmt.Errorf("adapt: feature layer of %d units", opts.Hidden)
	case opts.Method == DANN && opts.DiscriminatorHidden < 1:
		return fmt.Errorf("adapt: discriminator of %d hidden units", opts.DiscriminatorHidden)
	case opts.Dropout < 0 || opts.Dropout >= 1 || opts.DiscriminatorDropout < 0 || opts.DiscriminatorDropout >= 1:
		return fmt.Errorf("adapt: dropout %g or %g outside [0, 1)", opts.Dropout, opts.DiscriminatorDropout)
	case opts.Weight < 0:
		return fmt.Errorf("adapt: adaptation weight %g must not be negative", opts.Weight)
	case opts.BatchSize < 2:
		return fmt.Errorf("adapt: batch size %d: want at least 2 (covariances and MMD need pairs)", opts.BatchSize)
	case opts.Steps < 1:
		return fmt.Errorf("adapt: %d steps", opts.Steps)
	case opts.EvalEvery < 0:
		return fmt.Errorf("adapt: evaluation interval %d", opts.EvalEvery)
	}
	if opts.EvalEvery == 0 {
		opts.EvalEvery = max(1, opts.Steps/20)
	}
	return nil
}

// Train trains the adaptable network of opts.Method on d and returns it. Each step takes
// BatchSize labelled examples (source; target for TargetOracle) and, for the adaptation
// methods, BatchSize unlabelled target examples; the loss is the cross-entropy of the
// labelled examples plus the method's adaptation loss on the feature layer. It is
// deterministic for a given seed.
func Train(d Data, opts TrainOptions) (*Model, error) {
	if err := checkOptions(&opts); err != nil {
		return nil, err
	}
	dim, classes, err := d.check(opts)
	if err != nil {
		return nil, err
	}
	m, err := newModel(dim, classes, opts)
	if err != nil {
		return nil, err
	}
	m.scaling = train.IdentityStandardizer(dim)
	if opts.Standardize {
		m.scaling = train.FitStandardizer(dim, d.SourceX, d.TargetX)
	}
	labelledX, labelledY := d.SourceX, d.SourceY
	if opts.Method == TargetOracle {
		labelledX, labelledY = d.TargetX, d.TargetY
		opts.Select = SelectLast
	}
	lx := m.scaling.Flat(labelledX)
	ly := make([]int32, len(labelledY))
	for i, y := range labelledY {
		ly[i] = int32(y)
	}
	var tx []float32
	if opts.Method.adapts() {
		tx = m.scaling.Flat(d.TargetX)
	}
	batchSize := min(opts.BatchSize, len(labelledX))
	targetOrder := newCycler(len(d.TargetX), rand.New(rand.NewPCG(opts.Seed, 0x7a9e7)))
	step := 0
	batch := func(examples []int) ([]*tensors.Tensor, error) {
		xs := make([]float32, 0, len(examples)*dim)
		ys := make([]int32, len(examples))
		for i, e := range examples {
			xs = append(xs, lx[e*dim:(e+1)*dim]...)
			ys[i] = ly[e]
		}
		inputs := []*tensors.Tensor{tensors.FromFlatDataAndDimensions(xs, len(examples), dim), tensors.FromValue(ys)}
		if opts.Method.adapts() {
			xt := make([]float32, 0, len(examples)*dim)
			for range examples {
				e := targetOrder.next()
				xt = append(xt, tx[e*dim:(e+1)*dim]...)
			}
			lambda := opts.Weight
			if opts.Method == DANN || opts.Ramp {
				lambda *= DANNLambda(float64(step) / float64(opts.Steps))
			}
			inputs = append(inputs, tensors.FromFlatDataAndDimensions(xt, len(examples), dim), tensors.FromValue(float32(lambda)))
		}
		step++
		return inputs, nil
	}
	loss := func(scope *model.Scope, inputs []*graph.Node) *graph.Node {
		hs := m.features(inputs[0])
		l := train.SoftmaxCrossEntropy(m.logits(scope, hs), inputs[1])
		if !opts.Method.adapts() {
			return l
		}
		ht, lambda := m.features(inputs[2]), inputs[3]
		var extra *graph.Node
		switch opts.Method {
		case DANN:
			h := graph.Concatenate([]*graph.Node{hs, ht}, 0)
			domains := graph.Concatenate([]*graph.Node{graph.ZerosLike(inputs[1]), graph.OnesLike(inputs[1])}, 0)
			extra = train.SoftmaxCrossEntropy(m.domainLogits(scope, h, lambda), domains)
		case MMD:
			extra = graph.Mul(lambda, MMDLoss(hs, ht, opts.Kernel))
		case CORAL:
			extra = graph.Mul(lambda, CORALLoss(hs, ht))
		}
		return graph.Add(l, extra)
	}
	b, err := backend.Get()
	if err != nil {
		return nil, err
	}
	progress := opts.Progress
	if progress == nil {
		progress = train.NoProgress()
	}
	stepsPerEpoch := max(1, len(labelledX)/batchSize)
	cfg := train.New(b, m.store, loss, len(labelledX), batch).BatchSize(batchSize).
		Epochs((opts.Steps+stepsPerEpoch-1)/stepsPerEpoch).MaxSteps(opts.Steps).
		LearningRate(opts.LearningRate).WeightDecay(opts.WeightDecay, nil).Seed(opts.Seed).Progress(progress)
	if opts.Select == SelectSourceDev {
		cfg = cfg.Evaluate(func() (float64, error) { return m.Accuracy(d.SourceDevX, d.SourceDevY) }, opts.EvalEvery)
	}
	tr, err := cfg.Done()
	if err != nil {
		return nil, fmt.Errorf("adapt: %w", err)
	}
	if m.History, err = tr.Run(context.Background()); err != nil {
		return nil, fmt.Errorf("adapt (%s): %w", opts.Method, err)
	}
	m.Options = opts
	if best, ok := m.History.BestEval(); ok {
		m.SourceDevAccuracy = best.Metric
	} else if len(d.SourceDevX) > 0 {
		if m.SourceDevAccuracy, err = m.Accuracy(d.SourceDevX, d.SourceDevY); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// cycler hands out 0..n-1 in a shuffled order, reshuffled at each pass.
type cycler struct {
	order []int
	pos   int
	rng   *rand.Rand
}

func newCycler(n int, rng *rand.Rand) *cycler {
	c := &cycler{order: make([]int, n), rng: rng}
	for i := range c.order {
		c.order[i] = i
	}
	c.pos = n
	return c
}

func (c *cycler) next() int {
	if c.pos >= len(c.order) {
		c.rng.Shuffle(len(c.order), func(i, j int) { c.order[i], c.order[j] = c.order[j], c.order[i] })
		c.pos = 0
	}
	c.pos++
	return c.order[c.pos-1]
}
