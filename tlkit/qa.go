package tlkit

import (
	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/qa"
)

// QAOptions configures QuestionAnswering; start from DefaultQAOptions. See qa.Options.
type QAOptions = qa.Options

// QAResult is the outcome of QuestionAnswering: dev and test EM/F1 and the test answers.
// See qa.Result.
type QAResult = qa.Result

// DefaultQAOptions returns qa.DefaultOptions().
func DefaultQAOptions() QAOptions { return qa.DefaultOptions() }

// QuestionAnswering fine-tunes enc with a span head on task's training questions
// (extractive QA, SQuAD format; qa.Run): windows of question + context, start and end
// logits, the best span over a context's windows, SQuAD v1.1's exact match and F1. enc itself
// is unchanged.
func QuestionAnswering(enc encoder.Encoder, task *data.QASplits, opts QAOptions) (*QAResult, error) {
	return qa.Run(enc, task, opts)
}
