package meta

import (
	"fmt"
	"time"

	"github.com/gomlx/compute"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/internal/backend"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/probe"
	"github.com/nlp-transfer/gotl/tlkit/train"
)

// Run runs a few-shot experiment on frozen features of enc, on the process-wide backend
// (tlkit.Backend): it extracts the features of source and of every opts.Targets dataset
// (probe.ExtractFeatures, disk-cached), splits the intents of source into meta-train,
// meta-validation and meta-test intents (by domain, or by intent for a source of fewer
// than 4 domains; see Options.TestDomains), trains every method on episodes of the
// meta-train intents (Train: model selection on the meta-validation ones, restoring
// checkpointed methods) and scores every method on the same episodes of the meta-test
// intents and of each target (all its intents: a cross-dataset test).
//
// Scores are saved under opts.CheckpointDir too: a second identical Run reads them instead
// of evaluating. The same options give the same numbers.
func Run(enc encoder.Encoder, source *data.IntentClassification, opts Options) (*Result, error) {
	if enc == nil || source == nil {
		return nil, fmt.Errorf("meta.Run: no encoder or no source dataset")
	}
	if err := opts.check(); err != nil {
		return nil, fmt.Errorf("meta.Run: %w", err)
	}
	b, err := backend.Get()
	if err != nil {
		return nil, err
	}
	datasets, err := featureDatasets(b, enc, append([]*data.IntentClassification{source}, opts.Targets...), opts)
	if err != nil {
		return nil, fmt.Errorf("meta.Run: %w", err)
	}
	res := &Result{Spec: opts.Spec, Source: datasets[0], Methods: opts.Methods}
	if res.Split, err = splitSource(res.Source, opts); err != nil {
		return nil, fmt.Errorf("meta.Run: %w", err)
	}
	if res.Tests, err = testSets(datasets, res.Split, opts); err != nil {
		return nil, fmt.Errorf("meta.Run: %w", err)
	}
	testKeys := make([]string, len(res.Tests))
	for i, t := range res.Tests {
		testKeys[i] = t.key()
	}
	progress := opts.Progress
	if progress == nil {
		progress = train.AutoProgress()
	}
	for _, m := range opts.Methods {
		cfg := opts.config(m, progress)
		start := time.Now()
		l, err := Train(b, res.Source, res.Split, cfg)
		if err != nil {
			return nil, fmt.Errorf("meta.Run: %w", err)
		}
		res.Learners = append(res.Learners, l)
		res.Seconds = append(res.Seconds, time.Since(start).Seconds())
		if opts.TestEpisodes == 0 {
			continue
		}
		for i := range res.Tests {
			t := &res.Tests[i]
			score, err := evaluateSaved(l, t.Sampler, testKeys[i], opts)
			if err != nil {
				return nil, fmt.Errorf("meta.Run: %s on %s: %w", m, t.Name, err)
			}
			t.Scores = append(t.Scores, score)
		}
	}
	return res, nil
}

// featureDatasets returns the Dataset of each intent dataset (opts.PerClass examples a
// class) with its features from enc, extracted with opts.Features (a new Runner on b, shared
// by every dataset, when it has none).
func featureDatasets(b compute.Backend, enc encoder.Encoder, intents []*data.IntentClassification, opts Options) ([]*Dataset, error) {
	fopts := opts.Features
	if fopts.Runner == nil {
		fopts.Runner = encoder.NewRunner(b, enc)
	}
	datasets := make([]*Dataset, 0, len(intents))
	for _, d := range intents {
		ds, err := FromIntents(d, opts.PerClass)
		if err != nil {
			return nil, err
		}
		features, err := probe.ExtractFeatures(enc, ds.Texts, fopts)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", d.Name, err)
		}
		if err := ds.SetFeatures(features); err != nil {
			return nil, err
		}
		datasets = append(datasets, ds)
	}
	return datasets, nil
}

// splitSource splits the classes of source as Options.TestDomains says.
func splitSource(source *Dataset, opts Options) (Split, error) {
	switch n := len(source.Classes); {
	case opts.TestDomains != nil:
		return DomainSplit(source, opts.ValDomains, opts.TestDomains)
	case len(source.Domains()) >= 4:
		return RandomDomainSplit(source, 2, 3, splitSeed)
	default:
		// At least Ways classes each, so that episodes can be drawn (16 FewRel relations: 5, 5, 6).
		return ClassSplit(source, max(opts.Spec.Ways, n/5), max(opts.Spec.Ways, n*3/10), splitSeed)
	}
}

// testSets returns the test sets, without scores: the meta-test classes of datasets[0]
// (split's Test), then every class of each other dataset, each with episodes of shape
// opts.Spec seeded with opts.Seed+1000.
func testSets(datasets []*Dataset, split Split, opts Options) ([]Test, error) {
	seed := opts.Seed + 1000
	source := datasets[0]
	sampler, err := NewSampler(source, split.Test, opts.Spec, seed)
	if err != nil {
		return nil, fmt.Errorf("meta-test episodes: %w", err)
	}
	name := source.Name + " unseen domains"
	if split.TestDomains == nil {
		name = source.Name + " unseen intents"
	}
	tests := []Test{{Name: name, Sampler: sampler}}
	for _, ds := range datasets[1:] {
		sampler, err := NewSampler(ds, ds.AllClasses(), opts.Spec, seed)
		if err != nil {
			return nil, fmt.Errorf("%s episodes: %w", ds.Name, err)
		}
		tests = append(tests, Test{Name: ds.Name, Sampler: sampler})
	}
	return tests, nil
}
