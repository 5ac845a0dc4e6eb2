package train

import "math"

// History records a training run, as plain data for learning curves and reports.
type History struct {
	// Loss is the training loss of each step (Loss[i] is step i+1's batch loss).
	Loss []float64
	// LearningRate is the peak-relative schedule value used at each step (the base rate;
	// per-variable multipliers apply on top).
	LearningRate []float64
	// Evals are the evaluations on held-out data, in order.
	Evals []Eval
	// Best is the index in Evals of the best evaluation (-1 if none).
	Best int
	// StepsPerEpoch is the number of steps in one epoch.
	StepsPerEpoch int
	// Stopped says why the run ended: "finished", "early stopping" or "" while running.
	Stopped string
}

// Eval is one evaluation on held-out data.
type Eval struct {
	// Step is the number of training steps done before it, and Epoch the (fractional) number
	// of epochs: Step/StepsPerEpoch.
	Step  int
	Epoch float64
	// Metric is the value returned by the evaluation function (higher is better).
	Metric float64
}

// BestEval returns the best evaluation and true, or false if there was none.
func (h *History) BestEval() (Eval, bool) {
	if h.Best < 0 || h.Best >= len(h.Evals) {
		return Eval{}, false
	}
	return h.Evals[h.Best], true
}

// SmoothedLoss returns the mean of the last n step losses (all of them if fewer), or NaN
// when there are none.
func (h *History) SmoothedLoss(n int) float64 {
	if len(h.Loss) == 0 {
		return math.NaN()
	}
	tail := h.Loss[max(0, len(h.Loss)-n):]
	sum := 0.0
	for _, l := range tail {
		sum += l
	}
	return sum / float64(len(tail))
}
