package compare

import (
	"fmt"
	"math"
	"path/filepath"
	"sync"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/internal/cachefile"
	"github.com/nlp-transfer/gotl/tlkit/bow"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/finetune"
	"github.com/nlp-transfer/gotl/tlkit/metrics"
	"github.com/nlp-transfer/gotl/tlkit/probe"
)

// FeaturesMethod returns a Method that trains a head (TrainHead with head, its Seed set to
// the run's seed) on enc's frozen features (ExtractFeatures with feat); for a sentence-pair
// task, on the PairFeatures [u, v, |u−v|, u⊙v] of its two texts. The method keeps
// every vector it has computed, by text, so that the runs of a Sweep embed each text once;
// ExtractFeatures' disk cache serves later calls with the same texts.
func FeaturesMethod(name string, enc encoder.Encoder, feat probe.FeatureOptions, head probe.HeadOptions) Method {
	memo := &featureMemo{enc: enc, opts: feat, vectors: map[string][]float32{}}
	return Method{Name: name, Run: func(task *data.TextClassification, seed int64) (Outcome, error) {
		if err := memo.fill(task); err != nil {
			return Outcome{}, err
		}
		h, err := probe.TrainHead(memo.get(task.Train), data.Labels(task.Train), memo.get(task.Dev), data.Labels(task.Dev), runHead(head, task, seed))
		if err != nil {
			return Outcome{}, err
		}
		return headOutcome(h, memo.get(task.Test))
	}}
}

// runHead returns head for one run: its Seed the run's seed, its NumClasses (when 0) the
// task's number of labels.
func runHead(head probe.HeadOptions, task *data.TextClassification, seed int64) probe.HeadOptions {
	head.Seed = uint64(seed)
	if head.NumClasses == 0 {
		head.NumClasses = len(task.Labels)
	}
	return head
}

// headOutcome predicts testX with h: labels, probabilities and h's dev score (DevScore).
func headOutcome(h *probe.Head, testX [][]float32) (Outcome, error) {
	probs, err := h.Probabilities(testX)
	if err != nil {
		return Outcome{}, err
	}
	out := Outcome{TestPred: metrics.ArgmaxRows(probs), TestProbs: probs}
	if !math.IsNaN(h.DevScore) {
		out.Dev = h.DevScore // the score the head was selected on, so BestOnDev selects on it too
	}
	return out, nil
}

// BagOfWordsMethod returns a Method without pretraining: a head (TrainHead with head, its
// Seed set to the run's seed) on TF-IDF vectors (bow.Fit with opts on the run's training
// texts only, then applied to dev and test); for a sentence-pair task, on the PairFeatures of
// its two texts' vectors (fitted on both texts of the training pairs), four times as wide, so
// give pairs a smaller opts.MaxFeatures. Give head Standardize false: the vectors are already
// L2-normalised and sparse.
func BagOfWordsMethod(name string, opts bow.Options, head probe.HeadOptions) Method {
	return Method{Name: name, Run: func(task *data.TextClassification, seed int64) (Outcome, error) {
		if err := task.CheckPairs(); err != nil {
			return Outcome{}, err
		}
		pairs := task.IsPairs()
		fitTexts := data.Texts(task.Train)
		if pairs {
			fitTexts = append(fitTexts, data.TextsB(task.Train)...)
		}
		v, err := bow.Fit(fitTexts, opts)
		if err != nil {
			return Outcome{}, fmt.Errorf("%s: %w", task.Name, err)
		}
		features := func(examples []data.Example) ([][]float32, error) {
			x := v.Transform(data.Texts(examples))
			if !pairs {
				return x, nil
			}
			return probe.PairFeatures(x, v.Transform(data.TextsB(examples)))
		}
		var x [3][][]float32
		for i, split := range [][]data.Example{task.Train, task.Dev, task.Test} {
			if x[i], err = features(split); err != nil {
				return Outcome{}, fmt.Errorf("%s: %w", task.Name, err)
			}
		}
		h, err := probe.TrainHead(x[0], data.Labels(task.Train), x[1], data.Labels(task.Dev), runHead(head, task, seed))
		if err != nil {
			return Outcome{}, err
		}
		return headOutcome(h, x[2])
	}}
}

