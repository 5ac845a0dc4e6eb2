package plots

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
)

// LogX makes the X axis of p logarithmic, with labelled ticks at 1, 2 and 5 times the
// powers of ten (only at the powers of ten when the axis spans more than three
// decades), e.g. for a number of training examples from 50 to 6920. Call it after
// adding the data; the X range must be positive.
func LogX(p *plot.Plot) error {
	if !(p.X.Min > 0) {
		return fmt.Errorf("plots.LogX %q: X axis starts at %v; a logarithmic axis needs positive values", p.Title.Text, p.X.Min)
	}
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = logTicks{}
	return nil
}

// logTicks are tick marks for a logarithmic axis: labelled at 1-2-5 × 10^k, or at 10^k
// only over more than three decades, with unlabelled minor ticks at the other integers
// × 10^k. Over a range too narrow to hold two labelled ticks it falls back to the
// linear ticks.
type logTicks struct{}

// Ticks implements plot.Ticker.
func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(lo > 0) || !(hi > lo) {
		return plainTicks{}.Ticks(lo, hi)
	}
	labelled := map[int]bool{1: true, 2: true, 5: true}
	if hi/lo > 1000 {
		labelled = map[int]bool{1: true}
	}
	var ticks []plot.Tick
	nLabels := 0
	for e := int(math.Floor(math.Log10(lo))); e <= int(math.Ceil(math.Log10(hi))); e++ {
		for m := 1; m <= 9; m++ {
			v := float64(m) * math.Pow10(e)
			// Tolerate rounding at the ends of the range.
			if v < lo*(1-1e-9) || v > hi*(1+1e-9) {
				continue
			}
			t := plot.Tick{Value: v}
			if labelled[m] {
				t.Label = formatTick(v)
				nLabels++
			}
			ticks = append(ticks, t)
		}
	}
	if nLabels < 2 {
		return plainTicks{}.Ticks(lo, hi)
	}
	return ticks
}
