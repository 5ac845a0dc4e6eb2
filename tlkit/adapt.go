package tlkit

import (
	"fmt"
	"time"

	"github.com/nlp-transfer/gotl/tlkit/metrics"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/adapt"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
)

// AdaptOptions configures AdaptDomain. Start from DefaultAdaptOptions.
type AdaptOptions struct {
	// Adapt configures the adaptable network and its training (tlkit/adapt): the method,
	// widths, adaptation weight, MMD kernel, steps, model selection, seed.
	Adapt adapt.Options
	// Features configures the frozen features (pooling, cache); ChunkWords > 0 embeds each
	// text in chunks of at most that many words and averages them (ExtractChunkedFeatures),
	// for texts longer than the encoder reads; 0 embeds each text whole.
	Features   FeatureOptions
	ChunkWords int
	// TargetLabels are the labels of the target texts, read by adapt.TargetOracle only.
	TargetLabels []int
	// MeasurePAD computes the proxy A-distance between the source training and the target
	// vectors before (encoder features) and after adaptation (the adapted feature layer).
	MeasurePAD bool
	PAD        adapt.PADOptions
}

// DefaultAdaptOptions returns adapt.DefaultOptions(method), native pooling with the default
// cache, texts embedded in chunks of DefaultChunkWords words (a short text is one chunk),
// and the proxy A-distance measured.
func DefaultAdaptOptions(method adapt.Method) AdaptOptions {
	return AdaptOptions{Adapt: adapt.DefaultOptions(method), ChunkWords: DefaultChunkWords, MeasurePAD: true}
}

// AdaptResult is the outcome of AdaptDomain.
type AdaptResult struct {
	// Model is the trained adaptable network (on the encoder's features).
	Model *adapt.Model
	// SourceDevAccuracy is the accuracy on the source's Dev split (NaN without one).
	SourceDevAccuracy float64
	// PADBefore and PADAfter are the proxy A-distances between the source training vectors
	// and the target vectors: of the encoder's features and of the adapted feature layer
	// (nil unless AdaptOptions.MeasurePAD).
	PADBefore, PADAfter *adapt.PAD
	// Elapsed is the wall time of AdaptDomain, feature extraction included.
	Elapsed time.Duration

	enc  encoder.Encoder
	opts AdaptOptions
}

// Features returns the frozen encoder features of texts, as AdaptDomain computed them
// (same pooling, chunking and cache).
func (r *AdaptResult) Features(texts []string) ([][]float32, error) {
	return adaptFeatures(r.enc, texts, r.opts)
}

// Predict returns the adapted classifier's label for each text.
func (r *AdaptResult) Predict(texts []string) ([]int, error) {
	x, err := r.Features(texts)
	if err != nil {
		return nil, err
	}
	return r.Model.Predict(x)
}

// Accuracy returns the accuracy of Predict on examples (e.g. the target's test examples).
func (r *AdaptResult) Accuracy(examples []data.Example) (float64, error) {
	if len(examples) == 0 {
		return 0, fmt.Errorf("adapted model: accuracy of no examples")
	}
	pred, err := r.Predict(data.Texts(examples))
	if err != nil {
		return 0, err
	}
	return metrics.Accuracy(pred, data.Labels(examples)), nil
}

// adaptFeatures embeds texts with enc as opts says (whole or chunked).
func adaptFeatures(enc encoder.Encoder, texts []string, opts AdaptOptions) ([][]float32, error) {
	if opts.ChunkWords > 0 {
		return ExtractChunkedFeatures(enc, texts, opts.ChunkWords, opts.Features)
	}
	return ExtractFeatures(enc, texts, opts.Features)
}

