package tlkit

import (
	"github.com/nlp-transfer/gotl/tlkit/bert"
	"github.com/nlp-transfer/gotl/tlkit/pretrain"
)

// PretrainOptions configures Pretrain (see pretrain.Options): corpora, architecture, steps,
// learning rate and warmup, masking, evaluation, checkpoint folder and resumption.
type PretrainOptions = pretrain.Options

// PretrainResult is the outcome of Pretrain: the model, its checkpoint folder and the
// history of the run (pretrain.Result).
type PretrainResult = pretrain.Result

// DefaultPretrainOptions returns pretrain.DefaultOptions: a 4-layer, 128-wide BERT over the
// bert-base-uncased vocabulary, 2000 steps of 32 rows of 128 tokens on all the corpora (Brown,
// WikiText-2, Austen, Gutenberg, State of the Union).
func DefaultPretrainOptions() PretrainOptions { return pretrain.DefaultOptions() }

// Pretrain trains a BERT from scratch with masked language modelling (15% of the tokens,
// 80/10/10 [MASK]/random/kept, dynamic masking) on unlabelled text, and saves it as a
// HuggingFace checkpoint with its MLM head in opts.Dir (under the cache by default), with
// history.json beside it. The checkpoint is an encoder like any BERT:
// LoadEncoder("bert:"+res.Dir). An interrupted run resumes bit-identically, and a finished one
// is reused, when opts.Resume is set. With opts.From it continues the pretraining of a
// checkpoint on new text instead (domain-adaptive pretraining). See pretrain.Run.
func Pretrain(opts PretrainOptions) (*PretrainResult, error) { return pretrain.Pretrain(opts) }

// FillMask returns the model's top k candidates for each [MASK] of each text (see
// pretrain.FillMask); the model needs its MLM head, as Pretrain's checkpoints have.
func FillMask(m *bert.Model, texts []string, k int) ([][]pretrain.Blank, error) {
	return pretrain.FillMask(m, texts, k)
}
