package tlkit

import (
	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/bert"
	"github.com/nlp-transfer/gotl/tlkit/distill"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
)

// Cross-lingual distillation lives in package tlkit/distill; these are its facade.

// DistillOptions configures Distill (distill.Options).
type DistillOptions = distill.Options

// DistillResult is the outcome of Distill (distill.Result).
type DistillResult = distill.Result

// DefaultDistillOptions returns distill.DefaultOptions().
func DefaultDistillOptions() DistillOptions { return distill.DefaultOptions() }

// Distill trains student, in place, to put each pair's target sentence (e.g. Chinese) where
// the frozen teacher puts its source sentence (English): multilingual knowledge distillation
// (distill.Run).
func Distill(teacher encoder.Encoder, student *bert.Model, pairs []data.TranslationPair, opts DistillOptions) (*DistillResult, error) {
	return distill.Run(teacher, student, pairs, opts)
}

// Retrieval is XTREME's Tatoeba translation-retrieval accuracy of student against teacher on
// pairs, target→source and source→target (distill.Retrieval).
func Retrieval(teacher, student encoder.Encoder, pairs []data.TranslationPair) (targetToSource, sourceToTarget float64, err error) {
	return distill.Retrieval(teacher, student, pairs)
}
