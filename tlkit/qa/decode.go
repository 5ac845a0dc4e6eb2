package qa

import (
	"fmt"
	"math"
)

// Prediction is the answer Decode picks for one example.
type Prediction struct {
	// Text is the answer, Context[Span.Start:Span.End] of the example.
	Text string
	Span Span
	// Window is the index of the window it came from, Start and End its token positions
	// there; Score is start logit + end logit.
	Window, Start, End int
	Score              float64
}

// Decode picks the answer of one example from its windows and the span head's logits (one
// row a window, one value a token): the context span (first start token ≤ end token, at most
// maxAnswer tokens long) with the highest start + end logit over all windows, mapped back to
// the words' byte spans in context. Special and question tokens are never picked.
func Decode(context string, windows []Window, startLogits, endLogits [][]float32, maxAnswer int) (Prediction, error) {
	if len(startLogits) != len(windows) || len(endLogits) != len(windows) {
		return Prediction{}, fmt.Errorf("decoding: %d windows, %d start and %d end logit rows", len(windows), len(startLogits), len(endLogits))
	}
	if maxAnswer < 1 {
		return Prediction{}, fmt.Errorf("decoding: answers of at most %d tokens", maxAnswer)
	}
	best := Prediction{Window: -1, Score: math.Inf(-1)}
	for wi, w := range windows {
		n := len(w.Words)
		if len(startLogits[wi]) < w.ContextStart+n || len(endLogits[wi]) < w.ContextStart+n {
			return Prediction{}, fmt.Errorf("decoding: window %d has %d tokens, %d start and %d end logits", wi, w.ContextStart+n, len(startLogits[wi]), len(endLogits[wi]))
		}
		for i := range n {
			s := float64(startLogits[wi][w.ContextStart+i])
			for j := i; j < min(n, i+maxAnswer); j++ {
				if score := s + float64(endLogits[wi][w.ContextStart+j]); score > best.Score {
					best = Prediction{Window: wi, Start: w.ContextStart + i, End: w.ContextStart + j, Score: score,
						Span: Span{w.Spans[i].Start, w.Spans[j].End}}
				}
			}
		}
	}
	if best.Window < 0 {
		return Prediction{}, fmt.Errorf("decoding: no context token in %d windows", len(windows))
	}
	best.Text = context[best.Span.Start:best.Span.End]
	return best, nil
}
