package pretrain

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/bert"
	"github.com/nlp-transfer/gotl/tlkit/train"
)

// tinyDocuments are generated English-like documents: a few hundred sentences over a small
// vocabulary, enough for a few steps of a tiny model.
func tinyDocuments() []string {
	subjects := []string{"the cat", "a dog", "the old man", "my sister", "the children", "a bird"}
	verbs := []string{"sat on", "looked at", "walked to", "found", "painted", "liked"}
	objects := []string{"the mat", "a red house", "the garden", "the river", "a small boat", "the blue door"}
	rng := rand.New(rand.NewPCG(11, 11))
	var docs []string
	for range 6 {
		var lines []string
		for range 40 {
			lines = append(lines, fmt.Sprintf("%s %s %s.", subjects[rng.IntN(len(subjects))],
				verbs[rng.IntN(len(verbs))], objects[rng.IntN(len(objects))]))
		}
		docs = append(docs, strings.Join(lines, "\n"))
	}
	return docs
}

// tinyOptions is a 1-layer, 16-wide BERT over the bert-base-uncased vocabulary, rows of 16
// tokens, batches of 4, 8 steps with a checkpoint and an evaluation every 4.
func tinyOptions(dir string) Options {
	o := DefaultOptions()
	o.Documents = tinyDocuments()
	o.Layers, o.Hidden, o.Heads, o.Intermediate, o.SeqLen = 1, 16, 2, 32, 16
	o.BatchSize, o.Steps, o.CheckpointEvery = 4, 8, 4
	o.EvalRows, o.EvalEvery = 8, 4
	o.LearningRate = 5e-3
	o.Dir = dir
	o.Progress = train.NoProgress()
	return o
}

// stopAt is a Progress that cancels a context once the run has done step steps.
type stopAt struct {
	step   int
	cancel context.CancelFunc
}

func (s stopAt) Update(st train.Status) {
	if st.Step >= s.step {
		s.cancel()
	}
}
func (stopAt) Done(train.Status, error) {}

// An interrupted run, resumed, ends with the same weights, losses and evaluations as an
// uninterrupted one; a finished run is then reused without training.
func TestResumeIsBitIdentical(t *testing.T) {
	whole, err := Pretrain(tinyOptions(filepath.Join(t.TempDir(), "whole")))
	if err != nil {
		t.Fatal(err)
	}
	if whole.Cached || whole.History.Steps != 8 || len(whole.History.Loss) != 8 {
		t.Fatalf("cached %v, %d steps, %d losses; want a fresh run of 8 steps", whole.Cached, whole.History.Steps, len(whole.History.Loss))
	}
	if steps := evalSteps(whole.History); !slices.Equal(steps, []int{0, 4, 8}) {
		t.Errorf("evaluations at steps %v, want [0 4 8]", steps)
	}

	dir := filepath.Join(t.TempDir(), "resumed")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opts := tinyOptions(dir)
	opts.Progress = stopAt{step: 3, cancel: cancel}
	if _, err := Run(ctx, opts); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run: error %v, want context.Canceled", err)
	}
	if st, err := train.ReadCheckpointState(filepath.Join(dir, TrainDir, train.LastCheckpoint)); err != nil || st.Step != 3 {
		t.Fatalf("after the interruption: state %+v, %v; want a checkpoint at step 3", st, err)
	}
	if _, err := os.Stat(filepath.Join(dir, bert.WeightsFile)); err == nil {
		t.Error("an interrupted run wrote the final checkpoint")
	}
	resumed, err := Pretrain(tinyOptions(dir))
	if err != nil {
		t.Fatal(err)
	}
	if resumed.History.StepsThisRun != 5 {
		t.Errorf("the resumed run did %d steps, want 5", resumed.History.StepsThisRun)
	}
	if !slices.Equal(whole.History.Loss, resumed.History.Loss) {
		t.Errorf("losses differ:\nwhole   %v\nresumed %v", whole.History.Loss, resumed.History.Loss)
	}
	if !slices.Equal(whole.History.Evals, resumed.History.Evals) {
		t.Errorf("evaluations differ:\nwhole   %+v\nresumed %+v", whole.History.Evals, resumed.History.Evals)
	}
	a, errA := os.ReadFile(filepath.Join(whole.Dir, bert.WeightsFile))
	b, errB := os.ReadFile(filepath.Join(dir, bert.WeightsFile))
	if errA != nil || errB != nil || !bytes.Equal(a, b) {
		t.Errorf("model.safetensors differ between the uninterrupted and the resumed run (%v, %v)", errA, errB)
	}
	if _, err := os.Stat(filepath.Join(dir, TrainDir)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the training state was kept after a finished run (%v)", err)
	}

	again, err := Pretrain(tinyOptions(dir))
	if err != nil {
		t.Fatal(err)
	}
	if !again.Cached || !slices.Equal(again.History.Loss, whole.History.Loss) || !again.Model.HasMLMHead() {
		t.Errorf("rerun: cached %v, head %v; want the finished run reused", again.Cached, again.Model.HasMLMHead())
	}
	other := tinyOptions(dir)
	other.Seed = 2
	if _, err := Pretrain(other); err != nil {
		t.Fatalf("another seed in the same folder: %v", err)
	}
	if h, err := ReadHistory(dir); err != nil || h.Options.Seed != 2 {
		t.Errorf("history after retraining with seed 2: %v", err)
	}
}

