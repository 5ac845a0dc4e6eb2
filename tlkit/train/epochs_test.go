package train

import "testing"

func TestEpochsFor(t *testing.T) {
	for _, c := range []struct{ n, minSteps, want int }{
		{50, 0, 3},    // No minimum: the epochs as given.
		{50, 60, 20},  // 3 steps an epoch: 20 epochs make 60 steps.
		{1000, 60, 3}, // 62 steps an epoch: 3 epochs already suffice.
		{10, 30, 30},  // Fewer examples than a batch: one step an epoch.
		{500, 100, 4}, // 31 steps an epoch: ⌈100/31⌉ = 4.
	} {
		if got := EpochsFor(3, c.minSteps, 16, c.n); got != c.want {
			t.Errorf("n=%d minSteps=%d: %d epochs, want %d", c.n, c.minSteps, got, c.want)
		}
	}
}
