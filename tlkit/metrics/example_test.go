package metrics_test

import (
	"fmt"

	"github.com/nlp-transfer/gotl/tlkit/metrics"
)

func ExampleClassification() {
	gold := []int{0, 1, 2, 2, 2}
	pred := []int{0, 0, 2, 2, 1}
	r := metrics.Classification(pred, gold, 3)
	fmt.Printf("accuracy %.2f, macro-F1 %.2f\n", r.Accuracy, r.MacroF1)
	fmt.Print(r.Markdown([]string{"neg", "neutral", "pos"}))
	// Output:
	// accuracy 0.60, macro-F1 0.49
	// | class | precision | recall | F1 | support |
	// |:--|--:|--:|--:|--:|
	// | neg | 0.500 | 1.000 | 0.667 | 1 |
	// | neutral | 0.000 | 0.000 | 0.000 | 1 |
	// | pos | 1.000 | 0.667 | 0.800 | 3 |
	// | **macro avg** | 0.500 | 0.556 | 0.489 | 5 |
	// | **accuracy** | | | 0.600 | 5 |
}

func ExampleSummarize() {
	accuracies := []float64{0.821, 0.826, 0.823} // one per seed
	fmt.Println(metrics.Summarize(accuracies).Percent())
	// Output: 82.3 ± 0.3
}
