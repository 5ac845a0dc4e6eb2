package adapt

import (
	"fmt"
	"math"

	"github.com/gomlx/gomlx/core/graph"
)

// GradientReversal is the gradient-reversal layer of DANN: the identity in the forward pass;
// in the backward pass it multiplies the incoming gradient by −lambda. lambda is a scalar
// node of x's dtype (it may change every step, e.g. DANNLambda fed as an input); no
// gradient flows into it.
func GradientReversal(x, lambda *graph.Node) *graph.Node {
	return graph.IdentityWithCustomGradient(x, func(_, v *graph.Node) *graph.Node {
		return graph.Neg(graph.Mul(v, graph.StopGradient(lambda)))
	})
}

// DANNLambda is the adaptation factor of Ganin et al. (2016, section 5.2.2) at training
// progress p ∈ [0, 1]: 2/(1+exp(−10p)) − 1, rising from 0 to about 1. It damps the noisy
// signal of the domain discriminator early in training.
func DANNLambda(p float64) float64 {
	return 2/(1+math.Exp(-10*p)) - 1
}

// KernelKind names an MMD kernel.
type KernelKind int

const (
	// KernelGaussian is a mixture of Gaussian (RBF) kernels,
	// k(x, y) = (1/K) Σ_k exp(−||x−y||² / (2·α_k·σ²)), one per bandwidth factor α_k of
	// Kernel.Bandwidths; σ² is the mean squared distance between the batch's vectors
	// (source and target together, the "mean heuristic" of DAN), computed without gradient,
	// or 1 when Kernel.Fixed.
	KernelGaussian KernelKind = iota
	// KernelLinear is k(x, y) = x·y: the squared MMD is then ||mean(source) − mean(target)||²,
	// the distance between the domains' mean features.
	KernelLinear
)

// String returns "gaussian" or "linear".
func (k KernelKind) String() string {
	switch k {
	case KernelGaussian:
		return "gaussian"
	case KernelLinear:
		return "linear"
	}
	return fmt.Sprintf("KernelKind(%d)", int(k))
}

// Kernel is the kernel of MMD.
type Kernel struct {
	// Kind is KernelGaussian or KernelLinear.
	Kind KernelKind
	// Bandwidths are the factors α_k of the Gaussian mixture (nil: DefaultBandwidths).
	Bandwidths []float64
	// Fixed uses the bandwidths as they are (σ² = 1) instead of scaling them by the mean
	// squared distance of the batch.
	Fixed bool
}

// DefaultBandwidths are the Gaussian bandwidth factors of the default kernel: 1/8 to 2 in
// powers of 2 (as in the Transfer-Learning-Library's DAN).
func DefaultBandwidths() []float64 { return []float64{0.125, 0.25, 0.5, 1, 2} }

// DefaultKernel returns the multi-bandwidth Gaussian kernel with DefaultBandwidths, scaled
// by the batch's mean squared distance.
func DefaultKernel() Kernel { return Kernel{Kind: KernelGaussian} }

// String describes the kernel, e.g. "gaussian×5 (mean-scaled)" or "linear".
func (k Kernel) String() string {
	if k.Kind != KernelGaussian {
		return k.Kind.String()
	}
	scale := "mean-scaled"
	if k.Fixed {
		scale = "fixed"
	}
	return fmt.Sprintf("gaussian×%d (%s)", len(k.bandwidths()), scale)
}

func (k Kernel) bandwidths() []float64 {
	if len(k.Bandwidths) == 0 {
		return DefaultBandwidths()
	}
	return k.Bandwidths
}

// MMDLoss returns the (biased) squared maximum mean discrepancy between the rows of source
// [n, d] and target [m, d] under kernel k: mean k(s, s′) + mean k(t, t′) − 2·mean k(s, t),
// every mean over all pairs (the diagonal included). It is 0 for identical sets.
func MMDLoss(source, target *graph.Node, k Kernel) *graph.Node {
	if k.Kind == KernelLinear {
		diff := graph.Sub(graph.ReduceMean(source, 0), graph.ReduceMean(target, 0))
		return graph.ReduceAllSum(graph.Square(diff))
	}
	n := source.Shape().Dim(0)
	z := graph.Concatenate([]*graph.Node{source, target}, 0)
	sqNorms := graph.ReduceSum(graph.Square(z), 1) // [n+m]
	dist := graph.Sub(graph.Add(graph.InsertAxes(sqNorms, 1), graph.InsertAxes(sqNorms, 0)),
		graph.MulScalar(graph.MatMul(z, graph.Transpose(z, 0, 1)), 2))
	dist = graph.Max(dist, graph.ZerosLike(dist)) // Rounding can make it slightly negative.
	total := z.Shape().Dim(0)
	var sigma2 *graph.Node
	if k.Fixed {
		sigma2 = graph.ScalarOne(z.Graph(), z.DType())
	} else {
		// Mean over the off-diagonal pairs; no gradient through the bandwidth.
		sigma2 = graph.StopGradient(graph.DivScalar(graph.ReduceAllSum(dist), float64(total*(total-1))))
		sigma2 = graph.Max(sigma2, graph.Scalar(z.Graph(), z.DType(), 1e-8))
	}
	bws := k.bandwidths()
	var kernel *graph.Node
	for _, alpha := range bws {
		ka := graph.Exp(graph.Neg(graph.Div(dist, graph.MulScalar(sigma2, 2*alpha))))
		if kernel == nil {
			kernel = ka
		} else {
			kernel = graph.Add(kernel, ka)
		}
	}
	kernel = graph.DivScalar(kernel, float64(len(bws)))
	ss := graph.Slice(kernel, graph.AxisRange(0, n), graph.AxisRange(0, n))
	tt := graph.Slice(kernel, graph.AxisRange(n), graph.AxisRange(n))
	st := graph.Slice(kernel, graph.AxisRange(0, n), graph.AxisRange(n))
	return graph.Sub(graph.Add(graph.ReduceAllMean(ss), graph.ReduceAllMean(tt)), graph.MulScalar(graph.ReduceAllMean(st), 2))
}

// Covariance returns the covariance matrix [d, d] of the rows of x [n, d], with the
// unbiased 1/(n−1) normalisation (n ≥ 2).
func Covariance(x *graph.Node) *graph.Node {
	n := x.Shape().Dim(0)
	centered := graph.Sub(x, graph.InsertAxes(graph.ReduceMean(x, 0), 0))
	return graph.DivScalar(graph.MatMul(graph.Transpose(centered, 0, 1), centered), float64(n-1))
}

// CORALLoss returns the Deep CORAL loss between the rows of source [n, d] and target [m, d]:
// ||C_s − C_t||²_F / (4d²), C being the feature covariances (Covariance).
func CORALLoss(source, target *graph.Node) *graph.Node {
	d := source.Shape().Dim(1)
	diff := graph.Sub(Covariance(source), Covariance(target))
	return graph.DivScalar(graph.ReduceAllSum(graph.Square(diff)), float64(4*d*d))
}
