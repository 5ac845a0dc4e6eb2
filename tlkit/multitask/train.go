package multitask

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/nlp-transfer/gotl/data"
	backendpkg "github.com/nlp-transfer/gotl/internal/backend"
	"github.com/nlp-transfer/gotl/internal/cachefile"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/metrics"
	"github.com/nlp-transfer/gotl/tlkit/train"
)

// Run fine-tunes enc on all tasks at once: one shared encoder (a copy of enc's variables:
// enc itself is unchanged), one new head per task (a dense layer, optionally with a hidden
// layer, on the pooled sentence vector for sentence tasks, on each word's first-piece state
// for token tasks), and the tlkit/train loop (AdamW, warmup and decay, clipping,
// checkpoints, progress).
//
// Each step trains on a batch of one task, chosen by opts.Sampling; the loss is that task's
// cross-entropy times its weight, so the step updates the encoder and that task's head only.
// Every opts.EvalEvery steps each task is evaluated on dev; the weights of each task's best
// evaluation are kept (its best checkpoint), and at the end each task's test split is scored
// with them. The trainer's own best (by the mean of the tasks' dev metrics) is what the Store
// holds afterwards. With one task, Run is plain fine-tuning, so single-task and
// multi-task runs are measured by the same code.
//
// It runs on the default backend (tlkit.Backend()), the one every other executor of enc's
// variables uses.
func Run(enc encoder.Encoder, tasks []Task, opts Options) (*Result, error) {
	start := time.Now()
	if enc == nil {
		return nil, errors.New("multitask: nil encoder")
	}
	backend, err := backendpkg.Get()
	if err != nil {
		return nil, err
	}
	if err := opts.check(enc); err != nil {
		return nil, err
	}
	prep, err := prepare(enc, tasks, opts.MaxTokens, opts.Seed)
	if err != nil {
		return nil, err
	}
	key := runKey(enc, prep, opts)
	dir := ""
	if !opts.NoCheckpoint {
		dir = opts.CheckpointDir
		if dir == "" {
			dir = defaultDir(enc, prep, key)
		}
	}
	if dir != "" && opts.Resume {
		if r, err := restoreFinished(backend, enc, prep, opts, dir, key); r != nil || err != nil {
			return r, err
		}
	}
	net, err := newNetwork(backend, enc, prep, opts)
	if err != nil {
		return nil, err
	}

	// The plan: the task and examples of every step.
	lengths := make([][]int, len(prep))
	sizes := make([]int, len(prep))
	total := 0
	for t, p := range prep {
		lengths[t] = make([]int, len(p.train))
		for i, ex := range p.train {
			lengths[t][i] = len(ex.ids)
		}
		sizes[t] = len(p.train)
		total += len(p.train)
	}
	stepsPerEpoch := max(1, total/opts.BatchSize)
	steps := opts.Steps
	if steps == 0 {
		steps = opts.Epochs * stepsPerEpoch
	}
	probs, err := Probabilities(sizes, opts.Sampling, opts.Temperature)
	if err != nil {
		return nil, err
	}
	steplan, err := plan(lengths, opts.BatchSize, opts.Sampling, opts.Temperature, steps, opts.Seed)
	if err != nil {
		return nil, err
	}
	evalEvery := opts.EvalEvery
	if evalEvery == 0 {
		evalEvery = stepsPerEpoch
	}
	evalEvery = min(evalEvery, steps)

	res := &Result{Encoder: enc.Name(), Key: key, Options: opts, Steps: steps, CheckpointDir: dir,
		net: net, active: -1, bests: make([]map[string]*tensors.Tensor, len(prep))}
	res.Options.Progress, res.Options.Context = nil, nil
	for _, s := range steplan {
		res.StepTasks = append(res.StepTasks, s.task)
	}
	res.Tasks = make([]TaskResult, len(prep))
	for t, p := range prep {
		tr := &res.Tasks[t]
		tr.Name, tr.Kind, tr.Metric, tr.Labels, tr.Weight = p.Name, p.kind.String(), p.metricName(), p.labels, p.Weight
		tr.NTrain, tr.NDev, tr.NTest = len(p.train), len(p.dev), len(p.test)
		tr.Probability, tr.BestStep = probs[t], -1
		if p.entity {
			tr.Scheme = p.scheme.String()
		}
	}
	for _, s := range steplan {
		res.Tasks[s.task].Steps++
	}
	devIdx := make([][]int, len(prep))
	for t, p := range prep {
		devIdx[t] = subsample(seq(len(p.dev)), opts.DevLimit, opts.Seed+uint64(t)+100)
	}

	// Resuming: the steps already done, and the tasks' evaluations up to them.
	cursor := 0
	if dir != "" && opts.Resume {
		if st, err := train.LoadCheckpoint(filepath.Join(dir, train.LastCheckpoint), model.NewStore()); err == nil {
			cursor = st.Step
			if err := loadTaskEvals(filepath.Join(dir, taskEvalsFile), key, cursor, res); err != nil {
				return nil, err
			}
		}
	}
	if cursor == 0 && dir != "" {
		// A fresh start: drop what an earlier run left in the folder (the trainer drops its own
		// checkpoints).
		stale, _ := filepath.Glob(filepath.Join(dir, "best-task-*.ckpt"))
		for _, f := range append(stale, filepath.Join(dir, resultFile), filepath.Join(dir, taskEvalsFile)) {
			if err := os.Remove(f); err != nil && !errors.Is(err, os.ErrNotExist) {
				return nil, fmt.Errorf("multitask: %w", err)
			}
		}
	}
	batch := func([]int) ([]*tensors.Tensor, error) {
		// The trainer's example indices are ignored: the plan fixes each step's batch, in order.
		if cursor >= len(steplan) {
			return nil, fmt.Errorf("multitask: step %d past the plan of %d steps", cursor+1, len(steplan))
		}
		s := steplan[cursor]
		cursor++
		return net.batch(s.task, s.examples), nil
	}
	evaluate := func() (float64, error) {
		mean := 0.0
		for t, p := range prep {
			m, err := net.score(t, devIdx[t])
			if err != nil {
				return 0, err
			}
			tr := &res.Tasks[t]
			tr.Evals = append(tr.Evals, TaskEval{Step: cursor, Metric: m})
			if tr.BestStep < 0 || m > tr.Dev {
				tr.BestStep, tr.Dev = cursor, m
				snap, err := net.snapshot()
				if err != nil {
					return 0, err
				}
				if dir != "" {
					if err := saveSnapshot(filepath.Join(dir, taskCheckpoint(t)), snap, &train.State{Step: cursor}); err != nil {
						return 0, err
					}
				} else {
					res.bests[t] = snap
				}
			}
			mean += m * p.Weight
		}
		if dir != "" {
			if err := saveTaskEvals(filepath.Join(dir, taskEvalsFile), key, res); err != nil {
				return 0, err
			}
		}
		sumW := 0.0
		for _, p := range prep {
			sumW += p.Weight
		}
		return mean / sumW, nil
	}

	headMult := opts.HeadLearningRate / opts.LearningRate
	cfg := train.New(backend, net.store, net.loss, evalEvery, batch).
		BatchSize(1).Epochs((steps+evalEvery-1)/evalEvery).MaxSteps(steps).
		LearningRate(opts.LearningRate).Warmup(opts.Warmup).WeightDecay(opts.WeightDecay, nil).ClipNorm(opts.ClipNorm).
		LRMultiplier(func(v *model.Variable) float64 {
			if isHead(v.Path()) {
				return headMult
			}
			return 1
		}).
		Evaluate(evaluate, 0).Seed(opts.Seed).Key(key).Progress(opts.Progress)
	if dir != "" {
		cfg = cfg.Checkpoint(dir, opts.Resume)
	}
	tr, err := cfg.Done()
	if err != nil {
		return nil, fmt.Errorf("multitask: %w", err)
	}
	trainStart := time.Now()
	ctx := opts.Context
	if ctx == nil {
		ctx = context.Background()
	}
	res.History, err = tr.Run(ctx)
	res.TrainTime = time.Since(trainStart)
	if err != nil {
		return res, fmt.Errorf("multitask: training %s: %w", enc.Name(), err)
	}

	// Test each task with its best weights, then put the overall best (which the trainer
	// restored, and keeps in its best checkpoint when there is a folder) back.
	if dir == "" {
		if res.overall, err = net.snapshot(); err != nil {
			return res, err
		}
	}
	for t := range prep {
		if err := res.use(t); err != nil {
			return res, err
		}
		if err := net.test(t, &res.Tasks[t]); err != nil {
			return res, err
		}
	}
	if err := res.use(-1); err != nil {
		return res, err
	}
	res.Elapsed = time.Since(start)
	if dir != "" {
		if err := res.Save(filepath.Join(dir, resultFile)); err != nil {
			return res, err
		}
	}
	return res, nil
}

