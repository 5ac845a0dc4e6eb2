package metrics

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// A 3-class example scored by hand:
//
//	gold = 0 0 0 1 1 2 2 2 2 2   (support 3, 2, 5)
//	pred = 0 0 1 1 2 2 2 2 0 1
//
//	confusion (rows gold, columns pred)   column sums (predicted): 3, 3, 4
//	  0: 2 1 0
//	  1: 0 1 1
//	  2: 1 1 3
//
//	accuracy = (2+1+3)/10 = 0.6
//	class 0: P = 2/3, R = 2/3, F1 = 2/3
//	class 1: P = 1/3, R = 1/2, F1 = 2·(1/3)(1/2)/(1/3+1/2) = 0.4
//	class 2: P = 3/4, R = 3/5, F1 = 2·0.75·0.6/1.35 = 2/3
//	macro P = (2/3+1/3+3/4)/3 = 7/12, macro R = (2/3+1/2+3/5)/3 = 53/90,
//	macro F1 = (2/3+0.4+2/3)/3 = 26/45
var (
	handGold = []int{0, 0, 0, 1, 1, 2, 2, 2, 2, 2}
	handPred = []int{0, 0, 1, 1, 2, 2, 2, 2, 0, 1}
)

func TestClassificationByHand(t *testing.T) {
	r := Classification(handPred, handGold, 3)
	if want := [][]int{{2, 1, 0}, {0, 1, 1}, {1, 1, 3}}; !reflect.DeepEqual(r.Confusion, want) {
		t.Errorf("Confusion = %v, want %v", r.Confusion, want)
	}
	want := []ClassScores{
		{Precision: 2. / 3, Recall: 2. / 3, F1: 2. / 3, Support: 3},
		{Precision: 1. / 3, Recall: 1. / 2, F1: 0.4, Support: 2},
		{Precision: 3. / 4, Recall: 3. / 5, F1: 2. / 3, Support: 5},
	}
	for c, w := range want {
		g := r.Classes[c]
		if !near(g.Precision, w.Precision) || !near(g.Recall, w.Recall) || !near(g.F1, w.F1) || g.Support != w.Support {
			t.Errorf("class %d = %+v, want %+v", c, g, w)
		}
	}
	if !near(r.Accuracy, 0.6) || !near(Accuracy(handPred, handGold), 0.6) || r.N != 10 {
		t.Errorf("accuracy = %v / %v, n = %d; want 0.6, 10", r.Accuracy, Accuracy(handPred, handGold), r.N)
	}
	if !near(r.MacroPrecision, 7./12) || !near(r.MacroRecall, 53./90) || !near(r.MacroF1, 26./45) {
		t.Errorf("macro P/R/F1 = %v %v %v, want %v %v %v", r.MacroPrecision, r.MacroRecall, r.MacroF1, 7./12, 53./90, 26./45)
	}
	if got := MacroF1(3)(handPred, handGold); !near(got, 26./45) {
		t.Errorf("MacroF1(3) = %v, want %v", got, 26./45)
	}
}

// TestSklearnExamples checks the examples of scikit-learn's documentation.
func TestSklearnExamples(t *testing.T) {
	// precision_recall_fscore_support / f1_score docs: macro P 0.22, R 0.33, F1 0.26.
	r := Classification([]int{0, 2, 1, 0, 0, 1}, []int{0, 1, 2, 0, 1, 2}, 3)
	if !near(r.MacroPrecision, 2./9) || !near(r.MacroRecall, 1./3) || !near(r.MacroF1, 0.8/3) {
		t.Errorf("macro P/R/F1 = %v %v %v, want 0.222 0.333 0.267", r.MacroPrecision, r.MacroRecall, r.MacroF1)
	}
	// classification_report docs, y_true = [0, 1, 2, 2, 2], y_pred = [0, 0, 2, 2, 1]:
	//               precision    recall  f1-score   support
	//      class 0       0.50      1.00      0.67         1
	//      class 1       0.00      0.00      0.00         1
	//      class 2       1.00      0.67      0.80         3
	//     accuracy                           0.60         5
	//    macro avg       0.50      0.56      0.49         5
	r = Classification([]int{0, 0, 2, 2, 1}, []int{0, 1, 2, 2, 2}, 3)
	got := []float64{r.Classes[0].Precision, r.Classes[0].Recall, r.Classes[0].F1,
		r.Classes[1].Precision, r.Classes[1].Recall, r.Classes[1].F1,
		r.Classes[2].Precision, r.Classes[2].Recall, r.Classes[2].F1,
		r.Accuracy, r.MacroPrecision, r.MacroRecall, r.MacroF1}
	want := []float64{0.50, 1.00, 0.67, 0, 0, 0, 1.00, 0.67, 0.80, 0.60, 0.50, 0.56, 0.49}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 0.005 {
			t.Errorf("classification_report value %d = %.4f, sklearn prints %.2f", i, got[i], want[i])
		}
	}
}