// featureMemo keeps the feature vectors of an encoder by text.
type featureMemo struct {
	enc     encoder.Encoder
	opts    probe.FeatureOptions
	mu      sync.Mutex
	vectors map[string][]float32
}

// fill computes the vectors of task's texts that the memo lacks.
func (m *featureMemo) fill(task *data.TextClassification) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	opts, err := probe.WithRunner(m.enc, m.opts)
	if err != nil {
		return err
	}
	m.opts = opts
	var missing []string
	seen := map[string]bool{}
	if err := task.CheckPairs(); err != nil {
		return err
	}
	for _, ex := range task.All() {
		for _, text := range []string{ex.Text, ex.TextB} {
			if _, ok := m.vectors[text]; !ok && !seen[text] && text != "" {
				seen[text] = true
				missing = append(missing, text)
			}
		}
	}
	if len(missing) == 0 {
		return nil
	}
	vectors, err := probe.ExtractFeatures(m.enc, missing, m.opts)
	if err != nil {
		return fmt.Errorf("features of %s: %w", task.Name, err)
	}
	for i, text := range missing {
		m.vectors[text] = vectors[i]
	}
	return nil
}

// get returns the vectors of examples (all present after fill): the pair features of the two
// texts for pairs.
func (m *featureMemo) get(examples []data.Example) [][]float32 {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([][]float32, len(examples))
	for i, ex := range examples {
		out[i] = m.vectors[ex.Text]
		if ex.TextB != "" {
			// Both vectors come from one encoder, so they have one width.
			pair, _ := probe.PairFeatures([][]float32{out[i]}, [][]float32{m.vectors[ex.TextB]})
			out[i] = pair[0]
		}
	}
	return out
}

// FineTuneMethod returns a Method that fine-tunes enc (FineTune with opts, its Seed set to
// the run's seed). Each run checkpoints into its own folder, named by the method, the
// training data and the seed, under opts.CheckpointDir ("": the cache's finetune/compare
// folder), so an interrupted run resumes (opts.Resume) without mixing runs.
func FineTuneMethod(name string, enc encoder.Encoder, opts finetune.Options) Method {
	return Method{Name: name, Run: func(task *data.TextClassification, seed int64) (Outcome, error) {
		o := opts
		o.Seed = uint64(seed)
		if !o.NoCheckpoint {
			base := o.CheckpointDir
			if base == "" {
				base = filepath.Join(data.DefaultStore().CacheDir, "finetune", "compare")
			}
			o.CheckpointDir = filepath.Join(base, cachefile.Name(name), fmt.Sprintf("%s-%.16s-seed%d", cachefile.Name(task.Name), taskFingerprint(task), seed))
		}
		res, err := finetune.Run(enc, task, o)
		if err != nil {
			return Outcome{}, err
		}
		out := Outcome{TestPred: res.TestPredictions, TestProbs: res.TestProbabilities}
		if !math.IsNaN(res.DevAccuracy) {
			out.Dev = res.DevAccuracy
		}
		return out, nil
	}}
}

// BestOnDev returns a Method named name that runs every candidate with the run's task and
// seed and keeps the outcome of the highest Outcome.Dev (the first one on ties): model
// selection on the dev split, e.g. of the learning rate, with the test predictions of the
// chosen candidate only. The returned Outcome.Dev is the best dev score. Every candidate
// needs a dev score, so the task must have a Dev split; give candidates distinct names
// (FineTuneMethod folders its checkpoints by name).
func BestOnDev(name string, candidates ...Method) Method {
	return Method{Name: name, Run: func(task *data.TextClassification, seed int64) (Outcome, error) {
		if len(candidates) == 0 {
			return Outcome{}, fmt.Errorf("method %q: BestOnDev needs at least one candidate", name)
		}
		if len(task.Dev) == 0 {
			return Outcome{}, fmt.Errorf("method %q: BestOnDev selects on the dev split, and task %q has none", name, task.Name)
		}
		var best Outcome
		for i, c := range candidates {
			out, err := c.Run(task, seed)
			if err != nil {
				return Outcome{}, fmt.Errorf("method %q, candidate %q: %w", name, c.Name, err)
			}
			if i == 0 || out.Dev > best.Dev {
				best = out
			}
		}
		return best, nil
	}}
}
