package multitask

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/gomlx/gomlx/core/tensors"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/internal/cachefile"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/metrics"
	"github.com/nlp-transfer/gotl/tlkit/train"
)

// TaskEval is one evaluation of a task on (its subset of) dev.
type TaskEval struct {
	// Step is the number of training steps (of all tasks) done before it.
	Step int `json:"step"`
	// Metric is the task's dev metric (TaskResult.Metric).
	Metric float64 `json:"metric"`
}

// TaskResult is the outcome of one task of a run.
type TaskResult struct {
	Name string `json:"name"`
	// Kind is "sentence", "token" or "relation"; Metric names the metric of Evals, Dev and
	// Test: "accuracy" (sentence tasks), "entity F1" (IOB-tagged token tasks, conlleval's
	// micro-averaged F1), "token accuracy" (other token tasks) or "macro-F1" (relation tasks,
	// SemEval-2010 Task 8's official score, metrics.SemEvalRelations).
	Kind   string `json:"kind"`
	Metric string `json:"metric"`
	// Labels are the classes, or the tags the tagger predicts (IOB2 for entity tags); Scheme
	// is the gold tags' scheme ("IOB1" or "IOB2") for entity tasks.
	Labels []string `json:"labels"`
	Scheme string   `json:"scheme,omitempty"`
	Weight float64  `json:"weight"`
	// NTrain, NDev and NTest count the split's examples (NDev: all of dev, though
	// evaluations during training may use a subset; see Options.DevLimit).
	NTrain int `json:"n_train"`
	NDev   int `json:"n_dev"`
	NTest  int `json:"n_test"`
	// Probability is the task's expected share of the steps under the sampling; Steps the
	// number of steps it got.
	Probability float64 `json:"probability"`
	Steps       int     `json:"steps"`
	// Evals is the task's dev learning curve; BestStep the step of its best evaluation, whose
	// weights are the task's best checkpoint, and Dev that evaluation's metric.
	Evals    []TaskEval `json:"evals"`
	BestStep int        `json:"best_step"`
	Dev      float64    `json:"dev"`
	// Test is the test metric with the task's best weights (0 without a test split).
	Test float64 `json:"test"`
	// Entities holds the entity-level test scores (entity tasks); Report the classification
	// test scores (sentence tasks).
	Entities *metrics.EntityReport `json:"entities,omitempty"`
	Report   *metrics.Report       `json:"report,omitempty"`
	// Relations holds the official per-relation test scores (relation tasks).
	Relations *metrics.RelationScores `json:"relations,omitempty"`
	// TestPredictions are the predicted classes of the test texts (sentence tasks);
	// TestTags the predicted tags of the test sentences' words (token tasks).
	TestPredictions []int      `json:"test_predictions,omitempty"`
	TestTags        [][]string `json:"test_tags,omitempty"`
	// TestLabels are the predicted labels of the test examples (relation tasks), for
	// WriteRelationPredictions.
	TestLabels []string `json:"test_labels,omitempty"`
}

// Result is the outcome of Train.
type Result struct {
	// Encoder names the encoder; Key describes the encoder, the data and the options (a
	// finished run is restored only when they match).
	Encoder string  `json:"encoder"`
	Key     string  `json:"key"`
	Options Options `json:"options"`
	// Tasks holds each task's results, in the order of the tasks given to Train.
	Tasks []TaskResult `json:"tasks"`
	// Steps is the number of training steps; StepTasks[i] the task of step i+1.
	Steps     int   `json:"steps"`
	StepTasks []int `json:"step_tasks"`
	// History has the loss of each step (of its task) and the mean dev metric of each
	// evaluation (the trainer's metric, which picks the overall best weights).
	History *train.History `json:"history"`
	// Elapsed is the wall time of Run, TrainTime that of the training loop (for a restored
	// run, those of the original run).
	Elapsed   time.Duration `json:"elapsed"`
	TrainTime time.Duration `json:"train_time"`
	// CheckpointDir holds the checkpoints ("" without).
	CheckpointDir string `json:"checkpoint_dir"`

	net     *network
	overall map[string]*tensors.Tensor // The overall best weights (memory).
	bests   []map[string]*tensors.Tensor
	active  int // Whose weights are in the Store: -1 the overall best, else a task's best.
}

// Task returns the results of the named task.
func (r *Result) Task(name string) (*TaskResult, error) {
	names := make([]string, len(r.Tasks))
	for i := range r.Tasks {
		if r.Tasks[i].Name == name {
			return &r.Tasks[i], nil
		}
		names[i] = r.Tasks[i].Name
	}
	return nil, fmt.Errorf("multitask: no task %q (tasks: %s)", name, strings.Join(names, ", "))
}

// TaskLoss returns the training loss of the named task's steps, as (step, loss) pairs: the
// step numbers of the whole run, and the loss of the batch of that step.
func (r *Result) TaskLoss(name string) (steps []int, loss []float64) {
	for i, t := range r.StepTasks {
		if i < len(r.History.Loss) && r.Tasks[t].Name == name {
			steps = append(steps, i+1)
			loss = append(loss, r.History.Loss[i])
		}
	}
	return steps, loss
}

// DevCurve returns the named task's dev learning curve against the number of training steps
// of that task (not of all tasks) done before each evaluation: in a multi-task run, a task
// gets only its share of the steps, and this is the x axis that compares it with a
// single-task run.
func (r *Result) DevCurve(name string) (taskSteps []int, metric []float64) {
	t, err := r.Task(name)
	if err != nil {
		return nil, nil
	}
	index := 0
	for i := range r.Tasks {
		if &r.Tasks[i] == t {
			index = i
		}
	}
	for _, e := range t.Evals {
		n := 0
		for _, s := range r.StepTasks[:min(e.Step, len(r.StepTasks))] {
			if s == index {
				n++
			}
		}
		taskSteps, metric = append(taskSteps, n), append(metric, e.Metric)
	}
	return taskSteps, metric
}

