package multitask

import (
	"math"
	"slices"
	"testing"
)

func TestProbabilities(t *testing.T) {
	sizes := []int{100, 400, 1600}
	for _, c := range []struct {
		s    Sampling
		temp float64
		want []float64
	}{
		{Proportional, 0, []float64{1.0 / 21, 4.0 / 21, 16.0 / 21}},
		{Temperature, 1, []float64{1.0 / 21, 4.0 / 21, 16.0 / 21}},
		{Temperature, 2, []float64{10.0 / 70, 20.0 / 70, 40.0 / 70}}, // ∝ √n
		{Temperature, 1e9, []float64{1.0 / 3, 1.0 / 3, 1.0 / 3}},     // T → ∞: uniform
		{RoundRobin, 0, []float64{1.0 / 3, 1.0 / 3, 1.0 / 3}},
	} {
		p, err := Probabilities(sizes, c.s, c.temp)
		if err != nil {
			t.Fatal(err)
		}
		for i := range p {
			if math.Abs(p[i]-c.want[i]) > 1e-6 {
				t.Errorf("%s T=%g: p = %v, want %v", c.s, c.temp, p, c.want)
				break
			}
		}
	}
	for _, bad := range []struct {
		sizes []int
		s     Sampling
		temp  float64
	}{{nil, Proportional, 0}, {[]int{3, 0}, Proportional, 0}, {[]int{3}, Temperature, 0}, {[]int{3}, Temperature, -1}, {[]int{3}, Sampling(7), 1}} {
		if _, err := Probabilities(bad.sizes, bad.s, bad.temp); err == nil {
			t.Errorf("Probabilities(%v, %s, %g) accepted", bad.sizes, bad.s, bad.temp)
		}
	}
}

// TestScheduleFrequencies checks that the empirical share of each task in a long schedule is
// the expected one: within 4.5 binomial standard deviations for the random samplings, exact
// for round-robin.
func TestScheduleFrequencies(t *testing.T) {
	sizes := []int{14041, 8936, 6920, 500}
	const steps = 40000
	for _, c := range []struct {
		s    Sampling
		temp float64
	}{{Proportional, 0}, {Temperature, 2}, {Temperature, 5}, {RoundRobin, 0}} {
		sched, err := Schedule(sizes, c.s, c.temp, steps, 7)
		if err != nil {
			t.Fatal(err)
		}
		p, _ := Probabilities(sizes, c.s, c.temp)
		counts := make([]int, len(sizes))
		for _, task := range sched {
			counts[task]++
		}
		for i, n := range counts {
			expected := p[i] * steps
			sd := math.Sqrt(steps * p[i] * (1 - p[i]))
			tolerance := 4.5 * sd
			if c.s == RoundRobin {
				tolerance = 0
			}
			if math.Abs(float64(n)-expected) > tolerance {
				t.Errorf("%s T=%g: task %d drawn %d times, want %.0f ± %.0f", c.s, c.temp, i, n, expected, tolerance)
			}
		}
		again, _ := Schedule(sizes, c.s, c.temp, steps, 7)
		if !slices.Equal(sched, again) {
			t.Errorf("%s: the same seed gave another schedule", c.s)
		}
		other, _ := Schedule(sizes, c.s, c.temp, steps, 8)
		if c.s != RoundRobin && slices.Equal(sched, other) {
			t.Errorf("%s: another seed gave the same schedule", c.s)
		}
	}
	// Round-robin cycles through the tasks in order.
	sched, _ := Schedule([]int{5, 50, 500}, RoundRobin, 0, 7, 1)
	if !slices.Equal(sched, []int{0, 1, 2, 0, 1, 2, 0}) {
		t.Errorf("round-robin schedule %v", sched)
	}
	// Proportional sampling gives a 4:1 task about 4 times the steps of the small one even
	// over a short run, and a temperature of 2 halves the ratio (√4 = 2).
	short, _ := Schedule([]int{400, 100}, Proportional, 0, 2000, 3)
	hot, _ := Schedule([]int{400, 100}, Temperature, 2, 2000, 3)
	ratio := func(s []int) float64 {
		n0 := 0
		for _, t := range s {
			if t == 0 {
				n0++
			}
		}
		return float64(n0) / float64(len(s)-n0)
	}
	if r := ratio(short); r < 3.3 || r > 4.8 {
		t.Errorf("proportional ratio %g, want about 4", r)
	}
	if r := ratio(hot); r < 1.7 || r > 2.35 {
		t.Errorf("temperature-2 ratio %g, want about 2", r)
	}
}

func TestBatchStream(t *testing.T) {
	lengths := make([]int, 103)
	for i := range lengths {
		lengths[i] = (i * 37) % 60
	}
	s := newBatchStream(lengths, 10, 5)
	seen := map[int]int{}
	for epoch := range 3 {
		inEpoch := map[int]bool{}
		for range 10 { // 103 / 10 = 10 batches an epoch.
			b := s.next()
			if len(b) != 10 {
				t.Fatalf("batch of %d", len(b))
			}
			for _, e := range b {
				if inEpoch[e] {
					t.Fatalf("epoch %d: example %d twice", epoch, e)
				}
				inEpoch[e] = true
				seen[e]++
			}
		}
	}
	for e := range lengths {
		if seen[e] < 2 || seen[e] > 3 {
			t.Errorf("example %d seen %d times in 3 epochs", e, seen[e])
		}
	}
	// Length bucketing: within a batch, lengths are close (all 100 examples are one window).
	spread := 0
	for range 10 {
		b := s.next()
		lo, hi := 1000, 0
		for _, e := range b {
			lo, hi = min(lo, lengths[e]), max(hi, lengths[e])
		}
		spread = max(spread, hi-lo)
	}
	if spread > 15 {
		t.Errorf("a batch spans lengths %d apart; want sorted windows", spread)
	}
}

func TestPlan(t *testing.T) {
	lengths := [][]int{make([]int, 40), make([]int, 12)}
	steps, err := plan(lengths, 4, RoundRobin, 0, 9, 1)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range steps {
		if s.task != i%2 || len(s.examples) != 4 {
			t.Errorf("step %d: task %d, %d examples", i, s.task, len(s.examples))
		}
		for _, e := range s.examples {
			if e >= len(lengths[s.task]) {
				t.Errorf("step %d: example %d of task %d, which has %d", i, e, s.task, len(lengths[s.task]))
			}
		}
	}
	// Task 1 (12 examples, 3 batches an epoch) got 4 batches: its second epoch has begun.
	if again, _ := plan(lengths, 4, RoundRobin, 0, 9, 1); !slices.EqualFunc(steps, again, func(a, b step) bool {
		return a.task == b.task && slices.Equal(a.examples, b.examples)
	}) {
		t.Error("plan is not deterministic")
	}
}

func TestParseSampling(t *testing.T) {
	for _, s := range []Sampling{Proportional, Temperature, RoundRobin} {
		if got, err := ParseSampling(s.String()); err != nil || got != s {
			t.Errorf("ParseSampling(%q) = %v, %v", s.String(), got, err)
		}
	}
	if _, err := ParseSampling("uniform"); err == nil {
		t.Error("ParseSampling accepted uniform")
	}
}
