package multitask

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// Sampling chooses which task each training step's batch comes from.
type Sampling int

const (
	// Proportional draws the task of each step at random with probability proportional to
	// its number of training examples (n_t / Σn): every example is seen about equally often,
	// and small tasks get few steps.
	Proportional Sampling = iota
	// Temperature draws with probability ∝ n_t^(1/T) (Options.Temperature T): T = 1 is
	// Proportional, larger T flattens the distribution towards uniform, which gives small
	// tasks more steps (T = 2: ∝ √n_t, as in multilingual BERT's data sampling).
	Temperature
	// RoundRobin cycles through the tasks in order, one batch each: every task gets the same
	// number of steps whatever its size.
	RoundRobin
)

// String returns "proportional", "temperature" or "round-robin".
func (s Sampling) String() string {
	switch s {
	case Proportional:
		return "proportional"
	case Temperature:
		return "temperature"
	case RoundRobin:
		return "round-robin"
	}
	return fmt.Sprintf("Sampling(%d)", int(s))
}

// ParseSampling parses "proportional", "temperature" or "round-robin" (also "roundrobin").
func ParseSampling(s string) (Sampling, error) {
	switch s {
	case "proportional", "":
		return Proportional, nil
	case "temperature":
		return Temperature, nil
	case "round-robin", "roundrobin":
		return RoundRobin, nil
	}
	return 0, fmt.Errorf("unknown sampling %q: want proportional, temperature or round-robin", s)
}

// Probabilities returns the share of the steps each task gets under sampling s, for tasks
// with the given numbers of training examples: n_t^(1/T) / Σ n^(1/T), with T = 1 for
// Proportional, the given temperature for Temperature, and T = ∞ (1/K each) for RoundRobin.
func Probabilities(sizes []int, s Sampling, temperature float64) ([]float64, error) {
	if len(sizes) == 0 {
		return nil, fmt.Errorf("multitask: no tasks to sample from")
	}
	for i, n := range sizes {
		if n < 1 {
			return nil, fmt.Errorf("multitask: task %d has %d training examples", i, n)
		}
	}
	exponent := 1.0
	switch s {
	case Proportional:
	case Temperature:
		if !(temperature > 0) || math.IsInf(temperature, 0) {
			return nil, fmt.Errorf("multitask: temperature %g must be positive and finite", temperature)
		}
		exponent = 1 / temperature
	case RoundRobin:
		exponent = 0
	default:
		return nil, fmt.Errorf("multitask: unknown sampling %d", int(s))
	}
	p := make([]float64, len(sizes))
	sum := 0.0
	for i, n := range sizes {
		p[i] = math.Pow(float64(n), exponent)
		sum += p[i]
	}
	for i := range p {
		p[i] /= sum
	}
	return p, nil
}

// Schedule returns the task of each of steps training steps: for Proportional and
// Temperature, independent draws from Probabilities with a PCG generator seeded by seed; for
// RoundRobin, 0, 1, ..., K−1, 0, 1, ... The same arguments always give the same schedule.
func Schedule(sizes []int, s Sampling, temperature float64, steps int, seed uint64) ([]int, error) {
	p, err := Probabilities(sizes, s, temperature)
	if err != nil {
		return nil, err
	}
	out := make([]int, steps)
	if s == RoundRobin {
		for i := range out {
			out[i] = i % len(sizes)
		}
		return out, nil
	}
	cum := make([]float64, len(p))
	acc := 0.0
	for i, pi := range p {
		acc += pi
		cum[i] = acc
	}
	rng := rand.New(rand.NewPCG(seed, 0x5eed_7a5c))
	for i := range out {
		u := rng.Float64() * acc
		t, _ := slices.BinarySearch(cum, u)
		out[i] = min(t, len(p)-1)
	}
	return out, nil
}

// batchStream deals one task's training examples in batches, epoch after epoch: each epoch
// is a new permutation (seeded by the task and the epoch), in which every window of 50
// batches is sorted by length before being cut (so that a batch holds texts of similar
// length), and the batches are then shuffled. The examples that don't fill the last batch of
// an epoch wait for the next one (a different few each epoch).
type batchStream struct {
	n, batch int
	lengths  []int
	seed     uint64
	epoch    int
	batches  [][]int
}

// windowBatches is the number of batches whose examples are sorted by length together.
const windowBatches = 50

func newBatchStream(lengths []int, batch int, seed uint64) *batchStream {
	return &batchStream{n: len(lengths), batch: min(batch, len(lengths)), lengths: lengths, seed: seed}
}

// next returns the next batch.
func (s *batchStream) next() []int {
	if len(s.batches) == 0 {
		rng := rand.New(rand.NewPCG(s.seed, 0xba7c4^uint64(s.epoch)))
		s.epoch++
		num := s.n / s.batch
		perm := rng.Perm(s.n)[:num*s.batch]
		window := windowBatches * s.batch
		for start := 0; start < len(perm); start += window {
			chunk := perm[start:min(start+window, len(perm))]
			slices.SortStableFunc(chunk, func(a, b int) int { return s.lengths[a] - s.lengths[b] })
		}
		for b := range num {
			s.batches = append(s.batches, perm[b*s.batch:(b+1)*s.batch:(b+1)*s.batch])
		}
		rng.Shuffle(len(s.batches), func(i, j int) { s.batches[i], s.batches[j] = s.batches[j], s.batches[i] })
	}
	b := s.batches[0]
	s.batches = s.batches[1:]
	return b
}

// step is one planned training step: a batch of examples of one task.
type step struct {
	task     int
	examples []int
}

// plan returns the batches of every step: the task of each step from Schedule, and each
// task's examples from its own batchStream.
func plan(lengths [][]int, batch int, s Sampling, temperature float64, steps int, seed uint64) ([]step, error) {
	sizes := make([]int, len(lengths))
	streams := make([]*batchStream, len(lengths))
	for t, l := range lengths {
		sizes[t] = len(l)
		streams[t] = newBatchStream(l, batch, seed^uint64(t+1)*0x9e3779b97f4a7c15)
	}
	tasks, err := Schedule(sizes, s, temperature, steps, seed)
	if err != nil {
		return nil, err
	}
	out := make([]step, steps)
	for i, t := range tasks {
		out[i] = step{task: t, examples: streams[t].next()}
	}
	return out, nil
}