func seq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// score returns task t's metric on the dev examples idx.
func (n *network) score(t int, idx []int) (float64, error) {
	p := n.tasks[t]
	exs := make([]example, len(idx))
	for i, j := range idx {
		exs[i] = p.dev[j]
	}
	pred, err := n.predict(t, exs)
	if err != nil {
		return 0, err
	}
	if len(idx) == 0 {
		return 0, nil
	}
	if p.kind == SentenceKind {
		right := 0
		for i, j := range idx {
			if pred[i][0] == p.dev[j].label {
				right++
			}
		}
		return float64(right) / float64(len(idx)), nil
	}
	if p.kind == RelationKind {
		s, err := p.scoreRelations(pred, exs)
		return s.MacroF1, err
	}
	predTags := p.tagStrings(pred)
	gold := make([][]string, len(idx))
	for i, j := range idx {
		gold[i] = p.devTags[j]
	}
	return scoreTags(predTags, gold, p.entity)
}

// scoreTags returns the entity F1 (entity) or the token accuracy of predicted tags.
func scoreTags(pred, gold [][]string, entity bool) (float64, error) {
	if entity {
		r, err := metrics.EntityF1(pred, gold, false)
		return r.F1, err
	}
	right, n := 0, 0
	for s := range gold {
		for i := range gold[s] {
			if pred[s][i] == gold[s][i] {
				right++
			}
			n++
		}
	}
	if n == 0 {
		return 0, nil
	}
	return float64(right) / float64(n), nil
}

