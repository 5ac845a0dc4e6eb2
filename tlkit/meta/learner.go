package meta

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/nlp-transfer/gotl/tlkit/metrics"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/nlp-transfer/gotl/tlkit/train"
)

// Learner is a few-shot classifier: a baseline, or a meta-trained method with its weights.
// Given an episode's support set it classifies the episode's queries (Predict), and it is
// scored over many episodes (Evaluate).
type Learner struct {
	// Config is the configuration it was built with.
	Config Config
	// History is the meta-training history (training loss per step, meta-validation
	// accuracy per evaluation); nil for the baselines.
	History *train.History
	// Dim is the width of the features it takes.
	Dim int

	scaling train.Standardizer // From the meta-train features.
	key     string             // Identifies the configuration and the data it was built from.
	backend compute.Backend
	store   *model.Store
	predict *model.Exec
}

// Prediction is a Learner's output on the queries of one episode.
type Prediction struct {
	// Labels holds the predicted way of each query.
	Labels []int
	// Probs holds each query's probability of each way.
	Probs [][]float32
}

// Accuracy returns the fraction of the episode's queries predicted right.
func (p Prediction) Accuracy(e Episode) float64 {
	right := 0
	for i, y := range e.QueryLabels {
		if p.Labels[i] == y {
			right++
		}
	}
	return float64(right) / float64(len(e.QueryLabels))
}

// Train builds the Learner of cfg on ds: it standardizes the features with the statistics
// of the meta-train classes, then, for the meta-learned methods, meta-trains on episodes of
// the split's meta-train classes (shape cfg.Spec, drawn with cfg.Seed) on backend, keeping
// the weights with the best accuracy on cfg.ValEpisodes meta-validation episodes (seed
// cfg.Seed+1). The baselines need no training. Same data, configuration and seed give
// bit-identical weights.
func Train(backend compute.Backend, ds *Dataset, split Split, cfg Config) (*Learner, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	if ds.Dim() == 0 {
		return nil, fmt.Errorf("meta: %s has no features: call SetFeatures first", ds.Name)
	}
	if err := split.Check(ds); err != nil {
		return nil, err
	}
	l := &Learner{Config: cfg, Dim: ds.Dim(), backend: backend}
	l.fitStandardization(ds, split.Train)
	key, err := trainingKey(ds, split, cfg)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256([]byte(key))
	l.key = hex.EncodeToString(sum[:])
	if !cfg.Method.MetaTrained() {
		return l, nil
	}
	trainSampler, err := NewSampler(ds, split.Train, cfg.Spec, cfg.Seed)
	if err != nil {
		return nil, fmt.Errorf("meta-train episodes: %w", err)
	}
	valSampler, err := NewSampler(ds, split.Val, cfg.Spec, cfg.Seed+1)
	if err != nil {
		return nil, fmt.Errorf("meta-validation episodes: %w", err)
	}
	if err := l.initModel(); err != nil {
		return nil, err
	}
	batch := func(examples []int) ([]*tensors.Tensor, error) {
		eps := make([]Episode, len(examples))
		for i, e := range examples {
			eps[i] = trainSampler.Episode(e)
		}
		sx, sy, qx, qy := l.episodeTensors(ds, eps)
		return []*tensors.Tensor{sx, sy, qx, qy}, nil
	}
	loss := func(scope *model.Scope, inputs []*graph.Node) *graph.Node {
		return cfg.metaLoss(l.params(inputs[0].Graph()), inputs[0], inputs[1], inputs[2], inputs[3])
	}
	progress := cfg.Progress
	if progress == nil {
		progress = train.NoProgress()
	}
	tc := train.New(backend, l.store, loss, cfg.Steps*cfg.MetaBatch, batch).BatchSize(cfg.MetaBatch).Epochs(1).
		LearningRate(cfg.LearningRate).Seed(cfg.Seed).Key(key).Progress(progress)
	if cfg.WeightDecay > 0 {
		tc = tc.WeightDecay(cfg.WeightDecay, nil)
	}
	if cfg.ValEpisodes > 0 {
		valEpisodes := valSampler.Episodes(cfg.ValEpisodes)
		tc = tc.Evaluate(func() (float64, error) {
			score, err := l.score(ds, valEpisodes, false)
			return score.Mean, err
		}, cfg.EvalEvery).Patience(cfg.Patience)
	}
	if cfg.CheckpointDir != "" {
		dir := filepath.Join(cfg.CheckpointDir, fmt.Sprintf("%s-%s", cfg.Method, l.key[:16]))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("meta-training %s: %w", cfg.Method, err)
		}
		tc = tc.Checkpoint(dir, true)
	}
	trainer, err := tc.Done()
	if err != nil {
		return nil, fmt.Errorf("meta-training %s: %w", cfg.Method, err)
	}
	if l.History, err = trainer.Run(context.Background()); err != nil {
		return nil, fmt.Errorf("meta-training %s: %w", cfg.Method, err)
	}
	return l, nil
}

