package metrics

import "math"

// MatthewsCorrelation returns the Matthews correlation coefficient of binary predictions
// (labels 0 and 1, class 1 the positive one), the metric GLUE reports for CoLA:
// (TP·TN − FP·FN) / √((TP+FP)(TP+FN)(TN+FP)(TN+FN)), in [−1, 1], 0 for chance. As in
// scikit-learn's matthews_corrcoef, it is 0 when any of the four sums is 0 (e.g. every
// prediction the same class). It panics when pred and gold differ in length or hold a label
// other than 0 and 1.
func MatthewsCorrelation(pred, gold []int) float64 {
	mustCheck(pred, gold, 2)
	var tp, tn, fp, fn float64
	for i, p := range pred {
		switch {
		case p == 1 && gold[i] == 1:
			tp++
		case p == 0 && gold[i] == 0:
			tn++
		case p == 1:
			fp++
		default:
			fn++
		}
	}
	den := (tp + fp) * (tp + fn) * (tn + fp) * (tn + fn)
	if den == 0 {
		return 0
	}
	return (tp*tn - fp*fn) / math.Sqrt(den)
}
