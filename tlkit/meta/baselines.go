package meta

import (
	"math"

	"github.com/nlp-transfer/gotl/tlkit/metrics"
)

// centroidTemperature scales the cosine similarities of Centroid into logits for its
// probabilities (the predicted class, the most similar centroid, does not depend on it).
const centroidTemperature = 10

// centroidPredict classifies e's queries by cosine similarity to the mean of each way's
// L2-normalized raw support features.
func centroidPredict(ds *Dataset, e Episode) Prediction {
	ways, dim := e.Spec.Ways, ds.Dim()
	centroids := make([][]float64, ways)
	for w := range centroids {
		centroids[w] = make([]float64, dim)
	}
	for k, i := range e.Support {
		x := unit(ds.Features[i])
		c := centroids[e.SupportLabels[k]]
		for j, v := range x {
			c[j] += v
		}
	}
	for _, c := range centroids {
		normalize(c)
	}
	p := Prediction{Labels: make([]int, len(e.Query)), Probs: make([][]float32, len(e.Query))}
	logits := make([]float64, ways)
	for q, i := range e.Query {
		x := unit(ds.Features[i])
		for w, c := range centroids {
			logits[w] = centroidTemperature * dot(x, c)
		}
		p.Probs[q] = metrics.Softmax(logits)
		p.Labels[q] = metrics.Argmax(p.Probs[q])
	}
	return p
}

// logRegPredict trains a multinomial logistic regression, W [D, ways] and b [ways] from
// zero, by Config.LogRegSteps steps of full-batch gradient descent on the mean support
// cross-entropy plus L2/2·‖W‖² (standardized features), then classifies the queries. It
// runs in the dual form: started from zero, W stays in the span of the n support vectors,
// W = Xᵀ·A, so each step updates A [n, ways] with the n×n Gram matrix instead of D×ways
// weights; the iterates are those of plain gradient descent on W.
//
// It is not probe.TrainHead, though both fit a logistic head on frozen features: it runs
// once per episode (600 episodes a test) on 5 to 50 support vectors, where TrainHead would
// build and compile a GoMLX graph each time, train by Adam in mini-batches with early
// stopping on dev data (an episode has none: its queries must stay unseen) and standardize
// with the support set's own statistics instead of the meta-train ones. This exact,
// deterministic full-batch descent in plain Go, on an n×n Gram matrix, costs far less than
// compiling a graph an episode.
func (l *Learner) logRegPredict(ds *Dataset, e Episode) Prediction {
	cfg := l.Config
	ways, n := e.Spec.Ways, len(e.Support)
	xs := make([][]float32, n)
	for k, i := range e.Support {
		xs[k] = l.standardized(ds, i)
	}
	gram := make([][]float64, n)
	for a := range gram {
		gram[a] = make([]float64, n)
		for b := range gram[a] {
			gram[a][b] = dot32(xs[a], xs[b])
		}
	}
	alpha := make([][]float64, n) // W = Σ_k xs[k]ᵀ·alpha[k]
	for k := range alpha {
		alpha[k] = make([]float64, ways)
	}
	bias := make([]float64, ways)
	logits := make([]float64, ways)
	for range cfg.LogRegSteps {
		// Residuals (p − y)/n of every support example, from the current weights.
		resid := make([][]float64, n)
		for a := range n {
			for w := range ways {
				logits[w] = bias[w]
				for b := range n {
					logits[w] += gram[a][b] * alpha[b][w]
				}
			}
			p := metrics.Softmax(logits)
			resid[a] = make([]float64, ways)
			for w := range ways {
				resid[a][w] = float64(p[w]) / float64(n)
			}
			resid[a][e.SupportLabels[a]] -= 1 / float64(n)
		}
		// W ← W − lr·(Xᵀ·resid + L2·W), b ← b − lr·Σ resid.
		for a := range n {
			for w := range ways {
				alpha[a][w] -= cfg.LogRegLR * (resid[a][w] + cfg.LogRegL2*alpha[a][w])
				bias[w] -= cfg.LogRegLR * resid[a][w]
			}
		}
	}
	pred := Prediction{Labels: make([]int, len(e.Query)), Probs: make([][]float32, len(e.Query))}
	for q, i := range e.Query {
		x := l.standardized(ds, i)
		for w := range ways {
			logits[w] = bias[w]
		}
		for a := range n {
			k := dot32(x, xs[a])
			for w := range ways {
				logits[w] += k * alpha[a][w]
			}
		}
		pred.Probs[q] = metrics.Softmax(logits)
		pred.Labels[q] = metrics.Argmax(pred.Probs[q])
	}
	return pred
}

// unit returns x divided by its L2 norm, in float64.
func unit(x []float32) []float64 {
	out := make([]float64, len(x))
	for j, v := range x {
		out[j] = float64(v)
	}
	normalize(out)
	return out
}

// normalize divides x by its L2 norm in place (a zero vector stays zero).
func normalize(x []float64) {
	var ss float64
	for _, v := range x {
		ss += v * v
	}
	if ss == 0 {
		return
	}
	inv := 1 / math.Sqrt(ss)
	for j := range x {
		x[j] *= inv
	}
}

// dot is the dot product of two float64 vectors of the same length.
func dot(a, b []float64) float64 {
	var s float64
	for j := range a {
		s += a[j] * b[j]
	}
	return s
}

// dot32 is the dot product of two float32 vectors, accumulated in float64.
func dot32(a, b []float32) float64 {
	var s float64
	for j := range a {
		s += float64(a[j]) * float64(b[j])
	}
	return s
}