// Key identifies the Learner: a hex sha256 of its configuration (without the checkpoint
// folder and the progress display), of the split and of the meta-train and
// meta-validation features. Two Learners with the same Key make the same predictions (used
// to cache scores).
func (l *Learner) Key() string { return l.key }

// trainingKey describes what a meta-training run depends on, for its checkpoints: the
// configuration, the split and a hash of the meta-train and meta-validation features.
func trainingKey(ds *Dataset, split Split, cfg Config) (string, error) {
	raw, err := json.Marshal(cfg)
	if err != nil {
		return "", fmt.Errorf("meta: %w", err)
	}
	return fmt.Sprintf("meta %s %s train %s val %s", raw, ds.Name, ds.Fingerprint(split.Train), ds.Fingerprint(split.Val)), nil
}

// fitStandardization fits the standardization on the features of the examples of the given
// classes of ds.
func (l *Learner) fitStandardization(ds *Dataset, classes []int) {
	var rows [][]float32
	for _, c := range classes {
		for _, i := range ds.Classes[c].Examples {
			rows = append(rows, ds.Features[i])
		}
	}
	l.scaling = train.FitStandardizer(l.Dim, rows)
}

// standardized returns example i's features, standardized.
func (l *Learner) standardized(ds *Dataset, i int) []float32 {
	return l.scaling.Row(ds.Features[i])
}

// input returns example i's features as the adaptable layer takes them: standardized for a
// ReLULayer, L2-normalized otherwise.
func (l *Learner) input(ds *Dataset, i int) []float32 {
	if l.Config.Layer == ReLULayer {
		return l.standardized(ds, i)
	}
	u := unit(ds.Features[i])
	out := make([]float32, len(u))
	for j, v := range u {
		out[j] = float32(v)
	}
	return out
}

// Variable paths in the Store: the adaptable layer, ProtoNet's log-scale and the head's
// initialisation.
const (
	layerScope   = "/meta/layer"
	headScope    = "/meta/head"
	logScalePath = "/meta/log_scale"
)

// initModel creates the variables (Glorot-uniform weights from the seed, zero biases) and
// the prediction executor.
func (l *Learner) initModel() error {
	l.store = model.NewStore()
	rng := rand.New(rand.NewPCG(l.Config.Seed, 0x3e7a))
	cfg := l.Config
	width := l.Dim
	if cfg.Layer == ReLULayer {
		width = cfg.Hidden
		if err := train.CreateDense(l.store, layerScope, l.Dim, width, rng); err != nil {
			return fmt.Errorf("meta: %w", err)
		}
	} else if err := createIdentity(l.store, layerScope, l.Dim, cfg.Layer == DiagonalLayer); err != nil {
		return err
	}
	switch {
	case cfg.Method == ProtoNet:
		if _, err := l.store.CreateVariable(logScalePath, tensors.FromValue(float32(math.Log(cfg.ProtoScale)))); err != nil {
			return fmt.Errorf("meta: %w", err)
		}
	case cfg.LearnHeadInit:
		if err := train.CreateDense(l.store, headScope, width, cfg.Spec.Ways, rng); err != nil {
			return fmt.Errorf("meta: %w", err)
		}
	}
	var err error
	// ways [W] is a dummy input whose shape gives the number of ways of the episodes.
	l.predict, err = model.NewExec(l.backend, l.store, func(scope *model.Scope, sx, sy, qx, ways *graph.Node) *graph.Node {
		logits := cfg.queryLogits(l.params(sx.Graph()), sx, sy, qx, ways.Shape().Dim(0), cfg.evalSteps(), true)
		return graph.Softmax(logits, -1)
	})
	if err != nil {
		return fmt.Errorf("meta: %w", err)
	}
	l.predict.SetMaxCache(16)
	return nil
}