// AdaptDomain adapts a classifier from a labelled source domain to an unlabelled target
// domain on top of the frozen encoder enc: it extracts (disk-cached) features of
// source.Train, source.Dev and targetTexts, and trains the adaptable network of
// opts.Adapt.Method (package tlkit/adapt: DANN, MMD, CORAL, or the references SourceOnly and
// TargetOracle) on source.Train's labels and the unlabelled target features. No target label
// is read, except opts.TargetLabels by the oracle. Model selection uses source.Dev or a
// fixed step count (opts.Adapt.Select).
func AdaptDomain(enc encoder.Encoder, source *data.TextClassification, targetTexts []string, opts AdaptOptions) (*AdaptResult, error) {
	start := time.Now()
	switch {
	case source == nil || len(source.Train) == 0:
		return nil, fmt.Errorf("AdaptDomain: the source domain has no training examples")
	case len(targetTexts) == 0 && opts.Adapt.Method != adapt.SourceOnly:
		return nil, fmt.Errorf("AdaptDomain: %s needs unlabelled target texts", opts.Adapt.Method)
	case opts.Adapt.Method == adapt.TargetOracle && len(opts.TargetLabels) != len(targetTexts):
		return nil, fmt.Errorf("AdaptDomain: the target oracle needs AdaptOptions.TargetLabels, one a target text (%d for %d)",
			len(opts.TargetLabels), len(targetTexts))
	}
	if opts.Features.Runner == nil {
		backend, err := Backend()
		if err != nil {
			return nil, err
		}
		opts.Features.Runner = encoder.NewRunner(backend, enc)
	}
	sourceX, err := adaptFeatures(enc, data.Texts(source.Train), opts)
	if err != nil {
		return nil, fmt.Errorf("AdaptDomain: %s train: %w", source.Name, err)
	}
	var devX [][]float32
	if len(source.Dev) > 0 {
		if devX, err = adaptFeatures(enc, data.Texts(source.Dev), opts); err != nil {
			return nil, fmt.Errorf("AdaptDomain: %s dev: %w", source.Name, err)
		}
	}
	var targetX [][]float32
	if len(targetTexts) > 0 {
		if targetX, err = adaptFeatures(enc, targetTexts, opts); err != nil {
			return nil, fmt.Errorf("AdaptDomain: target texts: %w", err)
		}
	}
	d := adapt.Data{SourceX: sourceX, SourceY: data.Labels(source.Train), SourceDevX: devX, SourceDevY: data.Labels(source.Dev),
		TargetX: targetX, NumClasses: len(source.Labels)}
	if opts.Adapt.Method == adapt.TargetOracle {
		d.TargetY = opts.TargetLabels
	}
	m, err := adapt.Train(d, opts.Adapt)
	if err != nil {
		return nil, fmt.Errorf("AdaptDomain %s: %w", source.Name, err)
	}
	r := &AdaptResult{Model: m, SourceDevAccuracy: m.SourceDevAccuracy, enc: enc, opts: opts}
	if opts.MeasurePAD && len(targetX) > 0 {
		if r.PADBefore, err = adapt.ProxyADistance(sourceX, targetX, opts.PAD); err != nil {
			return nil, fmt.Errorf("AdaptDomain: %w", err)
		}
		hs, err := m.Features(sourceX)
		if err != nil {
			return nil, err
		}
		ht, err := m.Features(targetX)
		if err != nil {
			return nil, err
		}
		if r.PADAfter, err = adapt.ProxyADistance(hs, ht, opts.PAD); err != nil {
			return nil, fmt.Errorf("AdaptDomain: %w", err)
		}
	}
	r.Elapsed = time.Since(start)
	return r, nil
}

// DomainFeatures returns the frozen features of task's three splits as an adapt.Domain (for
// adapt.RunBenchmark), embedded as opts says (pooling, cache, ChunkWords), with the labels.
func DomainFeatures(enc encoder.Encoder, task *data.TextClassification, opts AdaptOptions) (*adapt.Domain, error) {
	if opts.Features.Runner == nil {
		backend, err := Backend()
		if err != nil {
			return nil, err
		}
		opts.Features.Runner = encoder.NewRunner(backend, enc)
	}
	d := &adapt.Domain{Name: task.Name, TrainY: data.Labels(task.Train), DevY: data.Labels(task.Dev), TestY: data.Labels(task.Test)}
	for _, s := range []struct {
		name     string
		examples []data.Example
		out      *[][]float32
	}{{"train", task.Train, &d.Train}, {"dev", task.Dev, &d.Dev}, {"test", task.Test, &d.Test}} {
		x, err := adaptFeatures(enc, data.Texts(s.examples), opts)
		if err != nil {
			return nil, fmt.Errorf("features of %s %s: %w", task.Name, s.name, err)
		}
		*s.out = x
	}
	return d, nil
}
