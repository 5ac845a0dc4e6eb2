package probe

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/nlp-transfer/gotl/internal/backend"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
)

// NoCache, as FeatureOptions.CacheDir, turns the feature cache off.
const NoCache = "-"

// DefaultFeatureChunk is how many texts ExtractFeatures embeds between two progress reports.
const DefaultFeatureChunk = 2048

// FeatureOptions configures ExtractFeatures. The zero value pools natively, caches under
// DefaultFeatureCacheDir and runs a new Runner with the default batching.
type FeatureOptions struct {
	// Pooling turns token states into one vector a text (encoder.PoolNative by default).
	Pooling encoder.Pooling

	// CacheDir is the folder of the feature cache: "" means DefaultFeatureCacheDir(),
	// NoCache ("-") means no cache (always run the encoder, write nothing).
	CacheDir string

	// Runner runs the encoder; nil means a new encoder.NewRunner(tlkit.Backend(), enc). Reuse one
	// Runner across calls with the same encoder to compile its graphs only once (ExtractSplits
	// does). It must run the same encoder as the one passed to ExtractFeatures.
	Runner *encoder.Runner

	// MaxBatch, when positive, caps the texts a batch (see encoder.Runner.SetBatching); it is
	// applied to the Runner (also to a given one). 0 keeps the Runner's setting.
	MaxBatch int

	// Progress, when not nil, is called after each chunk of DefaultFeatureChunk texts with
	// the number of texts embedded so far and the total; it is not called on a cache hit.
	Progress func(done, total int)
}

// DefaultFeatureCacheDir returns the feature cache folder used when FeatureOptions.CacheDir
// is "": features under data.DefaultStore().CacheDir (the repository's .cache, ignored by git).
func DefaultFeatureCacheDir() string {
	return filepath.Join(data.DefaultStore().CacheDir, "features")
}

// ExtractFeatures returns one sentence vector a text, in input order: the encoder's token
// states pooled with opts.Pooling, computed in length-bucketed batches on the backend (tlkit.Backend).
//
// The vectors are cached on disk (see FeatureOptions.CacheDir) in a file named by FeatureKey:
// a hash of the encoder's name, its current weights, its width and token limit, the pooling
// and every text. A second call with the same inputs reads the file instead of running the
// encoder; changing any text, the pooling or any weight (fine-tuning, loading other
// weights) gives another key. A cache file that is truncated or corrupt is removed and
// recomputed, never used. Files are written to a temporary file and renamed, so concurrent
// runs never see half-written files.
func ExtractFeatures(enc encoder.Encoder, texts []string, opts FeatureOptions) ([][]float32, error) {
	if len(texts) == 0 {
		return [][]float32{}, nil
	}
	dir := opts.CacheDir
	if dir == "" {
		dir = DefaultFeatureCacheDir()
	}
	var path, key string
	if dir != NoCache {
		var err error
		if key, err = FeatureKey(enc, texts, opts.Pooling); err != nil {
			return nil, err
		}
		path = filepath.Join(dir, key+featureFileExt)
		features, err := readFeatureFile(path, key, len(texts), enc.Dim())
		switch {
		case err == nil:
			return features, nil
		case !os.IsNotExist(err):
			// Corrupt, truncated or foreign: never use it, recompute it.
			_ = os.Remove(path)
		}
	}
	features, err := embedInChunks(enc, texts, opts)
	if err != nil {
		return nil, err
	}
	if path != "" {
		if err := writeFeatureFile(path, key, features, enc.Dim()); err != nil {
			return nil, fmt.Errorf("features of %s: %w", enc.Name(), err)
		}
	}
	return features, nil
}

// embedInChunks runs the encoder on texts, DefaultFeatureChunk at a time (to report
// progress), with opts' Runner and batching.
func embedInChunks(enc encoder.Encoder, texts []string, opts FeatureOptions) ([][]float32, error) {
	runner := opts.Runner
	if runner == nil {
		b, err := backend.Get()
		if err != nil {
			return nil, err
		}
		runner = encoder.NewRunner(b, enc)
	} else if runner.Encoder() != enc {
		return nil, fmt.Errorf("features of %s: FeatureOptions.Runner runs another encoder (%s)", enc.Name(), runner.Encoder().Name())
	}
	if opts.MaxBatch > 0 {
		if err := runner.SetBatching(opts.MaxBatch, encoder.DefaultLengthStep); err != nil {
			return nil, err
		}
	}
	chunk := len(texts)
	if opts.Progress != nil {
		chunk = DefaultFeatureChunk
	}
	features := make([][]float32, 0, len(texts))
	for start := 0; start < len(texts); start += chunk {
		end := min(start+chunk, len(texts))
		vectors, err := runner.Embed(texts[start:end], opts.Pooling)
		if err != nil {
			return nil, fmt.Errorf("features of %s, texts %d-%d: %w", enc.Name(), start, end-1, err)
		}
		features = append(features, vectors...)
		if opts.Progress != nil {
			opts.Progress(end, len(texts))
		}
	}
	return features, nil
}

// ExtractSplits returns the features of task's train, dev and test texts (a nil or empty
// split gives an empty slice), with one Runner for the three calls: EmbedSplits without
// chunking.
func ExtractSplits(enc encoder.Encoder, task *data.TextClassification, opts FeatureOptions) (train, dev, test [][]float32, err error) {
	x, err := EmbedSplits(enc, task, 0, opts)
	return x[0], x[1], x[2], err
}

// EmbedSplits returns the features of task's train, dev and test texts, in that order, with
// one Runner for the three calls; texts longer than chunkWords words are embedded in chunks
// when chunkWords is positive (Embed). An empty split gives an empty slice. For a
// sentence-pair task (task.IsPairs) each example's features are PairFeatures of its two
// texts' vectors.
func EmbedSplits(enc encoder.Encoder, task *data.TextClassification, chunkWords int, opts FeatureOptions) ([3][][]float32, error) {
	var x [3][][]float32
	if err := task.CheckPairs(); err != nil {
		return x, err
	}
	opts, err := WithRunner(enc, opts)
	if err != nil {
		return x, err
	}
	pairs := task.IsPairs()
	for i, s := range []struct {
		name     string
		examples []data.Example
	}{{"train", task.Train}, {"dev", task.Dev}, {"test", task.Test}} {
		if len(s.examples) == 0 {
			x[i] = [][]float32{}
			continue
		}
		if x[i], err = Embed(enc, data.Texts(s.examples), chunkWords, opts); err != nil {
			return [3][][]float32{}, fmt.Errorf("%s %s split: %w", task.Name, s.name, err)
		}
		if pairs {
			second, err := Embed(enc, data.TextsB(s.examples), chunkWords, opts)
			if err != nil {
				return [3][][]float32{}, fmt.Errorf("%s %s split, second texts: %w", task.Name, s.name, err)
			}
			if x[i], err = PairFeatures(x[i], second); err != nil {
				return [3][][]float32{}, fmt.Errorf("%s %s split: %w", task.Name, s.name, err)
			}
		}
	}
	return x, nil
}

// WithRunner returns opts with a Runner of enc on the default backend when it has none, so
// that several extractions with the same encoder compile its graphs once.
func WithRunner(enc encoder.Encoder, opts FeatureOptions) (FeatureOptions, error) {
	if opts.Runner == nil {
		b, err := backend.Get()
		if err != nil {
			return opts, err
		}
		opts.Runner = encoder.NewRunner(b, enc)
	}
	return opts, nil
}
