package tlkit

import (
	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/adapt"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
)

// Domain adaptation lives in package tlkit/adapt; these are its facade.

// AdaptOptions configures AdaptDomain (adapt.Options). Start from DefaultAdaptOptions.
type AdaptOptions = adapt.Options

// AdaptResult is the outcome of AdaptDomain (adapt.Result).
type AdaptResult = adapt.Result

// DefaultAdaptOptions returns adapt.DefaultOptions(method).
func DefaultAdaptOptions(method adapt.Method) AdaptOptions { return adapt.DefaultOptions(method) }

// AdaptDomain adapts a classifier from a labelled source domain to unlabelled target texts on
// top of the frozen encoder enc (adapt.Run).
func AdaptDomain(enc encoder.Encoder, source *data.TextClassification, targetTexts []string, opts AdaptOptions) (*AdaptResult, error) {
	return adapt.Run(enc, source, targetTexts, opts)
}

// DomainFeatures returns the frozen features of task's three splits as an adapt.Domain, for
// adapt.RunBenchmark (adapt.DomainFeatures).
func DomainFeatures(enc encoder.Encoder, task *data.TextClassification, opts AdaptOptions) (*adapt.Domain, error) {
	return adapt.DomainFeatures(enc, task, opts)
}
