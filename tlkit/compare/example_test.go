package compare_test

import (
	"fmt"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/compare"
)

// Compare two baselines over three seeds: a majority-class predictor, and one that guesses
// from the text's length with a seed-dependent threshold.
func ExampleCompare() {
	task := &data.TextClassification{Name: "toy", Labels: []string{"neg", "pos"},
		Train: []data.Example{{Text: "bad", Label: 0}, {Text: "so good", Label: 1}, {Text: "awful", Label: 0}},
		Test:  []data.Example{{Text: "dull", Label: 0}, {Text: "really great", Label: 1}, {Text: "great fun film", Label: 1}, {Text: "poor", Label: 0}}}
	majority := compare.Method{Name: "majority", Run: func(task *data.TextClassification, seed int64) (compare.Outcome, error) {
		counts := task.LabelCounts(task.Train)
		best := 0
		for l, c := range counts {
			if c > counts[best] {
				best = l
			}
		}
		pred := make([]int, len(task.Test))
		for i := range pred {
			pred[i] = best
		}
		return compare.Outcome{TestPred: pred}, nil
	}}
	length := compare.Method{Name: "length", Run: func(task *data.TextClassification, seed int64) (compare.Outcome, error) {
		pred := make([]int, len(task.Test))
		for i, ex := range task.Test {
			if len(ex.Text) > 4+int(seed) {
				pred[i] = 1
			}
		}
		return compare.Outcome{TestPred: pred}, nil
	}}
	c, err := compare.Compare(task, []compare.Method{majority, length}, []int64{0, 4, 8}, compare.Options{})
	if err != nil {
		panic(err)
	}
	for _, m := range c.Methods {
		r, _ := c.Result(m, 0)
		fmt.Printf("%-8s accuracy %s %%, macro-F1 %s %%\n", m, r.Accuracy.Percent(), r.MacroF1.Percent())
	}
	// Output:
	// majority accuracy 50.0 ± 0.0 %, macro-F1 33.3 ± 0.0 %
	// length   accuracy 91.7 ± 14.4 %, macro-F1 91.1 ± 15.4 %
}
