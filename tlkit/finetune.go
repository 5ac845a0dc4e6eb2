package tlkit

import (
	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/finetune"
)

// Fine-tuning lives in package tlkit/finetune; these are its facade.

// FineTuneOptions configures FineTune (finetune.Options).
type FineTuneOptions = finetune.Options

// FineTuneResult is the outcome of FineTune (finetune.Result).
type FineTuneResult = finetune.Result

// Freeze is a fine-tuning freeze policy (finetune.Freeze).
type Freeze = finetune.Freeze

// The freeze policies: nothing frozen, the embeddings frozen, the whole encoder frozen.
var (
	FreezeNone       = finetune.FreezeNone
	FreezeEmbeddings = finetune.FreezeEmbeddings
	FreezeAllButHead = finetune.FreezeAllButHead
)

// FreezeBottom freezes the embeddings and the k lowest layers above them (finetune.FreezeBottom).
func FreezeBottom(k int) Freeze { return finetune.FreezeBottom(k) }

// DefaultFineTuneOptions returns finetune.DefaultOptions().
func DefaultFineTuneOptions() FineTuneOptions { return finetune.DefaultOptions() }

// FineTune trains a new classification head and a copy of enc on task, selecting the weights
// on dev, and predicts task.Test (finetune.Run).
func FineTune(enc encoder.Encoder, task *data.TextClassification, opts FineTuneOptions) (*FineTuneResult, error) {
	return finetune.Run(enc, task, opts)
}
