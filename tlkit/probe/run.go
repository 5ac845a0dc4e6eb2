package probe

import (
	"fmt"
	"math"
	"time"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/metrics"
)

// Options configures Run. Start from DefaultOptions.
type Options struct {
	// Features configures the frozen features: pooling, cache, runner.
	Features FeatureOptions
	// ChunkWords > 0 embeds each text in chunks of at most that many words and averages the
	// chunks' vectors (ExtractChunkedFeatures), for texts longer than the encoder reads; 0
	// embeds each text whole (ExtractFeatures).
	ChunkWords int
	// Head configures the classifier on the features (NumClasses 0: the task's labels).
	Head HeadOptions
}

// DefaultOptions returns native pooling with the default cache, texts embedded whole, and
// DefaultHeadOptions (logistic regression on standardized features).
func DefaultOptions() Options {
	return Options{Head: DefaultHeadOptions()}
}

// Result is the outcome of Run.
type Result struct {
	// Head is the trained classifier.
	Head *Head
	// DevAccuracy is the dev accuracy of the kept head (NaN without a dev split).
	DevAccuracy float64
	// TestPred holds the predicted label of each test example (nil without a test split),
	// TestAccuracy and TestMacroF1 their scores (NaN without a test split).
	TestPred                  []int
	TestAccuracy, TestMacroF1 float64
	// Elapsed is the wall time of Run, feature extraction included.
	Elapsed time.Duration

	enc  encoder.Encoder
	opts Options
}

// Features returns the frozen features of texts, as Run computed them.
func (r *Result) Features(texts []string) ([][]float32, error) {
	return Embed(r.enc, texts, r.opts.ChunkWords, r.opts.Features)
}

// Predict returns the head's label for each text.
func (r *Result) Predict(texts []string) ([]int, error) {
	x, err := r.Features(texts)
	if err != nil {
		return nil, err
	}
	return r.Head.Predict(x)
}

// Embed returns one frozen feature vector a text: ExtractChunkedFeatures with chunkWords
// when it is positive, else ExtractFeatures.
func Embed(enc encoder.Encoder, texts []string, chunkWords int, opts FeatureOptions) ([][]float32, error) {
	if chunkWords > 0 {
		return ExtractChunkedFeatures(enc, texts, chunkWords, opts)
	}
	return ExtractFeatures(enc, texts, opts)
}

// Run is feature extraction as a method: it embeds task's train, dev and test texts with the
// frozen encoder enc (disk-cached), trains a head on the training features with early
// stopping on dev (TrainHead), and scores it on test. enc is not changed.
func Run(enc encoder.Encoder, task *data.TextClassification, opts Options) (*Result, error) {
	start := time.Now()
	if task == nil || len(task.Train) == 0 {
		return nil, fmt.Errorf("probe.Run: the task has no training examples")
	}
	var err error
	if opts.Features, err = WithRunner(enc, opts.Features); err != nil {
		return nil, err
	}
	x, err := EmbedSplits(enc, task, opts.ChunkWords, opts.Features)
	if err != nil {
		return nil, fmt.Errorf("probe.Run: %w", err)
	}
	head := opts.Head
	if head.NumClasses == 0 {
		head.NumClasses = len(task.Labels)
	}
	h, err := TrainHead(x[0], data.Labels(task.Train), x[1], data.Labels(task.Dev), head)
	if err != nil {
		return nil, fmt.Errorf("probe.Run %s: %w", task.Name, err)
	}
	r := &Result{Head: h, DevAccuracy: h.DevAccuracy, TestAccuracy: math.NaN(), TestMacroF1: math.NaN(), enc: enc, opts: opts}
	if len(task.Test) > 0 {
		if r.TestPred, err = h.Predict(x[2]); err != nil {
			return nil, fmt.Errorf("probe.Run %s: %w", task.Name, err)
		}
		gold := data.Labels(task.Test)
		r.TestAccuracy = metrics.Accuracy(r.TestPred, gold)
		r.TestMacroF1 = metrics.Classification(r.TestPred, gold, head.NumClasses).MacroF1
	}
	r.Elapsed = time.Since(start)
	return r, nil
}
