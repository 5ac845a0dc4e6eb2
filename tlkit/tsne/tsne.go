package tsne

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/nlp-transfer/gotl/tlkit/pca"
)

// Default values of the zero fields of Options.
const (
	DefaultPerplexity   = 30
	DefaultIterations   = 1000
	DefaultLearningRate = 200
	DefaultPCADims      = 50
)

// MaxPoints is the largest number of points Embed accepts: exact t-SNE keeps an n × n
// matrix (200 MB at 5000 points) and costs O(n²) per iteration. Subsample larger sets.
const MaxPoints = 5000

// Early exaggeration, momentum and gains, as in the authors' implementation.
const (
	exaggeration      = 12.0
	exaggerationIters = 250 // at most; see Options.Iterations
	initialMomentum   = 0.5
	finalMomentum     = 0.8
	minGain           = 0.01
	initStd           = 1e-4
)

// Options configure Embed. The zero value of each field means its default.
type Options struct {
	// Perplexity is the effective number of neighbours of each point (default 30). It
	// must be at most (n-1)/3 for n points; 5 to 50 are usual.
	Perplexity float64
	// Iterations is the number of gradient-descent steps (default 1000). Early
	// exaggeration lasts the first quarter of them, at most 250.
	Iterations int
	// LearningRate is the gradient-descent step size (default 200).
	LearningRate float64
	// PCADims reduces the input to that many principal components first when it has more
	// dimensions (default 50); a negative value disables the PCA.
	PCADims int
	// Seed seeds the random initial positions (a PCG generator): the same input and
	// Options give the same embedding.
	Seed uint64
}

// withDefaults returns o with its zero fields set to the defaults.
func (o Options) withDefaults() Options {
	if o.Perplexity == 0 {
		o.Perplexity = DefaultPerplexity
	}
	if o.Iterations == 0 {
		o.Iterations = DefaultIterations
	}
	if o.LearningRate == 0 {
		o.LearningRate = DefaultLearningRate
	}
	if o.PCADims == 0 {
		o.PCADims = DefaultPCADims
	}
	return o
}

// Embed returns the 2-D t-SNE embedding of the vectors x (one row per point, all of the
// same width), one point per row of x. It needs at least 4 points, at most MaxPoints,
// finite values, and a perplexity of at most (n-1)/3; see Options for the defaults.
//
// It takes about 3 s for 872 points of 512 dimensions on 2 cores (PCA to 50
// dimensions about 1 s, 1000 iterations about 2 s).
func Embed(x [][]float32, opts Options) ([][2]float64, error) {
	opts = opts.withDefaults()
	n := len(x)
	if n < 4 {
		return nil, fmt.Errorf("tsne: %d points; want at least 4", n)
	}
	if n > MaxPoints {
		return nil, fmt.Errorf("tsne: %d points; exact t-SNE takes at most %d (O(n²) time and memory): embed a random subsample", n, MaxPoints)
	}
	d := len(x[0])
	if d == 0 {
		return nil, fmt.Errorf("tsne: point 0 has no values")
	}
	for i, row := range x {
		if len(row) != d {
			return nil, fmt.Errorf("tsne: point %d has %d values, point 0 has %d; want all of the same width", i, len(row), d)
		}
		for j, v := range row {
			if f := float64(v); math.IsNaN(f) || math.IsInf(f, 0) {
				return nil, fmt.Errorf("tsne: point %d holds %v at %d; want finite values", i, v, j)
			}
		}
	}
	switch {
	case !(opts.Perplexity >= 1):
		return nil, fmt.Errorf("tsne: perplexity %v; want at least 1 (5 to 50 are usual)", opts.Perplexity)
	case opts.Perplexity > float64(n-1)/3:
		return nil, fmt.Errorf("tsne: perplexity %v is too large for %d points; want at most (n-1)/3 = %.4g: lower Options.Perplexity",
			opts.Perplexity, n, float64(n-1)/3)
	case opts.Iterations < 1:
		return nil, fmt.Errorf("tsne: %d iterations; want at least 1 (1000 is usual)", opts.Iterations)
	case !(opts.LearningRate > 0) || math.IsInf(opts.LearningRate, 0):
		return nil, fmt.Errorf("tsne: learning rate %v; want a positive number (200 is usual)", opts.LearningRate)
	}

	var data [][]float64
	if opts.PCADims > 0 && d > opts.PCADims {
		k := min(opts.PCADims, n)
		p, err := pca.Fit(x, k)
		if err == nil {
			data, err = p.Project(x)
		}
		if err != nil {
			return nil, fmt.Errorf("tsne: PCA to %d dimensions (set Options.PCADims = -1 to skip it): %w", k, err)
		}
	} else {
		data = make([][]float64, n)
		for i, row := range x {
			data[i] = make([]float64, d)
			for j, v := range row {
				data[i][j] = float64(v)
			}
		}
	}
	w := workers(n)
	p := affinities(squaredDistances(data, w), n, opts.Perplexity, w)
	y := optimize(p, n, opts, w)
	out := make([][2]float64, n)
	for i := range out {
		out[i] = [2]float64{y[2*i], y[2*i+1]}
	}
	return out, nil
}