// test scores task t's test split with the weights in the Store, filling tr.
func (n *network) test(t int, tr *TaskResult) error {
	p := n.tasks[t]
	if len(p.test) == 0 {
		return nil
	}
	pred, err := n.predict(t, p.test)
	if err != nil {
		return err
	}
	if p.kind == SentenceKind {
		gold := make([]int, len(p.test))
		tr.TestPredictions = make([]int, len(p.test))
		for i := range p.test {
			gold[i], tr.TestPredictions[i] = p.test[i].label, pred[i][0]
		}
		report := metrics.Classification(tr.TestPredictions, gold, len(p.labels))
		tr.Report, tr.Test = &report, report.Accuracy
		return nil
	}
	if p.kind == RelationKind {
		scores, err := p.scoreRelations(pred, p.test)
		if err != nil {
			return err
		}
		tr.TestLabels, tr.Relations, tr.Test = p.relationLabels(pred), &scores, scores.MacroF1
		return nil
	}
	tr.TestTags = p.tagStrings(pred)
	if p.entity {
		report, err := metrics.EntityF1(tr.TestTags, p.testTags, false)
		if err != nil {
			return err
		}
		tr.Entities, tr.Test = &report, report.F1
		return nil
	}
	tr.Test, err = scoreTags(tr.TestTags, p.testTags, false)
	return err
}

