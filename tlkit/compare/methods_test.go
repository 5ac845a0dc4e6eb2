package compare

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/plot"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/internal/testkit"
	"github.com/nlp-transfer/gotl/tlkit/bow"
	"github.com/nlp-transfer/gotl/tlkit/finetune"
	"github.com/nlp-transfer/gotl/tlkit/metrics"
	"github.com/nlp-transfer/gotl/tlkit/probe"
	"github.com/nlp-transfer/gotl/tlkit/train"
)

// methodTask is a toy sentiment task the feat-toy encoder can learn: 40 training texts.
func methodTask() *data.TextClassification {
	task := &data.TextClassification{Name: "toy-methods", Labels: []string{"neg", "pos"}}
	pos := []string{"good", "great fun", "fine good film", "great", "lovely good"}
	neg := []string{"bad", "awful dull", "bad boring film", "awful", "dull bad"}
	for i := range 20 {
		task.Train = append(task.Train, data.Example{Text: pos[i%5], Label: 1}, data.Example{Text: neg[i%5], Label: 0})
	}
	task.Dev = []data.Example{{Text: "good fun", Label: 1}, {Text: "bad dull", Label: 0}}
	task.Test = []data.Example{{Text: "great good", Label: 1}, {Text: "awful bad", Label: 0}, {Text: "lovely", Label: 1}}
	return task
}

func TestFeaturesMethodEmbedsEachTextOnce(t *testing.T) {
	enc := testkit.NewToyEncoder(t)
	task := methodTask()
	head := probe.DefaultHeadOptions()
	head.Epochs = 5
	m := FeaturesMethod("toy features", enc, probe.FeatureOptions{CacheDir: t.TempDir()}, head)
	c, err := Sweep(task, []Method{m}, []int{2, 10, 40}, []int64{1, 2}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	unique := map[string]bool{}
	for _, ex := range task.All() {
		unique[ex.Text] = true
	}
	if got := enc.Texts.Load(); got != int64(len(unique)) {
		t.Errorf("the encoder embedded %d texts over 6 runs, want each of the %d distinct texts once", got, len(unique))
	}
	if len(c.Runs) != 6 {
		t.Errorf("%d runs, want 6", len(c.Runs))
	}
	p, err := c.PlotCurve()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := p.X.Scale.(plot.LogScale); !ok {
		t.Errorf("sizes 2 to 40: X scale %T, want a log scale", p.X.Scale)
	}
}

func TestFineTuneMethodSeparatesSeeds(t *testing.T) {
	enc := testkit.NewToyEncoder(t)
	task := methodTask()
	opts := finetune.DefaultOptions()
	opts.MaxSteps, opts.Epochs, opts.BatchSize, opts.LearningRate = 3, 1, 8, 1e-2
	opts.CheckpointDir = t.TempDir()
	opts.Progress = train.NoProgress()
	c, err := Compare(task, []Method{FineTuneMethod("toy ft", enc, opts)}, []int64{1, 2}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Runs) != 2 {
		t.Fatalf("%d runs, want 2", len(c.Runs))
	}
	dirs, _ := filepath.Glob(filepath.Join(opts.CheckpointDir, "toy_ft-*", "*-seed*"))
	if len(dirs) != 2 {
		t.Errorf("checkpoint folders %v, want one per seed", dirs)
	}
	for _, d := range dirs {
		if entries, err := os.ReadDir(d); err != nil || len(entries) == 0 {
			t.Errorf("checkpoint folder %s is empty (%v)", d, err)
		}
	}
}

func TestBestOnDevKeepsTheBestDevCandidate(t *testing.T) {
	task := methodTask()
	fixed := func(name string, dev float64, pred int) Method {
		return Method{Name: name, Run: func(task *data.TextClassification, seed int64) (Outcome, error) {
			p := make([]int, len(task.Test))
			for i := range p {
				p[i] = pred
			}
			return Outcome{TestPred: p, Dev: dev + float64(seed)/100}, nil
		}}
	}
	m := BestOnDev("best", fixed("a", 0.5, 0), fixed("b", 0.9, 1), fixed("c", 0.9, 0))
	out, err := m.Run(task, 2)
	if err != nil {
		t.Fatal(err)
	}
	if out.Dev != 0.92 || out.TestPred[0] != 1 {
		t.Errorf("BestOnDev chose dev %g, predictions %v; want candidate b (dev 0.92, predictions 1)", out.Dev, out.TestPred)
	}
	noDev := methodTask()
	noDev.Dev = nil
	if _, err := m.Run(noDev, 1); err == nil {
		t.Error("BestOnDev on a task without a dev split: no error")
	}
	if _, err := BestOnDev("empty").Run(task, 1); err == nil {
		t.Error("BestOnDev without candidates: no error")
	}
}

// bagOfWordsToy returns methodTask without its dev split and the TF-IDF options and head
// that learn it. With a dev split of two texts, TrainHead would keep the first epoch that gets
// both right, after a step or two: train for all epochs instead. Unit-length sparse vectors
// want a larger step than standardized features.
func bagOfWordsToy() (*data.TextClassification, bow.Options, probe.HeadOptions) {
	task := methodTask()
	task.Dev = nil
	head := probe.DefaultHeadOptions()
	head.Standardize, head.LearningRate = false, 1e-2
	opts := bow.DefaultOptions()
	opts.MinDF = 1
	return task, opts, head
}

func TestBagOfWordsMethod(t *testing.T) {
	task, opts, head := bagOfWordsToy()
	c, err := Compare(task, []Method{BagOfWordsMethod("tf-idf", opts, head)}, []int64{1, 2}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// "lovely" is in training texts ("lovely good"): every test text has a known word.
	for _, r := range c.Runs {
		if r.Accuracy != 1 {
			t.Errorf("seed %d: accuracy %v, want 1 on the toy task", r.Seed, r.Accuracy)
		}
		if len(r.TestProbs) != len(task.Test) {
			t.Fatalf("seed %d: %d test probability rows, want %d", r.Seed, len(r.TestProbs), len(task.Test))
		}
		for i, p := range r.TestProbs {
			if metrics.Argmax(p) != r.TestPred[i] || math.Abs(float64(p[0]+p[1])-1) > 1e-5 {
				t.Errorf("seed %d, test %d: probabilities %v and label %d disagree", r.Seed, i, p, r.TestPred[i])
			}
		}
	}
	// The vocabulary comes from the run's training texts only: a task whose test words are
	// all unseen gets zero vectors, hence the same prediction for every test text.
	unseen := methodTask()
	unseen.Dev = nil
	unseen.Test = []data.Example{{Text: "splendid", Label: 1}, {Text: "horrid", Label: 0}}
	c, err = Compare(unseen, []Method{BagOfWordsMethod("tf-idf", opts, head)}, []int64{1}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p := c.Runs[0].TestProbs; p[0][0] != p[1][0] {
		t.Errorf("unseen words got different probabilities %v", p)
	}
}