// createIdentity creates the variables of an identity layer in store: scope/weights, the
// dim×dim change from the identity, zeros (diagonal: the dim weights, ones), and
// scope/biases [dim], zeros.
func createIdentity(store *model.Store, scope string, dim int, diagonal bool) error {
	// A LinearLayer holds its change from the identity (zero); a DiagonalLayer its weights
	// (ones).
	w := tensors.FromFlatDataAndDimensions(make([]float32, dim*dim), dim, dim)
	if diagonal {
		ones := make([]float32, dim)
		for i := range ones {
			ones[i] = 1
		}
		w = tensors.FromFlatDataAndDimensions(ones, dim)
	}
	if _, err := store.CreateVariable(scope+"/weights", w); err != nil {
		return fmt.Errorf("meta: %w", err)
	}
	if _, err := store.CreateVariable(scope+"/biases", tensors.FromFlatDataAndDimensions(make([]float32, dim), dim)); err != nil {
		return fmt.Errorf("meta: %w", err)
	}
	return nil
}

// params returns the model's variables as nodes of g, in the order of objective.go: the
// layer's weights and biases, then ProtoNet's log-scale or the head's initialisation.
func (l *Learner) params(g *graph.Graph) params {
	node := func(path string) *graph.Node { return l.store.GetVariable(path).NodeValue(g) }
	p := params{node(layerScope + "/weights"), node(layerScope + "/biases")}
	switch {
	case l.Config.Method == ProtoNet:
		p = append(p, node(logScalePath))
	case l.Config.LearnHeadInit:
		p = append(p, node(headScope+"/weights"), node(headScope+"/biases"))
	}
	return p
}

// episodeTensors returns the standardized support features [B, ns, D], support labels
// [B, ns], query features [B, nq, D] and query labels [B, nq] of episodes of one shape.
func (l *Learner) episodeTensors(ds *Dataset, eps []Episode) (sx, sy, qx, qy *tensors.Tensor) {
	ns, nq := len(eps[0].Support), len(eps[0].Query)
	sxf := make([]float32, 0, len(eps)*ns*l.Dim)
	qxf := make([]float32, 0, len(eps)*nq*l.Dim)
	syf := make([]int32, 0, len(eps)*ns)
	qyf := make([]int32, 0, len(eps)*nq)
	for _, e := range eps {
		for k, i := range e.Support {
			sxf = append(sxf, l.input(ds, i)...)
			syf = append(syf, int32(e.SupportLabels[k]))
		}
		for k, i := range e.Query {
			qxf = append(qxf, l.input(ds, i)...)
			qyf = append(qyf, int32(e.QueryLabels[k]))
		}
	}
	b := len(eps)
	return tensors.FromFlatDataAndDimensions(sxf, b, ns, l.Dim), tensors.FromFlatDataAndDimensions(syf, b, ns),
		tensors.FromFlatDataAndDimensions(qxf, b, nq, l.Dim), tensors.FromFlatDataAndDimensions(qyf, b, nq)
}

// predictChunk is the number of episodes of one prediction graph execution.
const predictChunk = 16

