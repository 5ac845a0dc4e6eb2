package tlkit

import (
	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/probe"
)

// Feature extraction lives in package tlkit/probe; these are its facade.

// NoCache, as FeatureOptions.CacheDir, turns the feature cache off (probe.NoCache).
const NoCache = probe.NoCache

// DefaultChunkWords is the chunk size of ExtractChunkedFeatures (probe.DefaultChunkWords).
const DefaultChunkWords = probe.DefaultChunkWords

// FeatureOptions configures ExtractFeatures (probe.FeatureOptions).
type FeatureOptions = probe.FeatureOptions

// HeadOptions configures TrainHead (probe.HeadOptions).
type HeadOptions = probe.HeadOptions

// HeadKind chooses the classifier on fixed features (probe.HeadKind).
type HeadKind = probe.HeadKind

// The heads TrainHead trains: logistic regression and a one-hidden-layer MLP.
const (
	HeadLogistic = probe.HeadLogistic
	HeadMLP      = probe.HeadMLP
)

// Head is a classifier trained on fixed feature vectors (probe.Head).
type Head = probe.Head

// DefaultHeadOptions returns probe.DefaultHeadOptions().
func DefaultHeadOptions() HeadOptions { return probe.DefaultHeadOptions() }

// TrainHead trains a classifier on fixed features with early stopping on dev (probe.TrainHead).
func TrainHead(trainX [][]float32, trainY []int, devX [][]float32, devY []int, opts HeadOptions) (*Head, error) {
	return probe.TrainHead(trainX, trainY, devX, devY, opts)
}

// ExtractFeatures returns one disk-cached sentence vector a text (probe.ExtractFeatures).
func ExtractFeatures(enc encoder.Encoder, texts []string, opts FeatureOptions) ([][]float32, error) {
	return probe.ExtractFeatures(enc, texts, opts)
}

// ExtractSplits returns the features of task's train, dev and test texts (probe.ExtractSplits).
func ExtractSplits(enc encoder.Encoder, task *data.TextClassification, opts FeatureOptions) (train, dev, test [][]float32, err error) {
	return probe.ExtractSplits(enc, task, opts)
}

// ExtractChunkedFeatures embeds long texts in chunks of at most maxWords words and averages
// the chunks' vectors (probe.ExtractChunkedFeatures).
func ExtractChunkedFeatures(enc encoder.Encoder, texts []string, maxWords int, opts FeatureOptions) ([][]float32, error) {
	return probe.ExtractChunkedFeatures(enc, texts, maxWords, opts)
}

// ProbeOptions configures Probe (probe.Options).
type ProbeOptions = probe.Options

// ProbeResult is the outcome of Probe (probe.Result).
type ProbeResult = probe.Result

// DefaultProbeOptions returns probe.DefaultOptions().
func DefaultProbeOptions() ProbeOptions { return probe.DefaultOptions() }

// Probe is feature extraction as one call (probe.Run): frozen features of task's splits, a
// head trained on them with early stopping on dev, scores on test.
func Probe(enc encoder.Encoder, task *data.TextClassification, opts ProbeOptions) (*ProbeResult, error) {
	return probe.Run(enc, task, opts)
}
