package metrics

import (
	"fmt"
	"math"
	"strings"
)

// Check returns an error if pred and gold cannot be scored together: different lengths,
// no examples, numClasses < 1, or a label outside [0, numClasses). The scoring functions
// panic with the same message; call Check first on labels that come from outside the
// program.
func Check(pred, gold []int, numClasses int) error {
	if len(pred) != len(gold) {
		return fmt.Errorf("metrics: %d predictions for %d gold labels; want one prediction per example", len(pred), len(gold))
	}
	if len(gold) == 0 {
		return fmt.Errorf("metrics: no examples to score")
	}
	if numClasses < 1 {
		return fmt.Errorf("metrics: %d classes; want at least 1", numClasses)
	}
	for i := range gold {
		if g := gold[i]; g < 0 || g >= numClasses {
			return fmt.Errorf("metrics: gold label %d of example %d is outside [0, %d)", g, i, numClasses)
		}
		if p := pred[i]; p < 0 || p >= numClasses {
			return fmt.Errorf("metrics: predicted label %d of example %d is outside [0, %d)", p, i, numClasses)
		}
	}
	return nil
}

// mustCheck panics with Check's error.
func mustCheck(pred, gold []int, numClasses int) {
	if err := Check(pred, gold, numClasses); err != nil {
		panic(err)
	}
}

// Accuracy returns the fraction of examples where pred[i] == gold[i], in [0, 1]. It
// panics if pred and gold differ in length or are empty.
func Accuracy(pred, gold []int) float64 {
	if len(pred) != len(gold) {
		panic(fmt.Errorf("metrics.Accuracy: %d predictions for %d gold labels; want one prediction per example", len(pred), len(gold)))
	}
	if len(gold) == 0 {
		panic(fmt.Errorf("metrics.Accuracy: no examples to score"))
	}
	right := 0
	for i := range gold {
		if pred[i] == gold[i] {
			right++
		}
	}
	return float64(right) / float64(len(gold))
}

// AccuracyOrNaN is Accuracy, except that no example gives NaN (a model-selection score
// that is absent, such as the accuracy on a missing dev split) instead of a panic.
func AccuracyOrNaN(pred, gold []int) float64 {
	if len(gold) == 0 && len(pred) == 0 {
		return math.NaN()
	}
	return Accuracy(pred, gold)
}

// Confusion returns the numClasses × numClasses confusion matrix: m[g][p] counts the
// examples of gold class g predicted as class p, so rows are true classes, columns are
// predicted classes, and the diagonal holds the correct predictions (scikit-learn's
// confusion_matrix layout). It panics on input that Check rejects.
func Confusion(pred, gold []int, numClasses int) [][]int {
	mustCheck(pred, gold, numClasses)
	m := make([][]int, numClasses)
	for g := range m {
		m[g] = make([]int, numClasses)
	}
	for i := range gold {
		m[gold[i]][pred[i]]++
	}
	return m
}

// ClassScores are the scores of one class, treated as the positive class.
type ClassScores struct {
	// Precision is TP / (TP + FP): the fraction of the examples predicted as this class
	// that belong to it; 0 if the class is never predicted.
	Precision float64 `json:"precision"`
	// Recall is TP / (TP + FN): the fraction of the examples of this class that are
	// predicted as it; 0 if the class has no examples.
	Recall float64 `json:"recall"`
	// F1 is the harmonic mean of Precision and Recall; 0 if both are 0.
	F1 float64 `json:"f1"`
	// Support is the number of examples of this class in gold.
	Support int `json:"support"`
}

// Report holds the classification scores of a set of predictions.
type Report struct {
	// Accuracy is the fraction of correct predictions.
	Accuracy float64 `json:"accuracy"`
	// MacroPrecision, MacroRecall and MacroF1 are the unweighted means of the per-class
	// scores over all classes (MacroF1 is the mean of the F1s, not the F1 of the means).
	MacroPrecision float64 `json:"macro_precision"`
	MacroRecall    float64 `json:"macro_recall"`
	MacroF1        float64 `json:"macro_f1"`
	// N is the number of examples scored.
	N int `json:"n"`
	// Classes holds the scores of each class, indexed by label.
	Classes []ClassScores `json:"classes"`
	// Confusion is the confusion matrix: Confusion[gold][pred] (see the function
	// Confusion).
	Confusion [][]int `json:"confusion"`
}