// Predict classifies the queries of each episode from its support set. The episodes must all
// have the same shape (any number of ways and shots; with Config.LearnHeadInit, MAML, FOMAML
// and Reptile need Config.Spec.Ways ways); ds must have features of the width the Learner
// was trained on.
func (l *Learner) Predict(ds *Dataset, eps []Episode) ([]Prediction, error) {
	if len(eps) == 0 {
		return nil, nil
	}
	if ds.Dim() != l.Dim {
		return nil, fmt.Errorf("meta: %s has %d-wide features; the %s learner takes %d", ds.Name, ds.Dim(), l.Config.Method, l.Dim)
	}
	spec := eps[0].Spec
	for _, e := range eps {
		if e.Spec != spec {
			return nil, fmt.Errorf("meta: episodes of different shapes (%s, %s) in one Predict call", spec, e.Spec)
		}
	}
	if l.Config.Method.Adapts() && l.Config.LearnHeadInit && spec.Ways != l.Config.Spec.Ways {
		return nil, fmt.Errorf("meta: %s learned the start of a %d-way head; it cannot classify %s episodes", l.Config.Method, l.Config.Spec.Ways, spec)
	}
	switch l.Config.Method {
	case Centroid:
		return predictEach(eps, func(e Episode) Prediction { return centroidPredict(ds, e) }), nil
	case LogReg:
		return predictEach(eps, func(e Episode) Prediction { return l.logRegPredict(ds, e) }), nil
	}
	out := make([]Prediction, 0, len(eps))
	for start := 0; start < len(eps); start += predictChunk {
		chunk := eps[start:min(start+predictChunk, len(eps))]
		padded := chunk
		if len(eps) > predictChunk {
			// One shape for every chunk: the last is padded with copies of its first episode.
			for len(padded) < predictChunk {
				padded = append(padded[:len(padded):len(padded)], chunk[0])
			}
		}
		sx, sy, qx, qy := l.episodeTensors(ds, padded)
		marker := tensors.FromFlatDataAndDimensions(make([]float32, spec.Ways), spec.Ways)
		res, err := l.predict.Exec(sx, sy, qx, marker)
		for _, t := range []*tensors.Tensor{sx, sy, qx, qy, marker} {
			_ = t.FinalizeAll()
		}
		if err != nil {
			return nil, fmt.Errorf("meta: predicting with %s: %w", l.Config.Method, err)
		}
		probs, err := tensors.CopyFlatData[float32](res[0])
		_ = res[0].FinalizeAll()
		if err != nil {
			return nil, fmt.Errorf("meta: predicting with %s: %w", l.Config.Method, err)
		}
		nq, ways := len(chunk[0].Query), spec.Ways
		for b := range chunk {
			p := Prediction{Labels: make([]int, nq), Probs: make([][]float32, nq)}
			for q := range nq {
				row := probs[(b*nq+q)*ways : (b*nq+q+1)*ways : (b*nq+q+1)*ways]
				p.Probs[q], p.Labels[q] = row, metrics.Argmax(row)
			}
			out = append(out, p)
		}
	}
	return out, nil
}

// predictEach applies predict to every episode.
func predictEach(eps []Episode, predict func(Episode) Prediction) []Prediction {
	out := make([]Prediction, len(eps))
	for i, e := range eps {
		out[i] = predict(e)
	}
	return out
}

// Evaluate scores the Learner on episodes 0 to n-1 of s.
func (l *Learner) Evaluate(s *Sampler, n int) (Score, error) {
	if n < 1 {
		return Score{}, fmt.Errorf("meta: evaluating on %d episodes; want at least 1", n)
	}
	return l.score(s.Dataset(), s.Episodes(n), true)
}

// score returns the Score of the Learner on eps (with the per-episode accuracies if keep).
func (l *Learner) score(ds *Dataset, eps []Episode, keep bool) (Score, error) {
	preds, err := l.Predict(ds, eps)
	if err != nil {
		return Score{}, err
	}
	acc := make([]float64, len(eps))
	for i, p := range preds {
		acc[i] = p.Accuracy(eps[i])
	}
	s := NewScore(acc)
	if !keep {
		s.PerEpisode = nil
	}
	return s, nil
}
