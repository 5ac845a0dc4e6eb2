package adapt

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/nlp-transfer/gotl/tlkit/probe"
)

// PADOptions configures ProxyADistance. The zero value is usable: it means the defaults.
type PADOptions struct {
	// TestFraction is the share of each domain held out to measure the classifier's error
	// (0: 0.5).
	TestFraction float64
	// L2 is the L2 penalty L2/2·Σw² of the classifier's weights (0: 1e-3; negative: none).
	L2 float64
	// Epochs is the most passes over the training part (0: 100; raised to make at least 1000
	// steps of 64 vectors); training stops early after 10 epochs (at least 1000 steps) without
	// a better accuracy on a dev fifth of the training part, keeping the best epoch's weights.
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
// training and a test part (TestFraction), a linear classifier (probe.TrainHead's logistic
// regression on standardized vectors, L2, early stopping on a dev fifth of the training
// part) learns to tell a from b, and with ε its error on the test parts, PAD = 2(1 − 2ε). Each domain is
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
	clf, err := probe.TrainHead(trainX, trainY, devX, devY, domainClassifier(opts))
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

// padVersion names the domain classifier of ProxyADistance in the keys of saved results, so
// that a change of classifier does not reuse distances measured by another one. "head1":
// probe.TrainHead (before it, ProxyADistance had a logistic regression of its own, with
// another initialisation stream and a patience of at least 500 steps instead of 1000).
const padVersion = "head1"

// domainClassifier returns the options of ProxyADistance's domain classifier: probe's
// logistic regression on standardized vectors, Adam at a constant 1e-2 in batches of 64,
// early stopping on the dev part.
func domainClassifier(opts PADOptions) probe.HeadOptions {
	return probe.HeadOptions{Kind: probe.HeadLogistic, NumClasses: 2, L2: max(opts.L2, 0), LearningRate: 1e-2,
		BatchSize: 64, Epochs: opts.Epochs, Patience: 10, Standardize: true, Seed: opts.Seed}
}
