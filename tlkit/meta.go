package tlkit

import (
	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/meta"
)

// Meta-learning lives in package tlkit/meta; these are its facade.

// MetaOptions configures a few-shot experiment (meta.Options).
type MetaOptions = meta.Options

// MetaResult is the outcome of MetaLearn (meta.Result).
type MetaResult = meta.Result

// MetaTest is one test set of a MetaResult: episodes of unseen classes (meta.Test).
type MetaTest = meta.Test

// DefaultMetaOptions returns meta.DefaultOptions().
func DefaultMetaOptions() MetaOptions { return meta.DefaultOptions() }

// MetaLearn runs a few-shot experiment on frozen features of enc (meta.Run): the intents of
// source are split by domain into meta-train, meta-validation and meta-test intents (2
// validation and 3 test domains drawn with a fixed seed, or opts.ValDomains and
// opts.TestDomains; a source of fewer than 4 domains, such as Banking77, is split by
// intent); every method of opts.Methods is meta-trained on episodes of the meta-train
// intents and tested on the same episodes of the unseen meta-test intents and of each of
// opts.Targets.
func MetaLearn(enc encoder.Encoder, source *data.IntentClassification, opts MetaOptions) (*MetaResult, error) {
	return meta.Run(enc, source, opts)
}
