package multitask_test

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	_ "github.com/gomlx/compute/gobackend" // Registers the pure-Go backend ("go").

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/bert"
	"github.com/nlp-transfer/gotl/tlkit/multitask"
	"github.com/nlp-transfer/gotl/tlkit/train"
)

// words of the toy language; "new york" and "paris" are locations, "bob" a person.
var toyWords = []string{"the", "cat", "sat", "on", "mat", "new", "york", "bob", "paris", "dog", "ran", "a"}

// tinyBERT returns a random 1-layer, 16-wide BERT over the toy words.
func tinyBERT(t *testing.T) *bert.Model {
	t.Helper()
	vocab := append([]string{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", multitask.E1Marker, multitask.E2Marker}, toyWords...)
	path := filepath.Join(t.TempDir(), "vocab.txt")
	if err := os.WriteFile(path, []byte(strings.Join(vocab, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := bert.BaseConfig()
	cfg.VocabSize, cfg.HiddenSize, cfg.NumHiddenLayers, cfg.NumAttentionHeads = len(vocab), 16, 1, 2
	cfg.IntermediateSize, cfg.MaxPositionEmbeddings = 32, 16
	m, err := bert.New(cfg, path, 1)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// toyTasks returns a token task (locations and persons, in IOB2) and a sentence task (does
// the sentence mention a location?) over random sentences of the toy words.
func toyTasks(n int, seed uint64) (*data.TokenClassification, *data.TextClassification) {
	rng := rand.New(rand.NewPCG(seed, 1))
	ner := &data.TokenClassification{Name: "toy-ner"}
	cls := &data.TextClassification{Name: "toy-loc", Labels: []string{"no", "yes"}}
	for i := range n {
		var s data.TaggedSentence
		loc := 0
		for range 3 + rng.IntN(6) {
			switch w := toyWords[rng.IntN(len(toyWords))]; w {
			case "new":
				s.Tokens, s.Tags = append(s.Tokens, "new", "york"), append(s.Tags, "B-LOC", "I-LOC")
				loc = 1
			case "paris":
				s.Tokens, s.Tags = append(s.Tokens, w), append(s.Tags, "B-LOC")
				loc = 1
			case "bob":
				s.Tokens, s.Tags = append(s.Tokens, w), append(s.Tags, "B-PER")
			default:
				s.Tokens, s.Tags = append(s.Tokens, w), append(s.Tags, "O")
			}
		}
		ex := data.Example{Text: strings.Join(s.Tokens, " "), Label: loc}
		switch {
		case i < n*7/10:
			ner.Train, cls.Train = append(ner.Train, s), append(cls.Train, ex)
		case i < n*8/10:
			ner.Dev, cls.Dev = append(ner.Dev, s), append(cls.Dev, ex)
		default:
			ner.Test, cls.Test = append(ner.Test, s), append(cls.Test, ex)
		}
	}
	ner.TagSet = []string{"O", "B-LOC", "B-PER", "I-LOC"}
	return ner, cls
}

func toyOptions() multitask.Options {
	opts := multitask.DefaultOptions()
	opts.Steps, opts.BatchSize, opts.EvalEvery = 300, 8, 100
	opts.LearningRate, opts.HeadLearningRate, opts.Warmup = 3e-3, 1e-2, 0
	opts.Progress = train.NoProgress()
	return opts
}

// TestTrainToy trains a tiny BERT on two toy tasks at once and checks that both are learnt,
// that the bookkeeping (steps per task, per-task evaluations and bests) is right, and that
// the predictions agree with the scores.
func TestTrainToy(t *testing.T) {
	enc := tinyBERT(t)
	ner, cls := toyTasks(300, 1)
	opts := toyOptions()
	opts.Sampling = multitask.RoundRobin
	opts.NoCheckpoint = true
	res, err := multitask.Run(enc, []multitask.Task{multitask.TokenTask(ner), multitask.SentenceTask(cls).WithWeight(0.5)}, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", res.Markdown())
	if res.Steps != 300 || len(res.StepTasks) != 300 || len(res.History.Loss) != 300 {
		t.Fatalf("steps %d, step tasks %d, losses %d; want 300", res.Steps, len(res.StepTasks), len(res.History.Loss))
	}
	nerRes, err := res.Task("toy-ner")
	if err != nil {
		t.Fatal(err)
	}
	clsRes, _ := res.Task("toy-loc")
	if nerRes.Steps != 150 || clsRes.Steps != 150 {
		t.Errorf("round-robin steps %d and %d, want 150 each", nerRes.Steps, clsRes.Steps)
	}
	if nerRes.Kind != "token" || nerRes.Metric != "entity F1" || nerRes.Scheme != "IOB2" || clsRes.Metric != "accuracy" || clsRes.Weight != 0.5 {
		t.Errorf("task descriptions: %+v / %+v", *nerRes, *clsRes)
	}
	for _, tr := range []*multitask.TaskResult{nerRes, clsRes} {
		if len(tr.Evals) != 3 || tr.Evals[0].Step != 100 || tr.Evals[2].Step != 300 {
			t.Errorf("%s evaluations %v, want at steps 100, 200, 300", tr.Name, tr.Evals)
		}
		best := slices.MaxFunc(tr.Evals, func(a, b multitask.TaskEval) int {
			if a.Metric < b.Metric || (a.Metric == b.Metric && a.Step > b.Step) {
				return -1
			}
			return 1
		})
		if tr.BestStep != best.Step || tr.Dev != best.Metric {
			t.Errorf("%s best step %d (dev %g), want the first best of %v", tr.Name, tr.BestStep, tr.Dev, tr.Evals)
		}
		if tr.Test < 0.85 {
			t.Errorf("%s test %s %.3f: not learnt", tr.Name, tr.Metric, tr.Test)
		}
	}
	// Round-robin: by step 100, each task had 50 of its own steps.
	if x, y := res.DevCurve("toy-loc"); !slices.Equal(x, []int{50, 100, 150}) || len(y) != 3 || y[2] != clsRes.Evals[2].Metric {
		t.Errorf("DevCurve = %v, %v", x, y)
	}
	if nerRes.Entities == nil || nerRes.Entities.Type("LOC").Gold == 0 || clsRes.Report == nil {
		t.Fatal("missing test reports")
	}
	// Predicting again with the task's best weights gives the stored test predictions.
	words := make([][]string, len(ner.Test))
	for i, s := range ner.Test {
		words[i] = s.Tokens
	}
	tags, err := res.PredictTags("toy-ner", words)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(tags, nerRes.TestTags) {
		t.Error("PredictTags differs from the test predictions")
	}
	labels, err := res.PredictLabels("toy-loc", cls.Texts(cls.Test))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(labels, clsRes.TestPredictions) {
		t.Error("PredictLabels differs from the test predictions")
	}
	if _, err := res.PredictLabels("toy-ner", []string{"cat"}); err == nil {
		t.Error("PredictLabels on a token task accepted")
	}
	if _, err := res.Task("pos"); err == nil || !strings.Contains(err.Error(), "toy-ner, toy-loc") {
		t.Errorf("unknown task error: %v", err)
	}
}

// TestTrainCheckpoints checks that a finished run is restored from its folder without
// training, with its results and weights, and that a one-task run is plain fine-tuning.
func TestTrainCheckpoints(t *testing.T) {
	enc := tinyBERT(t)
	ner, _ := toyTasks(200, 2)
	opts := toyOptions()
	opts.Steps, opts.EvalEvery = 40, 20
	opts.CheckpointDir = t.TempDir()
	tasks := []multitask.Task{multitask.TokenTask(ner)}
	first, err := multitask.Run(enc, tasks, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"best.ckpt", "last.ckpt", "best-task-0.ckpt", "result.json", "task-evals.json"} {
		if _, err := os.Stat(filepath.Join(opts.CheckpointDir, f)); err != nil {
			t.Errorf("missing %s: %v", f, err)
		}
	}
	if first.Tasks[0].Steps != 40 || first.Tasks[0].Probability != 1 {
		t.Errorf("one task: %d steps, probability %g", first.Tasks[0].Steps, first.Tasks[0].Probability)
	}
	again, err := multitask.Run(enc, tasks, opts)
	if err != nil {
		t.Fatal(err)
	}
	if again.TrainTime != first.TrainTime || !reflect.DeepEqual(again.Tasks, first.Tasks) {
		t.Error("the finished run was not restored as it was")
	}
	words := make([][]string, len(ner.Test))
	for i, s := range ner.Test {
		words[i] = s.Tokens
	}
	tags, err := again.PredictTags("toy-ner", words)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(tags, first.Tasks[0].TestTags) {
		t.Error("the restored model predicts differently")
	}
	loaded, err := multitask.LoadResult(filepath.Join(opts.CheckpointDir, "result.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(loaded.Tasks, first.Tasks) || loaded.Steps != 40 {
		t.Error("LoadResult differs")
	}
	if _, err := loaded.PredictTags("toy-ner", words); err == nil {
		t.Error("a loaded result without a model predicted")
	}
	// Other options: another folder (no restore), and training happens.
	opts.Seed = 2
	opts.CheckpointDir = t.TempDir()
	other, err := multitask.Run(enc, tasks, opts)
	if err != nil {
		t.Fatal(err)
	}
	if reflect.DeepEqual(other.History.Loss, first.History.Loss) {
		t.Error("another seed gave the same losses")
	}
}

func TestTrainErrors(t *testing.T) {
	enc := tinyBERT(t)
	ner, cls := toyTasks(50, 3)
	opts := toyOptions()
	opts.NoCheckpoint = true
	for _, c := range []struct {
		tasks []multitask.Task
		tweak func(*multitask.Options)
		want  string
	}{
		{nil, nil, "no tasks"},
		{[]multitask.Task{{Name: "x"}}, nil, "exactly one of"},
		{[]multitask.Task{multitask.TokenTask(ner), multitask.TokenTask(ner)}, nil, `two tasks are named "toy-ner"`},
		{[]multitask.Task{multitask.SentenceTask(cls).WithWeight(-1)}, nil, "negative weight"},
		{[]multitask.Task{multitask.SentenceTask(cls)}, func(o *multitask.Options) { o.BatchSize = 0 }, "batch size"},
		{[]multitask.Task{multitask.SentenceTask(cls)}, func(o *multitask.Options) { o.Steps, o.Epochs = 0, 0 }, "set Steps or Epochs"},
		{[]multitask.Task{multitask.SentenceTask(cls)}, func(o *multitask.Options) { o.Sampling, o.Temperature = multitask.Temperature, 0 }, "temperature"},
	} {
		o := opts
		if c.tweak != nil {
			c.tweak(&o)
		}
		if _, err := multitask.Run(enc, c.tasks, o); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want one containing %q", err, c.want)
		}
	}
}

// TestSubsample checks Task.Subsample: sizes, order kept, dataset unchanged.
func TestSubsample(t *testing.T) {
	ner, cls := toyTasks(100, 4)
	small := multitask.TokenTask(ner).Subsample(20, 5, 0, 1)
	if tr, dev, test := small.Sizes(); tr != 20 || dev != 5 || test != 20 {
		t.Errorf("sizes %d %d %d, want 20 5 20", tr, dev, test)
	}
	if len(ner.Train) != 70 {
		t.Error("Subsample changed the dataset")
	}
	sc := multitask.SentenceTask(cls).Subsample(10, 0, 3, 1)
	if tr, _, test := sc.Sizes(); tr != 10 || test != 3 {
		t.Errorf("sentence sizes %d, %d", tr, test)
	}
	// Kept in the original order.
	pos := map[string]int{}
	for i, ex := range cls.Train {
		pos[ex.Text] = i
	}
	last := -1
	for _, ex := range sc.Sentences.Train {
		if pos[ex.Text] < last {
			t.Error("Subsample reordered the examples")
		}
		last = pos[ex.Text]
	}
}

func TestHighlightHTML(t *testing.T) {
	words := strings.Fields("Bob flew to New York & Paris")
	gold := strings.Fields("B-PER O O B-LOC I-LOC O B-LOC")
	pred := strings.Fields("B-PER O O B-LOC O O B-ORG")
	got := multitask.HighlightHTML(words, pred, gold)
	for _, want := range []string{
		`solid transparent;border-radius:4px;padding:0 3px;margin:0 1px">Bob <sub`, // Correct: no outline.
		`solid #d62728;border-radius:4px;padding:0 3px;margin:0 1px"><s title="missed gold entity">New</s> <sub`,
		"&amp;", // Escaped.
		">ORG</sub>",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("HighlightHTML lacks %q:\n%s", want, got)
		}
	}
	if plain := multitask.HighlightHTML(words, gold, nil); strings.Contains(plain, "#d62728") || strings.Contains(plain, "<s ") ||
		!strings.Contains(plain, "New York <sub") {
		t.Errorf("without gold: %s", plain)
	}
}

// cancelAt is a Progress that cancels a context once the run has done step steps.
type cancelAt struct {
	step   int
	cancel context.CancelFunc
}

func (c cancelAt) Update(s train.Status) {
	if s.Step >= c.step {
		c.cancel()
	}
}
func (cancelAt) Done(train.Status, error) {}

// TestTrainResume interrupts a run after 25 of 40 steps and resumes it: the result is the
// uninterrupted run's, bit for bit (the plan continues at the right step).
func TestTrainResume(t *testing.T) {
	enc := tinyBERT(t)
	ner, cls := toyTasks(200, 5)
	tasks := []multitask.Task{multitask.TokenTask(ner), multitask.SentenceTask(cls)}
	opts := toyOptions()
	opts.Steps, opts.EvalEvery = 40, 10
	opts.CheckpointDir = t.TempDir()
	whole, err := multitask.Run(enc, tasks, opts)
	if err != nil {
		t.Fatal(err)
	}

	opts.CheckpointDir = t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	interrupted := opts
	interrupted.Context, interrupted.Progress = ctx, cancelAt{step: 25, cancel: cancel}
	if _, err := multitask.Run(enc, tasks, interrupted); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run: error %v, want context.Canceled", err)
	}
	resumed, err := multitask.Run(enc, tasks, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(resumed.History.Loss, whole.History.Loss) {
		t.Errorf("resumed losses differ:\n%v\n%v", resumed.History.Loss, whole.History.Loss)
	}
	for i := range whole.Tasks {
		w, r := whole.Tasks[i], resumed.Tasks[i]
		if !reflect.DeepEqual(w.Evals, r.Evals) || w.BestStep != r.BestStep || w.Test != r.Test || !reflect.DeepEqual(w.TestTags, r.TestTags) {
			t.Errorf("task %s: resumed run differs: evals %v vs %v, best %d vs %d, test %g vs %g",
				w.Name, r.Evals, w.Evals, r.BestStep, w.BestStep, r.Test, w.Test)
		}
	}
}

// TestTrainFrozenEncoder checks that FreezeEncoder trains the heads only: the restored
// model's encoder predicts with the pretrained weights, so two runs with different encoder
// learning rates give the same results.
func TestTrainFrozenEncoder(t *testing.T) {
	enc := tinyBERT(t)
	ner, _ := toyTasks(120, 6)
	opts := toyOptions()
	opts.Steps, opts.EvalEvery, opts.NoCheckpoint = 30, 15, true
	opts.FreezeEncoder, opts.Hidden = true, 8
	tasks := []multitask.Task{multitask.TokenTask(ner)}
	a, err := multitask.Run(enc, tasks, opts)
	if err != nil {
		t.Fatal(err)
	}
	opts.LearningRate = 0.5 // Would wreck a trainable encoder.
	b, err := multitask.Run(enc, tasks, opts)
	if err != nil {
		t.Fatal(err)
	}
	// The heads' rate is the same in both runs (HeadLearningRate), up to float32 rounding.
	for i := range a.History.Loss {
		if d := math.Abs(a.History.Loss[i] - b.History.Loss[i]); d > 1e-4*math.Abs(a.History.Loss[i]) {
			t.Fatalf("step %d: loss %g vs %g: the encoder's learning rate changed a frozen-encoder run", i+1, a.History.Loss[i], b.History.Loss[i])
		}
	}
	if a.History.Loss[len(a.History.Loss)-1] >= a.History.Loss[0] {
		t.Errorf("the heads did not learn: loss %g → %g", a.History.Loss[0], a.History.Loss[len(a.History.Loss)-1])
	}
}
