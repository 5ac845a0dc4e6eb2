package distill

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/internal/backend"
	"github.com/nlp-transfer/gotl/tlkit/bert"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/metrics"
	"github.com/nlp-transfer/gotl/tlkit/probe"
	"github.com/nlp-transfer/gotl/tlkit/train"
)

// lengthStep pads the student's batches to multiples of this many tokens.
const lengthStep = 8

// Result is the outcome of Run.
type Result struct {
	// Teacher and Student name the encoders; Options are the options used.
	Teacher, Student string
	Options          Options
	// NTrain and NDev count the training and dev pairs.
	NTrain, NDev int
	// DevAccuracy is the target→source retrieval accuracy on the dev pairs with the kept
	// weights (NaN without dev pairs).
	DevAccuracy float64
	// TargetScale multiplies the teacher's vectors into the student's targets (rescale: the
	// loss is on that scale).
	TargetScale float64
	// History has the loss of each step and the dev accuracy of each evaluation.
	History *train.History
	// Elapsed is the wall time of Run, TrainTime that of the training loop.
	Elapsed, TrainTime time.Duration
}

// Loss is the distillation loss (Run's targets are the teacher's vectors rescaled to a unit
// root mean square element): the mean, over the batch and the dimensions, of the squared
// difference between the student's vectors and the teacher's ([batch, dim] each).
func Loss(student, teacher *graph.Node) *graph.Node {
	return graph.ReduceAllMean(graph.Square(graph.Sub(student, teacher)))
}

// Run trains student (in place: its Store's weights change) to map each pair's target
// sentence to the teacher's vector of its source sentence: the student's mean-pooled states
// of the target against the teacher's own sentence vector (encoder.PoolNative) of the source,
// with Loss. The teacher is frozen and runs once, before training (its vectors are cached
// with probe's feature cache). The student's width must equal the teacher's. Save the
// student afterwards with student.Save(dir): it loads as "bert:DIR", and Retrieval scores it.
func Run(teacher encoder.Encoder, student *bert.Model, pairs []data.TranslationPair, opts Options) (*Result, error) {
	start := time.Now()
	switch {
	case teacher == nil || student == nil:
		return nil, errors.New("distill: nil teacher or student")
	case student.Dim() != teacher.Dim():
		return nil, fmt.Errorf("distill: the student %s is %d wide and the teacher %s %d: make the student's hidden size %d",
			student.Name(), student.Dim(), teacher.Name(), teacher.Dim(), teacher.Dim())
	case len(pairs) == 0:
		return nil, errors.New("distill: no sentence pairs")
	}
	if err := opts.check(); err != nil {
		return nil, err
	}
	b, err := backend.Get()
	if err != nil {
		return nil, err
	}
	trainPairs, devPairs := pairs, []data.TranslationPair(nil)
	if opts.DevPairs > 0 {
		if trainPairs, devPairs, err = data.SplitPairs(pairs, opts.DevPairs, opts.Seed); err != nil {
			return nil, fmt.Errorf("distill: holding out %d dev pairs: %w", opts.DevPairs, err)
		}
	}
	res := &Result{Teacher: teacher.Name(), Student: student.Name(), Options: opts, NTrain: len(trainPairs), NDev: len(devPairs), DevAccuracy: math.NaN()}
	res.Options.Progress = nil
	targets, err := teacherVectors(teacher, trainPairs, opts.FeatureCacheDir)
	if err != nil {
		return nil, err
	}
	targets, res.TargetScale = rescale(targets)
	rows, err := student.Tokenize(data.Targets(trainPairs))
	if err != nil {
		return nil, fmt.Errorf("distill: tokenizing the target sentences: %w", err)
	}
	var devTeacher [][]float32
	if len(devPairs) > 0 {
		if devTeacher, err = teacherVectors(teacher, devPairs, opts.FeatureCacheDir); err != nil {
			return nil, err
		}
	}

	lengths := make([]int, len(rows))
	for i, r := range rows {
		lengths[i] = len(r)
	}
	batch := func(examples []int) ([]*tensors.Tensor, error) {
		rs := make([][]int32, len(examples))
		ts := make([][]float32, len(examples))
		for i, e := range examples {
			rs[i], ts[i] = rows[e], targets[e]
		}
		ids, mask, _ := train.PadRows(rs, len(rs), lengthStep, student.MaxTokens())
		return []*tensors.Tensor{ids, mask, tensors.FromValue(ts)}, nil
	}
	loss := func(scope *model.Scope, in []*graph.Node) *graph.Node {
		states, _ := student.Build(scope, in[0], in[1])
		return Loss(encoder.MeanPool(states, in[1]), in[2])
	}
	cfg := train.New(b, student.Store(), loss, len(rows), batch).
		BatchSize(opts.BatchSize).Epochs(opts.Epochs).MaxSteps(opts.MaxSteps).
		LearningRate(opts.LearningRate).Warmup(opts.Warmup).WeightDecay(opts.WeightDecay, nil).ClipNorm(opts.ClipNorm).
		Lengths(lengths, 0).Seed(opts.Seed).Key(runKey(teacher, student, pairs, opts)).Progress(opts.Progress)
	if opts.CheckpointDir != "" {
		cfg = cfg.Checkpoint(opts.CheckpointDir, opts.Resume)
	}
	if len(devPairs) > 0 {
		runner := encoder.NewRunner(b, student)
		devTexts := data.Targets(devPairs)
		cfg = cfg.Evaluate(func() (float64, error) {
			v, err := studentVectors(student, devTexts, runner)
			if err != nil {
				return 0, err
			}
			return metrics.RetrievalAccuracy(v, devTeacher)
		}, opts.EvalEvery)
	}
	tr, err := cfg.Done()
	if err != nil {
		return nil, fmt.Errorf("distill: %w", err)
	}
	trainStart := time.Now()
	res.History, err = tr.Run(context.Background())
	res.TrainTime = time.Since(trainStart)
	if err != nil {
		return res, fmt.Errorf("distill %s into %s: %w", teacher.Name(), student.Name(), err)
	}
	if best, ok := res.History.BestEval(); ok {
		res.DevAccuracy = best.Metric
	}
	res.Elapsed = time.Since(start)
	return res, nil
}