// optimize runs the gradient descent on KL(P‖Q) and returns the 2-D points, flattened
// (x0, y0, x1, y1, ...).
func optimize(p []float64, n int, opts Options, w int) []float64 {
	rng := rand.New(rand.NewPCG(opts.Seed, 0x7453_4e45)) // "tSNE"
	y := make([]float64, 2*n)
	for i := range y {
		y[i] = initStd * rng.NormFloat64()
	}
	update := make([]float64, 2*n)
	gains := make([]float64, 2*n)
	for i := range gains {
		gains[i] = 1
	}
	grad := make([]float64, 2*n)
	attract := make([]float64, 2*n) // Σ_j p_ij num_ij (y_i - y_j)
	repulse := make([]float64, 2*n) // Σ_j num_ij² (y_i - y_j)
	rowSums := make([]float64, n)   // Σ_j num_ij
	exagIters := min(exaggerationIters, opts.Iterations/4)

	for it := range opts.Iterations {
		exag, momentum := 1.0, finalMomentum
		if it < exagIters {
			exag, momentum = exaggeration, initialMomentum
		}
		parallel(n, w, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				gradientTerms(p[i*n:(i+1)*n], y, i, attract[2*i:2*i+2], repulse[2*i:2*i+2], &rowSums[i])
			}
		})
		z := 0.0
		for _, s := range rowSums {
			z += s
		}
		for k := range grad {
			grad[k] = 4 * (exag*attract[k] - repulse[k]/z)
		}
		for k := range y {
			if (grad[k] > 0) != (update[k] > 0) {
				gains[k] += 0.2
			} else {
				gains[k] *= 0.8
			}
			gains[k] = max(gains[k], minGain)
			update[k] = momentum*update[k] - opts.LearningRate*gains[k]*grad[k]
			y[k] += update[k]
		}
		center(y)
	}
	return y
}

// gradientTerms computes the sums over j ≠ i of the gradient of point i, with
// num_ij = 1 / (1 + |y_i - y_j|²) the unnormalized Student-t similarity:
// attract = Σ p_ij num_ij (y_i - y_j), repulse = Σ num_ij² (y_i - y_j), and
// rowSum = Σ num_ij. The gradient is 4 (attract - repulse / Σ_i rowSum_i).
func gradientTerms(prow, y []float64, i int, attract, repulse []float64, rowSum *float64) {
	yi0, yi1 := y[2*i], y[2*i+1]
	var a0, a1, r0, r1, s float64
	term := func(j int) {
		d0, d1 := yi0-y[2*j], yi1-y[2*j+1]
		num := 1 / (1 + d0*d0 + d1*d1)
		s += num
		pn, nn := prow[j]*num, num*num
		a0 += pn * d0
		a1 += pn * d1
		r0 += nn * d0
		r1 += nn * d1
	}
	for j := range i {
		term(j)
	}
	for j := i + 1; j < len(prow); j++ {
		term(j)
	}
	attract[0], attract[1], repulse[0], repulse[1], *rowSum = a0, a1, r0, r1, s
}

// center subtracts the mean from the 2-D points y (flattened).
func center(y []float64) {
	n := len(y) / 2
	var m0, m1 float64
	for i := range n {
		m0 += y[2*i]
		m1 += y[2*i+1]
	}
	m0 /= float64(n)
	m1 /= float64(n)
	for i := range n {
		y[2*i] -= m0
		y[2*i+1] -= m1
	}
}

// klDivergence returns KL(P‖Q) of the flattened 2-D points y, for tests and diagnostics.
func klDivergence(p []float64, y []float64, n int) float64 {
	q := make([]float64, n*n)
	z := 0.0
	for i := range n {
		for j := range n {
			if i == j {
				continue
			}
			d0, d1 := y[2*i]-y[2*j], y[2*i+1]-y[2*j+1]
			q[i*n+j] = 1 / (1 + d0*d0 + d1*d1)
			z += q[i*n+j]
		}
	}
	kl := 0.0
	for i := range n {
		for j := range n {
			if i != j {
				kl += p[i*n+j] * math.Log(p[i*n+j]/(q[i*n+j]/z))
			}
		}
	}
	return kl
}
