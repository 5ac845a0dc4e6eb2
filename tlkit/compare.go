package tlkit

import (
	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/compare"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
)

// The comparison harness lives in package tlkit/compare; these are its facade.

// Method is one way to train a classifier on a task, for Compare and Sweep (compare.Method).
type Method = compare.Method

// Outcome is what one Method run returns (compare.Outcome).
type Outcome = compare.Outcome

// CompareOptions configures Compare and Sweep (compare.Options).
type CompareOptions = compare.Options

// Comparison holds the runs of Compare or Sweep and their summaries (compare.Comparison).
type Comparison = compare.Comparison

// Compare runs each method once per seed and summarises the test scores (compare.Compare).
func Compare(task *data.TextClassification, methods []Method, seeds []int64, opts CompareOptions) (*Comparison, error) {
	return compare.Compare(task, methods, seeds, opts)
}

// Sweep is Compare at several training set sizes, for learning curves (compare.Sweep).
func Sweep(task *data.TextClassification, methods []Method, sizes []int, seeds []int64, opts CompareOptions) (*Comparison, error) {
	return compare.Sweep(task, methods, sizes, seeds, opts)
}

// Subsample keeps n stratified training examples chosen with seed (compare.Subsample).
func Subsample(task *data.TextClassification, n int, seed int64) *data.TextClassification {
	return compare.Subsample(task, n, seed)
}

// FeaturesMethod trains a head on enc's frozen features (compare.FeaturesMethod).
func FeaturesMethod(name string, enc encoder.Encoder, feat FeatureOptions, head HeadOptions) Method {
	return compare.FeaturesMethod(name, enc, feat, head)
}

// FineTuneMethod fine-tunes enc with opts (compare.FineTuneMethod).
func FineTuneMethod(name string, enc encoder.Encoder, opts FineTuneOptions) Method {
	return compare.FineTuneMethod(name, enc, opts)
}

// BestOnDev keeps the candidate with the best dev score: model selection on dev
// (compare.BestOnDev).
func BestOnDev(name string, candidates ...Method) Method {
	return compare.BestOnDev(name, candidates...)
}

// ReadComparison reads a comparison written by Comparison.WriteJSON (compare.ReadComparison).
func ReadComparison(path string) (*Comparison, error) { return compare.ReadComparison(path) }