// rescale returns the vectors multiplied by scale, the inverse of their root mean square
// element, so that the student's targets have the unit scale of its layer-normalized states
// (USE-lite's vectors have unit length: elements about 1/√512). Cosine retrieval does not see
// the change.
func rescale(vectors [][]float32) (out [][]float32, scale float64) {
	var sum float64
	n := 0
	for _, v := range vectors {
		for _, x := range v {
			sum += float64(x) * float64(x)
		}
		n += len(v)
	}
	if sum == 0 {
		return vectors, 1
	}
	scale = 1 / math.Sqrt(sum/float64(n))
	out = make([][]float32, len(vectors))
	for i, v := range vectors {
		out[i] = make([]float32, len(v))
		for j, x := range v {
			out[i][j] = float32(float64(x) * scale)
		}
	}
	return out, scale
}

// teacherVectors returns the teacher's sentence vectors of the pairs' source sentences, cached
// in cacheDir (see probe.FeatureOptions.CacheDir).
func teacherVectors(teacher encoder.Encoder, pairs []data.TranslationPair, cacheDir string) ([][]float32, error) {
	v, err := probe.Embed(teacher, data.Sources(pairs), 0, probe.FeatureOptions{Pooling: encoder.PoolNative, CacheDir: cacheDir})
	if err != nil {
		return nil, fmt.Errorf("distill: the teacher's vectors of the source sentences: %w", err)
	}
	return v, nil
}

// studentVectors returns the student's sentence vectors of texts (target-language sentences):
// the mean of its last states, as Run trains them, not cached; runner nil is a new one.
func studentVectors(student encoder.Encoder, texts []string, runner *encoder.Runner) ([][]float32, error) {
	return probe.Embed(student, texts, 0, probe.FeatureOptions{Pooling: encoder.PoolMean, CacheDir: probe.NoCache, Runner: runner})
}

// Retrieval scores translation retrieval on pairs as XTREME's Tatoeba task does: the student
// embeds the target sentences (mean pooling), the teacher the source sentences (its own
// pooling), and each sentence must find its translation as the cosine nearest neighbour among
// all of the other side. It returns the accuracy target→source (e.g. zh→en) and
// source→target. An untrained student scores about 1/len(pairs).
func Retrieval(teacher, student encoder.Encoder, pairs []data.TranslationPair) (targetToSource, sourceToTarget float64, err error) {
	if teacher == nil || student == nil || len(pairs) == 0 {
		return 0, 0, errors.New("distill: retrieval needs a teacher, a student and pairs")
	}
	if student.Dim() != teacher.Dim() {
		return 0, 0, fmt.Errorf("distill: retrieval compares vectors of the student %s (%d wide) with the teacher %s (%d): they must have one width",
			student.Name(), student.Dim(), teacher.Name(), teacher.Dim())
	}
	t, err := teacherVectors(teacher, pairs, probe.NoCache)
	if err != nil {
		return 0, 0, err
	}
	s, err := studentVectors(student, data.Targets(pairs), nil)
	if err != nil {
		return 0, 0, fmt.Errorf("distill: the student's vectors of the target sentences: %w", err)
	}
	if targetToSource, err = metrics.RetrievalAccuracy(s, t); err != nil {
		return 0, 0, err
	}
	sourceToTarget, err = metrics.RetrievalAccuracy(t, s)
	return targetToSource, sourceToTarget, err
}

// runKey describes the run: the encoders, a hash of the pairs and the options.
func runKey(teacher encoder.Encoder, student *bert.Model, pairs []data.TranslationPair, opts Options) string {
	h := sha256.New()
	for _, p := range pairs {
		fmt.Fprintf(h, "%s\t%s\n", p.Source, p.Target)
	}
	return fmt.Sprintf("distill rescaled teacher=%s student=%s vocab=%d pairs=%d:%s %s", teacher.Name(), student.Name(),
		student.VocabSize(), len(pairs), hex.EncodeToString(h.Sum(nil))[:16], opts.key())
}
