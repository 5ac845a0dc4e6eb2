package metrics

import "fmt"

// OneClassShare is the share of the predictions in one class from which Degenerate flags a
// run (when the gold labels are not that lopsided).
const OneClassShare = 0.95

// Degenerate says why predictions look like a broken run rather than a baseline, or "" when
// they do not: nearly all of them (OneClassShare) in one class that is far less common in
// gold (by 10 points or more), or a macro-F1 no better than that of always predicting gold's
// most common class. A comparison should flag such a run: it is a bug (a learning rate too
// high or too low, too few steps), not evidence about the method.
func Degenerate(pred, gold []int, numClasses int) string {
	if len(pred) == 0 || len(pred) != len(gold) || numClasses < 2 {
		return ""
	}
	predCount, goldCount := make([]int, numClasses), make([]int, numClasses)
	for i := range pred {
		if pred[i] >= 0 && pred[i] < numClasses {
			predCount[pred[i]]++
		}
		if gold[i] >= 0 && gold[i] < numClasses {
			goldCount[gold[i]]++
		}
	}
	n := float64(len(pred))
	top, major := 0, 0
	for c := range numClasses {
		if predCount[c] > predCount[top] {
			top = c
		}
		if goldCount[c] > goldCount[major] {
			major = c
		}
	}
	share, goldShare := float64(predCount[top])/n, float64(goldCount[top])/n
	if share >= OneClassShare && share-goldShare >= 0.1 {
		return fmt.Sprintf("predicts class %d for %.1f%% of the test examples (gold: %.1f%%)", top, 100*share, 100*goldShare)
	}
	constant := make([]int, len(gold))
	for i := range constant {
		constant[i] = major
	}
	chance := Classification(constant, gold, numClasses).MacroF1
	if f1 := Classification(pred, gold, numClasses).MacroF1; f1 <= chance+1e-12 {
		return fmt.Sprintf("macro-F1 %.3f is no better than always predicting class %d (%.3f)", f1, major, chance)
	}
	return ""
}
