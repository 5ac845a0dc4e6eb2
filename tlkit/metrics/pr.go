package metrics

import (
	"errors"
	"fmt"
	"math"
	"sort"
)

// PRCurve is a precision–recall curve of a binary classifier's scores: one point per distinct
// score threshold, from the highest threshold (few predicted positives) to the lowest (all).
type PRCurve struct {
	// Thresholds[i] is the score at or above which point i predicts positive; Precision[i]
	// and Recall[i] are that rule's precision and recall.
	Thresholds, Precision, Recall []float64
	// AveragePrecision is Σᵢ (Recallᵢ − Recallᵢ₋₁)·Precisionᵢ (Recall₋₁ = 0), scikit-learn's
	// average_precision_score: the area under the step curve, without interpolation.
	AveragePrecision float64
}

// PrecisionRecall returns the precision–recall curve of scores (higher: more likely positive,
// e.g. the spam probability) against the gold labels positive. Tied scores form one point.
// It needs as many scores as labels, at least one positive, and finite scores.
func PrecisionRecall(scores []float64, positive []bool) (PRCurve, error) {
	if len(scores) != len(positive) {
		return PRCurve{}, fmt.Errorf("precision-recall: %d scores and %d labels", len(scores), len(positive))
	}
	total := 0
	for i, p := range positive {
		if math.IsNaN(scores[i]) || math.IsInf(scores[i], 0) {
			return PRCurve{}, fmt.Errorf("precision-recall: score %d is %v", i, scores[i])
		}
		if p {
			total++
		}
	}
	if total == 0 {
		return PRCurve{}, errors.New("precision-recall: no positive example: recall is undefined")
	}
	order := make([]int, len(scores))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return scores[order[a]] > scores[order[b]] })
	var c PRCurve
	tp, predicted, lastRecall := 0, 0, 0.0
	for k, i := range order {
		predicted++
		if positive[i] {
			tp++
		}
		if k+1 < len(order) && scores[order[k+1]] == scores[i] {
			continue // the next example has the same score: one threshold for both
		}
		p, r := float64(tp)/float64(predicted), float64(tp)/float64(total)
		c.Thresholds = append(c.Thresholds, scores[i])
		c.Precision = append(c.Precision, p)
		c.Recall = append(c.Recall, r)
		c.AveragePrecision += (r - lastRecall) * p
		lastRecall = r
	}
	return c, nil
}