// TestZeroDivision: class 1 is never predicted (precision 0), class 3 never occurs
// (recall 0, support 0); both count in the macro averages with F1 0.
func TestZeroDivision(t *testing.T) {
	r := Classification([]int{0, 0, 2, 2}, []int{0, 1, 2, 2}, 4)
	if c := r.Classes[1]; c != (ClassScores{Support: 1}) {
		t.Errorf("never-predicted class = %+v, want all zero but support 1", c)
	}
	if c := r.Classes[3]; c != (ClassScores{}) {
		t.Errorf("absent class = %+v, want all zero", c)
	}
	// class 0: P 1/2 R 1 F1 2/3; class 2: P R F1 1.
	if !near(r.MacroPrecision, 1.5/4) || !near(r.MacroRecall, 2./4) || !near(r.MacroF1, (2./3+1)/4) {
		t.Errorf("macro P/R/F1 = %v %v %v", r.MacroPrecision, r.MacroRecall, r.MacroF1)
	}
	for _, v := range []float64{r.MacroPrecision, r.MacroRecall, r.MacroF1} {
		if math.IsNaN(v) {
			t.Errorf("NaN in macro averages")
		}
	}
}

func TestCheckAndPanics(t *testing.T) {
	for _, tc := range []struct {
		pred, gold []int
		k          int
		want       string
	}{
		{[]int{0}, []int{0, 1}, 2, "1 predictions for 2 gold labels"},
		{nil, nil, 2, "no examples"},
		{[]int{0}, []int{0}, 0, "0 classes"},
		{[]int{0, 1}, []int{0, 2}, 2, "gold label 2 of example 1 is outside [0, 2)"},
		{[]int{-1}, []int{0}, 2, "predicted label -1 of example 0"},
	} {
		err := Check(tc.pred, tc.gold, tc.k)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Check(%v, %v, %d) = %v, want error containing %q", tc.pred, tc.gold, tc.k, err, tc.want)
		}
		func() {
			defer func() {
				r := recover()
				if e, ok := r.(error); !ok || !strings.Contains(e.Error(), tc.want) {
					t.Errorf("Classification(%v, %v, %d) panicked with %v, want %q", tc.pred, tc.gold, tc.k, r, tc.want)
				}
			}()
			Classification(tc.pred, tc.gold, tc.k)
		}()
	}
	if err := Check(handPred, handGold, 3); err != nil {
		t.Errorf("Check of valid input: %v", err)
	}
	defer func() {
		if r := recover(); r == nil {
			t.Errorf("Accuracy with mismatched lengths did not panic")
		}
	}()
	Accuracy([]int{1}, nil)
}

func TestReportJSONAndMarkdown(t *testing.T) {
	r := Classification(handPred, handGold, 3)
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"accuracy", "macro_precision", "macro_recall", "macro_f1", "n", "classes", "confusion"} {
		if _, ok := m[key]; !ok {
			t.Errorf("JSON lacks %q: %s", key, data)
		}
	}
	md := r.Markdown([]string{"neg", "neu|tral"})
	for _, want := range []string{
		"| neg | 0.667 | 0.667 | 0.667 | 3 |",
		`| neu\|tral | 0.333 | 0.500 | 0.400 | 2 |`,
		"| 2 | 0.750 | 0.600 | 0.667 | 5 |", // no name: the number
		"| **macro avg** | 0.583 | 0.589 | 0.578 | 10 |",
		"| **accuracy** | | | 0.600 | 10 |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md)
		}
	}
	cm := r.ConfusionMarkdown([]string{"a", "b", "c"})
	if !strings.Contains(cm, "| c | 1 | 1 | 3 |") || !strings.Contains(cm, "| true \\ predicted | a | b | c |") {
		t.Errorf("ConfusionMarkdown:\n%s", cm)
	}
}

