package adapt

import (
	"fmt"
	"time"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/metrics"
	"github.com/nlp-transfer/gotl/tlkit/probe"
)

// Options configures Run: the adaptable network on top of a frozen encoder's features. Start
// from DefaultOptions.
type Options struct {
	// Train configures the adaptable network and its training (Train): the method, widths,
	// adaptation weight, MMD kernel, steps, model selection, seed.
	Train TrainOptions
	// Features configures the frozen features (pooling, cache); ChunkWords > 0 embeds each
	// text in chunks of at most that many words and averages them
	// (probe.ExtractChunkedFeatures), for texts longer than the encoder reads; 0 embeds each
	// text whole.
	Features   probe.FeatureOptions
	ChunkWords int
	// TargetLabels are the labels of the target texts, read by TargetOracle only.
	TargetLabels []int
	// MeasurePAD computes the proxy A-distance between the source training and the target
	// vectors before (encoder features) and after adaptation (the adapted feature layer).
	MeasurePAD bool
	PAD        PADOptions
}

// DefaultOptions returns DefaultTrainOptions(method), native pooling with the default cache,
// texts embedded in chunks of probe.DefaultChunkWords words (a short text is one chunk), and
// the proxy A-distance measured.
func DefaultOptions(method Method) Options {
	return Options{Train: DefaultTrainOptions(method), ChunkWords: probe.DefaultChunkWords, MeasurePAD: true}
}

// Result is the outcome of Run.
type Result struct {
	// Model is the trained adaptable network (on the encoder's features).
	Model *Model
	// SourceDevAccuracy is the accuracy on the source's Dev split (NaN without one).
	SourceDevAccuracy float64
	// PADBefore and PADAfter are the proxy A-distances between the source training vectors
	// and the target vectors: of the encoder's features and of the adapted feature layer
	// (nil unless Options.MeasurePAD).
	PADBefore, PADAfter *PAD
	// Elapsed is the wall time of Run, feature extraction included.
	Elapsed time.Duration

	enc  encoder.Encoder
	opts Options
}

// Features returns the frozen encoder features of texts, as Run computed them (same
// pooling, chunking and cache).
func (r *Result) Features(texts []string) ([][]float32, error) {
	return features(r.enc, texts, r.opts)
}

// Predict returns the adapted classifier's label for each text.
func (r *Result) Predict(texts []string) ([]int, error) {
	x, err := r.Features(texts)
	if err != nil {
		return nil, err
	}
	return r.Model.Predict(x)
}

// Accuracy returns the accuracy of Predict on examples (e.g. the target's test examples).
func (r *Result) Accuracy(examples []data.Example) (float64, error) {
	if len(examples) == 0 {
		return 0, fmt.Errorf("adapted model: accuracy of no examples")
	}
	pred, err := r.Predict(data.Texts(examples))
	if err != nil {
		return 0, err
	}
	return metrics.Accuracy(pred, data.Labels(examples)), nil
}

// features embeds texts with enc as opts says (whole or chunked).
func features(enc encoder.Encoder, texts []string, opts Options) ([][]float32, error) {
	return probe.Embed(enc, texts, opts.ChunkWords, opts.Features)
}

// withRunner returns opts with a Runner of enc on the default backend when it has none, so
// that every call of one Run or DomainFeatures compiles the encoder's graphs once.
func withRunner(enc encoder.Encoder, opts Options) (Options, error) {
	var err error
	opts.Features, err = probe.WithRunner(enc, opts.Features)
	return opts, err
}

// Run adapts a classifier from a labelled source domain to an unlabelled target domain on
// top of the frozen encoder enc: it extracts (disk-cached) features of source.Train,
// source.Dev and targetTexts, and trains the adaptable network of opts.Train.Method (DANN,
// MMD, CORAL, or the references SourceOnly and TargetOracle) on source.Train's labels and the
// unlabelled target features (Train). No target label is read, except opts.TargetLabels by
// the oracle. Model selection uses source.Dev or a fixed step count (opts.Train.Select).
func Run(enc encoder.Encoder, source *data.TextClassification, targetTexts []string, opts Options) (*Result, error) {
	start := time.Now()
	switch {
	case source == nil || len(source.Train) == 0:
		return nil, fmt.Errorf("adapt.Run: the source domain has no training examples")
	case len(targetTexts) == 0 && opts.Train.Method != SourceOnly:
		return nil, fmt.Errorf("adapt.Run: %s needs unlabelled target texts", opts.Train.Method)
	case opts.Train.Method == TargetOracle && len(opts.TargetLabels) != len(targetTexts):
		return nil, fmt.Errorf("adapt.Run: the target oracle needs Options.TargetLabels, one a target text (%d for %d)",
			len(opts.TargetLabels), len(targetTexts))
	}
	opts, err := withRunner(enc, opts)
	if err != nil {
		return nil, err
	}
	sourceX, err := features(enc, data.Texts(source.Train), opts)
	if err != nil {
		return nil, fmt.Errorf("adapt.Run: %s train: %w", source.Name, err)
	}
	var devX [][]float32
	if len(source.Dev) > 0 {
		if devX, err = features(enc, data.Texts(source.Dev), opts); err != nil {
			return nil, fmt.Errorf("adapt.Run: %s dev: %w", source.Name, err)
		}
	}
	var targetX [][]float32
	if len(targetTexts) > 0 {
		if targetX, err = features(enc, targetTexts, opts); err != nil {
			return nil, fmt.Errorf("adapt.Run: target texts: %w", err)
		}
	}
	d := Data{SourceX: sourceX, SourceY: data.Labels(source.Train), SourceDevX: devX, SourceDevY: data.Labels(source.Dev),
		TargetX: targetX, NumClasses: len(source.Labels)}
	if opts.Train.Method == TargetOracle {
		d.TargetY = opts.TargetLabels
	}
	m, err := Train(d, opts.Train)
	if err != nil {
		return nil, fmt.Errorf("adapt.Run %s: %w", source.Name, err)
	}
	r := &Result{Model: m, SourceDevAccuracy: m.SourceDevAccuracy, enc: enc, opts: opts}
	if opts.MeasurePAD && len(targetX) > 0 {
		if r.PADBefore, err = ProxyADistance(sourceX, targetX, opts.PAD); err != nil {
			return nil, fmt.Errorf("adapt.Run: %w", err)
		}
		hs, err := m.Features(sourceX)
		if err != nil {
			return nil, err
		}
		ht, err := m.Features(targetX)
		if err != nil {
			return nil, err
		}
		if r.PADAfter, err = ProxyADistance(hs, ht, opts.PAD); err != nil {
			return nil, fmt.Errorf("adapt.Run: %w", err)
		}
	}
	r.Elapsed = time.Since(start)
	return r, nil
}

// DomainFeatures returns the frozen features of task's three splits as a Domain (for
// RunBenchmark), embedded as opts says (pooling, cache, ChunkWords), with the labels.
func DomainFeatures(enc encoder.Encoder, task *data.TextClassification, opts Options) (*Domain, error) {
	x, err := probe.EmbedSplits(enc, task, opts.ChunkWords, opts.Features)
	if err != nil {
		return nil, fmt.Errorf("features of %w", err)
	}
	d := &Domain{Name: task.Name, Train: x[0], Dev: x[1], Test: x[2],
		TrainY: data.Labels(task.Train), DevY: data.Labels(task.Dev), TestY: data.Labels(task.Test)}
	return d, nil
}
