package train

import "fmt"

// ScheduleKind names the shape of a learning-rate schedule.
type ScheduleKind int

const (
	// LinearDecay warms up linearly from 0 to the peak rate, then decays linearly to 0 at the
	// last step (the BERT / ULMFiT "slanted triangular" shape).
	LinearDecay ScheduleKind = iota
	// Constant warms up linearly from 0 to the peak rate, then stays there.
	Constant
)

// String returns "linear" or "constant".
func (k ScheduleKind) String() string {
	switch k {
	case LinearDecay:
		return "linear"
	case Constant:
		return "constant"
	}
	return fmt.Sprintf("ScheduleKind(%d)", int(k))
}

// Schedule is a learning-rate schedule: a peak rate, a warmup and a shape.
type Schedule struct {
	// Peak is the learning rate reached at the end of the warmup.
	Peak float64
	// WarmupFraction is the fraction of the total steps spent warming up (0 to 1).
	WarmupFraction float64
	// Kind is the shape after the warmup.
	Kind ScheduleKind
}

// LearningRate returns the rate of step (0-based) of a run of totalSteps steps. With
// warmup = ceil(WarmupFraction·totalSteps) steps, step s < warmup gets Peak·(s+1)/(warmup+1)
// (never 0, so that the first step already learns); after the warmup, LinearDecay gives
// Peak·(totalSteps−s)/(totalSteps−warmup) (Peak at the first step after the warmup, down to
// Peak/(totalSteps−warmup) at the last) and Constant gives Peak.
func (s Schedule) LearningRate(step, totalSteps int) float64 {
	if totalSteps <= 0 {
		return s.Peak
	}
	warmup := warmupSteps(s.WarmupFraction, totalSteps)
	if step < warmup {
		return s.Peak * float64(step+1) / float64(warmup+1)
	}
	if s.Kind == Constant {
		return s.Peak
	}
	remaining := totalSteps - warmup
	left := totalSteps - step
	if left < 0 {
		left = 0
	}
	return s.Peak * float64(left) / float64(remaining)
}

// warmupSteps is ceil(fraction·total), within [0, total-1].
func warmupSteps(fraction float64, total int) int {
	if fraction <= 0 {
		return 0
	}
	w := int(fraction*float64(total) + 0.999999)
	return min(w, total-1)
}

// EpochsFor returns epochs, raised so that n training examples in batches of batchSize make
// at least minSteps steps (0: no minimum); the training loop drops the last, incomplete batch
// of an epoch. With 50 examples an epoch is one or two steps.
func EpochsFor(epochs, minSteps, batchSize, n int) int {
	if minSteps <= 0 || batchSize <= 0 {
		return epochs
	}
	perEpoch := max(1, n/batchSize)
	return max(epochs, (minSteps+perEpoch-1)/perEpoch)
}
