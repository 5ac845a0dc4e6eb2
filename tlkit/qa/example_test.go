package qa_test

import (
	"fmt"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/metrics"
	"github.com/nlp-transfer/gotl/tlkit/qa"
)

// The overlap baseline answers from the sentence that shares most words with the question;
// metrics.QAScores scores it as SQuAD's evaluate-v1.1.py does.
func ExampleOverlap() {
	ex := data.QAExample{ID: "q1", Question: "Where was Super Bowl 50 played?",
		Context: "The Broncos won. Super Bowl 50 was played at Levi's Stadium in Santa Clara, California.",
		Answers: []data.Answer{{Text: "Levi's Stadium", Start: 45}}}
	pred := qa.Overlap(ex, 4)
	r, _ := metrics.QAScores(map[string]string{ex.ID: pred.Text}, qa.Gold([]data.QAExample{ex}), metrics.SQuADRules)
	fmt.Printf("%q: EM %.0f, F1 %.2f\n", pred.Text, r.ExactMatch, r.F1)
	// Output: "Levi's": EM 0, F1 0.67
}