func TestMeanStd(t *testing.T) {
	// 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sum of squares 32, sample var 32/7.
	m, s := MeanStd([]float64{2, 4, 4, 4, 5, 5, 7, 9})
	if !near(m, 5) || !near(s, math.Sqrt(32./7)) {
		t.Errorf("MeanStd = %v, %v; want 5, %v", m, s, math.Sqrt(32./7))
	}
	if m, s := MeanStd([]float64{0.8}); m != 0.8 || s != 0 {
		t.Errorf("MeanStd of one value = %v, %v; want 0.8, 0", m, s)
	}
	if m, s := MeanStd(nil); !math.IsNaN(m) || !math.IsNaN(s) {
		t.Errorf("MeanStd(nil) = %v, %v; want NaN, NaN", m, s)
	}
	sum := Summarize([]float64{0.82, 0.826, 0.823})
	if got := sum.Percent(); got != "82.3 ± 0.3" {
		t.Errorf("Percent = %q, want 82.3 ± 0.3", got)
	}
	if got := sum.String(); got != "0.823 ± 0.003 (n=3)" {
		t.Errorf("String = %q", got)
	}
	if got := (Summary{Mean: 12.345, Std: 0.5}).Format(1, 2); got != "12.35 ± 0.50" && got != "12.34 ± 0.50" {
		t.Errorf("Format(1, 2) = %q", got)
	}
}

// noisy returns n gold labels in {0, 1} and predictions that are right about 80% of the time,
// deterministically.
func noisy(n int) (pred, gold []int) {
	pred, gold = make([]int, n), make([]int, n)
	for i := range n {
		gold[i] = i % 2
		pred[i] = gold[i]
		if (i*7919)%10 < 2 {
			pred[i] = 1 - gold[i]
		}
	}
	return pred, gold
}

func TestBootstrapCI(t *testing.T) {
	pred, gold := noisy(200)
	acc := Accuracy(pred, gold)
	lo, hi := BootstrapCI(pred, gold, Accuracy, 1000, 0.95, 1)
	if !(lo < acc && acc < hi) {
		t.Errorf("95%% CI [%v, %v] does not contain the accuracy %v", lo, hi, acc)
	}
	// The standard error of an accuracy of 0.8 on 200 examples is sqrt(.8*.2/200) = 0.028,
	// so the 95% CI is about ±0.055 wide.
	if w := hi - lo; w < 0.08 || w > 0.14 {
		t.Errorf("95%% CI width %v, want about 0.11", w)
	}
	if lo2, hi2 := BootstrapCI(pred, gold, Accuracy, 1000, 0.95, 1); lo2 != lo || hi2 != hi {
		t.Errorf("same seed gave [%v, %v] then [%v, %v]", lo, hi, lo2, hi2)
	}
	if lo3, hi3 := BootstrapCI(pred, gold, Accuracy, 1000, 0.95, 2); lo3 == lo && hi3 == hi {
		t.Errorf("seeds 1 and 2 gave the same CI [%v, %v]", lo, hi)
	}
	if l, h := BootstrapCI(pred, gold, Accuracy, 1000, 0.5, 1); h-l >= hi-lo {
		t.Errorf("50%% CI [%v, %v] is not narrower than the 95%% CI [%v, %v]", l, h, lo, hi)
	}
	bigPred, bigGold := noisy(5000)
	bl, bh := BootstrapCI(bigPred, bigGold, Accuracy, 1000, 0.95, 1)
	if bh-bl > (hi-lo)/3 {
		t.Errorf("CI on 5000 examples [%v, %v] is not much narrower than on 200 [%v, %v]", bl, bh, lo, hi)
	}
	f1 := MacroF1(2)(pred, gold)
	if l, h := BootstrapCI(pred, gold, MacroF1(2), 500, 0.95, 3); !(l < f1 && f1 < h) {
		t.Errorf("macro-F1 CI [%v, %v] does not contain %v", l, h, f1)
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(error).Error(), "level") {
			t.Errorf("level 95 did not panic about the level: %v", r)
		}
	}()
	BootstrapCI(pred, gold, Accuracy, 100, 95, 1)
}

func TestQuantile(t *testing.T) {
	s := []float64{1, 2, 3, 4, 5}
	for q, want := range map[float64]float64{0: 1, 1: 5, 0.5: 3, 0.1: 1.4, 0.975: 4.9} {
		if got := quantile(s, q); !near(got, want) {
			t.Errorf("quantile(%v) = %v, want %v", q, got, want)
		}
	}
}

func TestAccuracyOrNaN(t *testing.T) {
	if got := AccuracyOrNaN(nil, nil); !math.IsNaN(got) {
		t.Errorf("AccuracyOrNaN of no example = %v, want NaN", got)
	}
	if got := AccuracyOrNaN([]int{1, 0, 1, 1}, []int{1, 1, 1, 0}); got != 0.5 {
		t.Errorf("AccuracyOrNaN = %v, want 0.5", got)
	}
}

func TestArgmaxRows(t *testing.T) {
	got := ArgmaxRows([][]float32{{0.1, 0.7, 0.2}, {0.5, 0.5}, {3}})
	if fmt.Sprint(got) != "[1 0 0]" {
		t.Errorf("ArgmaxRows = %v, want [1 0 0] (a tie goes to the first class)", got)
	}
}