// Classification scores pred against gold for classes 0..numClasses-1 (see the package
// documentation for the conventions). It panics on input that Check rejects.
func Classification(pred, gold []int, numClasses int) Report {
	cm := Confusion(pred, gold, numClasses)
	r := Report{N: len(gold), Classes: make([]ClassScores, numClasses), Confusion: cm}
	predicted := make([]int, numClasses) // column sums
	correct := 0
	for g := range cm {
		correct += cm[g][g]
		for p, n := range cm[g] {
			predicted[p] += n
			r.Classes[g].Support += n
		}
	}
	r.Accuracy = float64(correct) / float64(len(gold))
	for c := range r.Classes {
		s := &r.Classes[c]
		tp := float64(cm[c][c])
		if predicted[c] > 0 {
			s.Precision = tp / float64(predicted[c])
		}
		if s.Support > 0 {
			s.Recall = tp / float64(s.Support)
		}
		if s.Precision+s.Recall > 0 {
			s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
		}
		r.MacroPrecision += s.Precision
		r.MacroRecall += s.Recall
		r.MacroF1 += s.F1
	}
	k := float64(numClasses)
	r.MacroPrecision /= k
	r.MacroRecall /= k
	r.MacroF1 /= k
	return r
}

// MacroF1 returns a function that computes the macro-averaged F1 over numClasses
// classes, with the signature of Accuracy, for BootstrapCI. The number of classes is
// fixed up front because a bootstrap resample may miss a class.
func MacroF1(numClasses int) func(pred, gold []int) float64 {
	return func(pred, gold []int) float64 {
		return Classification(pred, gold, numClasses).MacroF1
	}
}

// className returns labels[c], or the number c when labels has no (non-empty) name for it.
func className(labels []string, c int) string {
	if c < len(labels) && labels[c] != "" {
		return labels[c]
	}
	return fmt.Sprint(c)
}

// mdEscape escapes the characters that would break a Markdown table cell.
func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}

// Markdown returns the report as a Markdown table in the layout of scikit-learn's
// classification_report: one row per class (precision, recall, F1, support), then the
// macro average and the accuracy, scores with 3 decimals. labels names the classes by
// index; missing names (or nil labels) are written as the class number.
func (r Report) Markdown(labels []string) string {
	var b strings.Builder
	b.WriteString("| class | precision | recall | F1 | support |\n")
	b.WriteString("|:--|--:|--:|--:|--:|\n")
	for c, s := range r.Classes {
		fmt.Fprintf(&b, "| %s | %.3f | %.3f | %.3f | %d |\n", mdEscape(className(labels, c)), s.Precision, s.Recall, s.F1, s.Support)
	}
	fmt.Fprintf(&b, "| **macro avg** | %.3f | %.3f | %.3f | %d |\n", r.MacroPrecision, r.MacroRecall, r.MacroF1, r.N)
	fmt.Fprintf(&b, "| **accuracy** | | | %.3f | %d |\n", r.Accuracy, r.N)
	return b.String()
}

// ConfusionMarkdown returns the confusion matrix as a Markdown table, gold classes as
// rows and predicted classes as columns, named by labels as in Markdown.
func (r Report) ConfusionMarkdown(labels []string) string {
	var b strings.Builder
	b.WriteString("| true \\ predicted |")
	for c := range r.Confusion {
		fmt.Fprintf(&b, " %s |", mdEscape(className(labels, c)))
	}
	b.WriteString("\n|:--|")
	b.WriteString(strings.Repeat("--:|", len(r.Confusion)))
	b.WriteString("\n")
	for g, row := range r.Confusion {
		fmt.Fprintf(&b, "| %s |", mdEscape(className(labels, g)))
		for _, n := range row {
			fmt.Fprintf(&b, " %d |", n)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// Softmax returns the softmax of logits (one row of class scores) as float32 probabilities,
// computed in float64 after subtracting the largest logit.
func Softmax(logits []float64) []float32 {
	m := math.Inf(-1)
	for _, v := range logits {
		m = max(m, v)
	}
	var sum float64
	exps := make([]float64, len(logits))
	for i, v := range logits {
		exps[i] = math.Exp(v - m)
		sum += exps[i]
	}
	out := make([]float32, len(logits))
	for i := range exps {
		out[i] = float32(exps[i] / sum)
	}
	return out
}

// Argmax returns the index of the largest value of p (the first, on ties): the predicted class
// of a row of probabilities or logits.
func Argmax(p []float32) int {
	best := 0
	for i, v := range p {
		if v > p[best] {
			best = i
		}
	}
	return best
}

// ArgmaxRows returns Argmax of each row: the predicted class of each row of probabilities
// (or scores).
func ArgmaxRows(rows [][]float32) []int {
	out := make([]int, len(rows))
	for i, r := range rows {
		out[i] = Argmax(r)
	}
	return out
}