// evalSteps lists the steps of the evaluations.
func evalSteps(h *History) []int {
	var steps []int
	for _, e := range h.Evals {
		steps = append(steps, e.Step)
	}
	return steps
}

// learnOptions are tinyOptions widened to 32 and run for 40 steps: enough to learn the tiny
// documents' words.
func learnOptions(dir string) Options {
	o := tinyOptions(dir)
	o.Steps, o.EvalEvery, o.CheckpointEvery = 40, 20, 20
	o.Hidden, o.Intermediate = 32, 64
	return o
}

// Training lowers the held-out loss of a tiny model on repetitive text, the checkpoint loads
// with bert.Load, and FillMask ranks candidates for each [MASK].
func TestPretrainLearnsAndFillsMasks(t *testing.T) {
	res, err := Pretrain(learnOptions(filepath.Join(t.TempDir(), "run")))
	if err != nil {
		t.Fatal(err)
	}
	first, _ := res.History.First()
	last, _ := res.History.Last()
	t.Logf("held-out loss %.3f → %.3f (perplexity %.0f → %.1f), accuracy %.3f → %.3f",
		first.Loss, last.Loss, first.Perplexity, last.Perplexity, first.Accuracy, last.Accuracy)
	if first.Step != 0 || last.Step != 40 {
		t.Fatalf("evaluations from step %d to %d, want 0 to 40", first.Step, last.Step)
	}
	if !(last.Loss < first.Loss-2) {
		t.Errorf("held-out loss %.3f → %.3f: want a drop of more than 2 nats", first.Loss, last.Loss)
	}
	if res.History.Params < 30522*32 || res.History.TokensPerSecond <= 0 {
		t.Errorf("params %d, tokens/s %g", res.History.Params, res.History.TokensPerSecond)
	}

	m, err := bert.Load(res.Dir)
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{"the cat sat on the [MASK].", "a [MASK] looked at the [MASK] door.", "no blank here."}
	blanks, err := FillMask(m, texts, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(blanks) != 3 || len(blanks[0]) != 1 || len(blanks[1]) != 2 || len(blanks[2]) != 0 {
		t.Fatalf("blanks per text %d/%d/%d, want 1/2/0", len(blanks[0]), len(blanks[1]), len(blanks[2]))
	}
	if blanks[0][0].Position != 6 {
		t.Errorf("the [MASK] of %q is at %d, want 6", texts[0], blanks[0][0].Position)
	}
	for _, bl := range blanks[1] {
		if len(bl.Candidates) != 3 || !(bl.Candidates[0].Prob >= bl.Candidates[1].Prob && bl.Candidates[1].Prob >= bl.Candidates[2].Prob) {
			t.Errorf("candidates %+v: want 3, most probable first", bl.Candidates)
		}
	}
	line := FormatBlanks(texts[1], blanks[1])
	t.Log(line)
	if strings.Contains(line, "[MASK]") || !strings.HasPrefix(line, "a [") {
		t.Errorf("FormatBlanks: %q", line)
	}
	plain, err := bert.New(m.Config(), m.Tokenizer().VocabPath(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := FillMask(plain, texts, 3); err == nil {
		t.Error("FillMask without an MLM head succeeded")
	}
}

// Bad options are errors naming the problem.
func TestOptionErrors(t *testing.T) {
	for _, c := range []struct {
		change func(*Options)
		want   string
	}{
		{func(o *Options) { o.Corpora = []string{"nope"} }, "unknown corpus"},
		{func(o *Options) { o.Hidden, o.Heads = 30, 4 }, "multiple of heads"},
		{func(o *Options) { o.Steps = 0 }, "must be positive"},
		{func(o *Options) { o.MaskProb = 1.5 }, "mask probability"},
		{func(o *Options) { o.Warmup = 1 }, "warmup"},
		{func(o *Options) { o.InitRange = -0.1 }, "init range"},
	} {
		o := DefaultOptions()
		o.Dir = t.TempDir()
		c.change(&o)
		if _, err := Pretrain(o); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want one mentioning %q", err, c.want)
		}
	}
}

// domainDocuments are tinyDocuments' words in another register: the "new domain" of the
// continued-pretraining test.
func domainDocuments() []string {
	var docs []string
	for _, d := range tinyDocuments() {
		docs = append(docs, strings.ReplaceAll(strings.ReplaceAll(d, "the ", "this "), ".", "!"))
	}
	return docs
}

// Continued pretraining (Options.From) starts from the checkpoint's weights, takes its
// architecture and vocabulary, is keyed by the checkpoint, and refuses a mismatched
// architecture.
func TestContinueFrom(t *testing.T) {
	base, err := Pretrain(learnOptions(filepath.Join(t.TempDir(), "base")))
	if err != nil {
		t.Fatal(err)
	}
	cont := func(dir string) Options {
		o := tinyOptions(dir)
		o.Documents = domainDocuments()
		o.From = base.Dir
		o.Layers, o.Hidden, o.Heads, o.Intermediate = 0, 0, 0, 0 // The checkpoint's.
		return o
	}
	fresh := tinyOptions(filepath.Join(t.TempDir(), "fresh"))
	fresh.Documents = domainDocuments()
	fresh.Hidden, fresh.Intermediate = 32, 64
	scratch, err := Pretrain(fresh)
	if err != nil {
		t.Fatal(err)
	}
	adapted, err := Pretrain(cont(filepath.Join(t.TempDir(), "adapted")))
	if err != nil {
		t.Fatal(err)
	}
	s0, _ := scratch.History.First()
	a0, _ := adapted.History.First()
	b1, _ := base.History.Last()
	t.Logf("held-out loss at step 0 on the new text: random weights %.3f, from the checkpoint %.3f (the checkpoint's own held-out loss %.3f)", s0.Loss, a0.Loss, b1.Loss)
	if !(a0.Loss < s0.Loss-1) {
		t.Errorf("step-0 loss from the checkpoint %.3f, from random weights %.3f: want the checkpoint's weights to start lower", a0.Loss, s0.Loss)
	}
	if adapted.Model.Config() != base.Model.Config() {
		t.Errorf("config %+v, want the checkpoint's %+v", adapted.Model.Config(), base.Model.Config())
	}
	if h := adapted.History; !strings.Contains(h.Key, " from=") || h.Options.Layers != 1 || h.Options.Hidden != 32 {
		t.Errorf("history key %q, layers %d, hidden %d: want the checkpoint in the key and its architecture", h.Key, h.Options.Layers, h.Options.Hidden)
	}
	if _, err := bert.Load(adapted.Dir); err != nil {
		t.Errorf("the continued checkpoint does not load: %v", err)
	}
	again, err := Pretrain(cont(adapted.Dir))
	if err != nil || !again.Cached {
		t.Errorf("rerun of the continued run: %v (cached %v); want it reused", err, again != nil && again.Cached)
	}

	wrong := cont(filepath.Join(t.TempDir(), "wrong"))
	wrong.Layers = 2
	if _, err := Pretrain(wrong); err == nil || !strings.Contains(err.Error(), "layers 1") {
		t.Errorf("a mismatched architecture: error %v, want one naming the checkpoint's layers", err)
	}
	long := cont(filepath.Join(t.TempDir(), "long"))
	long.SeqLen = 64
	if _, err := Pretrain(long); err == nil || !strings.Contains(err.Error(), "positions") {
		t.Errorf("rows longer than the checkpoint's positions: error %v", err)
	}
	missing := cont(filepath.Join(t.TempDir(), "missing"))
	missing.From = filepath.Join(t.TempDir(), "nothing")
	if _, err := Pretrain(missing); err == nil || !strings.Contains(err.Error(), "continuing from") {
		t.Errorf("a missing checkpoint: error %v", err)
	}
	noVocab := cont(filepath.Join(t.TempDir(), "novocab"))
	noVocab.From = t.TempDir()
	for _, name := range []string{bert.ConfigFile, bert.WeightsFile} {
		content, err := os.ReadFile(filepath.Join(base.Dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(noVocab.From, name), content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Pretrain(noVocab); err == nil || !strings.Contains(err.Error(), bert.VocabFile) {
		t.Errorf("a checkpoint without %s: error %v, want one naming it", bert.VocabFile, err)
	}
}

// The movie-review corpora load as text only, one document a review.
func TestDomainCorpora(t *testing.T) {
	if data.FindMirror() == "" {
		t.Skip("no dataset mirror: set TLKIT_DATA to a mirror folder (like ../shared/data)")
	}
	for name, want := range map[string]int{"movie_reviews": 2000, "imdb2k": 2000} {
		docs, err := LoadCorpus(nil, name)
		if err != nil {
			t.Fatal(err)
		}
		words := 0
		for _, d := range docs {
			words += len(strings.Fields(d))
			if strings.Contains(d, "<br") {
				t.Fatalf("%s: HTML left in %q", name, d[:80])
			}
		}
		t.Logf("%s: %d documents, %d words", name, len(docs), words)
		if len(docs) != want || words < 300000 {
			t.Errorf("%s: %d documents, %d words; want %d reviews and at least 300 000 words", name, len(docs), words, want)
		}
	}
}

// The initial weights' range reaches the model's config and the run's key; the default keeps
// the key of runs made before the option existed.
func TestInitRange(t *testing.T) {
	o := DefaultOptions()
	if cfg := o.bertConfig(100); cfg.InitializerRange != 0.02 {
		t.Errorf("default initializer range %g, want BERT's 0.02", cfg.InitializerRange)
	}
	base := o.key("v", "")
	o.InitRange = 0.1
	if cfg := o.bertConfig(100); cfg.InitializerRange != 0.1 {
		t.Errorf("initializer range %g, want 0.1", cfg.InitializerRange)
	}
	if k := o.key("v", ""); k == base || !strings.Contains(k, "init=0.1") || strings.Contains(base, "init=") {
		t.Errorf("keys %q and %q: want init=0.1 in the second only", base, k)
	}
}
