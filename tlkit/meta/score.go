package meta

import (
	"fmt"
	"math"
)

// z95 is the two-sided 95% quantile of the standard normal distribution.
const z95 = 1.959963984540054

// Score is a method's accuracy over test episodes: the mean of the per-episode accuracies
// and the half-width of its 95% confidence interval, 1.96·s/√n (s the sample standard
// deviation over the n episodes), as reported in the few-shot literature.
type Score struct {
	Mean float64 `json:"mean"`
	CI95 float64 `json:"ci95"`
	// Std is the sample standard deviation of the per-episode accuracies.
	Std float64 `json:"std"`
	// Episodes is the number of episodes, n.
	Episodes int `json:"episodes"`
	// PerEpisode holds each episode's accuracy, in episode order.
	PerEpisode []float64 `json:"per_episode,omitempty"`
}

// NewScore summarises per-episode accuracies (or any per-episode values) as a Score.
func NewScore(perEpisode []float64) Score {
	n := len(perEpisode)
	s := Score{Episodes: n, PerEpisode: perEpisode, Mean: math.NaN(), CI95: math.NaN(), Std: math.NaN()}
	if n == 0 {
		return s
	}
	var sum float64
	for _, a := range perEpisode {
		sum += a
	}
	s.Mean = sum / float64(n)
	if n < 2 {
		return s
	}
	var ss float64
	for _, a := range perEpisode {
		ss += (a - s.Mean) * (a - s.Mean)
	}
	s.Std = math.Sqrt(ss / float64(n-1))
	s.CI95 = z95 * s.Std / math.Sqrt(float64(n))
	return s
}

// Percent writes the score as a percentage with its interval, "84.32 ± 0.71".
func (s Score) Percent() string { return fmt.Sprintf("%.2f ± %.2f", 100*s.Mean, 100*s.CI95) }

// String is Percent followed by the number of episodes.
func (s Score) String() string { return fmt.Sprintf("%s%% (%d episodes)", s.Percent(), s.Episodes) }

// Difference returns the Score of the per-episode differences s − other, for two methods
// scored on the same episodes (a paired comparison: its interval is much narrower than the
// two intervals' sum, since both methods meet the same easy and hard episodes). It fails if
// the two were not scored episode by episode on as many episodes.
func (s Score) Difference(other Score) (Score, error) {
	if len(s.PerEpisode) == 0 || len(s.PerEpisode) != len(other.PerEpisode) {
		return Score{}, fmt.Errorf("meta: paired difference of scores over %d and %d episodes; want the same episodes, kept",
			len(s.PerEpisode), len(other.PerEpisode))
	}
	d := make([]float64, len(s.PerEpisode))
	for i := range d {
		d[i] = s.PerEpisode[i] - other.PerEpisode[i]
	}
	return NewScore(d), nil
}