// runKey describes the encoder, the tasks' data and the options.
func runKey(enc encoder.Encoder, tasks []*prepared, opts Options) string {
	h := sha256.New()
	for _, p := range tasks {
		fmt.Fprintf(h, "task %s %s weight=%g labels=%q\n", p.Name, p.kind, p.Weight, p.labels)
		switch {
		case p.Sentences != nil:
			for _, split := range [][]data.Example{p.Sentences.Train, p.Sentences.Dev, p.Sentences.Test} {
				for _, ex := range split {
					fmt.Fprintf(h, "%d\t%s\n", ex.Label, ex.Text)
				}
				h.Write([]byte{0})
			}
		case p.Relations != nil:
			for _, split := range [][]data.RelationExample{p.Relations.Train, p.Relations.Dev, p.Relations.Test} {
				for _, ex := range split {
					fmt.Fprintf(h, "%d %s %d %d %d %d\t%s\n", ex.ID, ex.Label, ex.E1.Start, ex.E1.End, ex.E2.Start, ex.E2.End, ex.Text)
				}
				h.Write([]byte{0})
			}
		default:
			for _, split := range [][]data.TaggedSentence{p.Tokens.Train, p.Tokens.Dev, p.Tokens.Test} {
				for _, s := range split {
					fmt.Fprintf(h, "%q %q\n", s.Tokens, s.Tags)
				}
				h.Write([]byte{0})
			}
		}
	}
	return fmt.Sprintf("enc=%s data=%x %s", enc.Name(), h.Sum(nil)[:10], opts.key())
}

func hashString(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// taskEvalsFile holds the tasks' evaluations so far, for resuming.
const taskEvalsFile = "task-evals.json"

type taskEvals struct {
	Key   string       `json:"key"`
	Tasks []TaskResult `json:"tasks"`
}

// saveTaskEvals writes the tasks' evaluations and bests.
func saveTaskEvals(path, key string, r *Result) error {
	te := taskEvals{Key: key}
	for _, t := range r.Tasks {
		te.Tasks = append(te.Tasks, TaskResult{Name: t.Name, Evals: t.Evals, BestStep: t.BestStep, Dev: t.Dev})
	}
	if err := cachefile.WriteJSON(path, te); err != nil {
		return fmt.Errorf("multitask: %w", err)
	}
	return nil
}

// loadTaskEvals restores the tasks' evaluations up to step (a resumed run redoes the later
// ones, bit for bit).
func loadTaskEvals(path, key string, step int, r *Result) error {
	var te taskEvals
	err := cachefile.ReadJSON(path, &te)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax) || errors.As(err, &typ):
		return nil // Not ours (a truncated or foreign file): start the evaluations afresh.
	case err != nil:
		return fmt.Errorf("multitask: resuming: %w", err)
	case te.Key != key || len(te.Tasks) != len(r.Tasks):
		return nil // Another run's: start the evaluations afresh.
	}
	for t := range r.Tasks {
		tr := &r.Tasks[t]
		for _, e := range te.Tasks[t].Evals {
			if e.Step > step {
				break
			}
			tr.Evals = append(tr.Evals, e)
			if tr.BestStep < 0 || e.Metric > tr.Dev {
				tr.BestStep, tr.Dev = e.Step, e.Metric
			}
		}
	}
	return nil
}

// restoreFinished returns the result of a finished run in dir with the same key, with its
// model and overall best weights, or nil if there is none.
func restoreFinished(backend compute.Backend, enc encoder.Encoder, prep []*prepared, opts Options, dir, key string) (*Result, error) {
	path := filepath.Join(dir, resultFile)
	if _, err := os.Stat(path); err != nil {
		return nil, nil
	}
	r, err := LoadResult(path)
	if err != nil || r.Key != key {
		return nil, nil // Another run's, or damaged: train afresh.
	}
	if r.net, err = newNetwork(backend, enc, prep, opts); err != nil {
		return nil, err
	}
	r.CheckpointDir = dir
	r.active = math.MinInt
	if err := r.use(-1); err != nil {
		return nil, fmt.Errorf("multitask: restoring the finished run in %s: %w", dir, err)
	}
	return r, nil
}