// Markdown returns a table of the tasks: kind, metric, steps, best dev and test scores.
func (r *Result) Markdown() string {
	var b strings.Builder
	b.WriteString("| task | kind | metric | steps | best step | dev | test |\n|:--|:--|:--|--:|--:|--:|--:|\n")
	for _, t := range r.Tasks {
		test := "–"
		if t.NTest > 0 {
			test = fmt.Sprintf("%.2f", 100*t.Test)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %d | %d | %.2f | %s |\n", t.Name, t.Kind, t.Metric, t.Steps, t.BestStep, 100*t.Dev, test)
	}
	return b.String()
}

// Save writes the result as JSON to path (atomically).
func (r *Result) Save(path string) error {
	if err := cachefile.WriteJSON(path, r); err != nil {
		return fmt.Errorf("multitask: saving the result: %w", err)
	}
	return nil
}

// LoadResult reads a result written by Save. Its scores, curves and test predictions are
// all there; it has no model (Predict fails): Run with Resume restores one with its
// weights.
func LoadResult(path string) (*Result, error) {
	r := &Result{}
	if err := cachefile.ReadJSON(path, r); err != nil {
		return nil, fmt.Errorf("multitask: loading the result: %w", err)
	}
	r.active = -1
	return r, nil
}

// use puts the weights of task's best evaluation (task -1: the overall best) in the Store.
func (r *Result) use(task int) error {
	if r.net == nil {
		return fmt.Errorf("multitask: this result has no model (loaded from a file?): run Run with Resume to restore one")
	}
	if r.active == task {
		return nil
	}
	switch {
	case task >= 0 && r.bests != nil && r.bests[task] != nil:
		if err := r.net.restore(r.bests[task]); err != nil {
			return err
		}
	case task >= 0 && r.CheckpointDir != "":
		if _, err := train.LoadCheckpoint(filepath.Join(r.CheckpointDir, taskCheckpoint(task)), r.net.store); err != nil {
			return err
		}
	case task < 0 && r.overall != nil:
		if err := r.net.restore(r.overall); err != nil {
			return err
		}
	case task < 0 && r.CheckpointDir != "":
		if _, err := train.LoadCheckpoint(filepath.Join(r.CheckpointDir, train.BestCheckpoint), r.net.store); err != nil {
			return err
		}
	default:
		return fmt.Errorf("multitask: no weights kept for task %d", task)
	}
	r.active = task
	return nil
}

// taskIndex returns the index of the named task, checking its kind.
func (r *Result) taskIndex(name string, kind Kind) (int, error) {
	t, err := r.Task(name)
	if err != nil {
		return 0, err
	}
	if t.Kind != kind.String() {
		return 0, fmt.Errorf("multitask: task %s is a %s task, not a %s task", name, t.Kind, kind)
	}
	for i := range r.Tasks {
		if &r.Tasks[i] == t {
			return i, nil
		}
	}
	return 0, nil
}

// PredictTags tags the words of each sentence with the named token task's best weights.
func (r *Result) PredictTags(task string, sentences [][]string) ([][]string, error) {
	i, err := r.taskIndex(task, TokenKind)
	if err != nil {
		return nil, err
	}
	if err := r.use(i); err != nil {
		return nil, err
	}
	wt, err := encoder.NewWordTokenizer(r.net.enc, r.net.maxTokens)
	if err != nil {
		return nil, err
	}
	exs := make([]example, len(sentences))
	for s, words := range sentences {
		tok, err := wt.Tokenize(words)
		if err != nil {
			return nil, fmt.Errorf("multitask: sentence %d: %w", s, err)
		}
		exs[s] = example{ids: tok.IDs, first: tok.First}
	}
	pred, err := r.net.predict(i, exs)
	if err != nil {
		return nil, err
	}
	return r.net.tasks[i].tagStrings(pred), nil
}

// PredictLabels classifies texts with the named sentence task's best weights, returning
// indices into its Labels.
func (r *Result) PredictLabels(task string, texts []string) ([]int, error) {
	i, err := r.taskIndex(task, SentenceKind)
	if err != nil {
		return nil, err
	}
	if err := r.use(i); err != nil {
		return nil, err
	}
	ids, err := r.net.enc.Tokenize(texts)
	if err != nil {
		return nil, fmt.Errorf("multitask: %w", err)
	}
	exs := make([]example, len(ids))
	for j, row := range ids {
		exs[j] = example{ids: row[:min(len(row), r.net.maxTokens)]}
	}
	pred, err := r.net.predict(i, exs)
	if err != nil {
		return nil, err
	}
	out := make([]int, len(pred))
	for j, p := range pred {
		out[j] = p[0]
	}
	return out, nil
}

// taskCheckpoint is the file name of task i's best weights.
func taskCheckpoint(i int) string { return fmt.Sprintf("best-task-%d.ckpt", i) }

// resultFile is the file name of the results in the checkpoint folder.
const resultFile = "result.json"

// defaultDir returns the default checkpoint folder of a run.
func defaultDir(enc encoder.Encoder, tasks []*prepared, key string) string {
	names := make([]string, len(tasks))
	for i, t := range tasks {
		names[i] = t.Name
	}
	return filepath.Join(data.DefaultStore().CacheDir, "multitask",
		cachefile.Name(enc.Name())+"-"+cachefile.Name(strings.Join(names, "+"))+"-"+hashString(key)[:12])
}
