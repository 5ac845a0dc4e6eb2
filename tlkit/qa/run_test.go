package qa_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/internal/testkit"
	"github.com/nlp-transfer/gotl/tlkit/metrics"
	"github.com/nlp-transfer/gotl/tlkit/qa"
	"github.com/nlp-transfer/gotl/tlkit/train"
)

// toyQA returns n questions whose answer is the context's one word "gold", at a random place
// among filler words, in contexts of 6 to 11 words (one or two windows of the toy encoder).
func toyQA(n int, seed uint64) []data.QAExample {
	rng := rand.New(rand.NewPCG(seed, 1))
	filler := []string{"w1", "w2", "w3", "w5", "w8"}
	out := make([]data.QAExample, n)
	for i := range out {
		words := make([]string, 6+rng.IntN(6))
		for j := range words {
			words[j] = filler[rng.IntN(len(filler))]
		}
		at := rng.IntN(len(words))
		words[at] = "gold"
		context := strings.Join(words, " ")
		start := len(strings.Join(words[:at], " "))
		if at > 0 {
			start++
		}
		out[i] = data.QAExample{ID: fmt.Sprintf("q%d", i), Question: "which", Context: context,
			Answers: []data.Answer{{Text: "gold", Start: start}}}
	}
	return out
}

func toyOptions() qa.Options {
	opts := qa.DefaultOptions()
	opts.Windows = qa.WindowOptions{Stride: 2, MaxQuestion: 2}
	opts.MaxAnswer = 3
	opts.LearningRate, opts.Epochs, opts.BatchSize, opts.MinSteps = 0.05, 30, 16, 0
	opts.NoCheckpoint, opts.Progress = true, train.NoProgress()
	return opts
}

func TestRunLearnsSpans(t *testing.T) {
	task := &data.QASplits{Train: toyQA(96, 1), Dev: toyQA(24, 2), Test: toyQA(40, 3)}
	enc := testkit.NewToyEncoder(t)
	before := enc.Table.MustValue().Value()
	res, err := qa.Run(enc, task, toyOptions())
	if err != nil {
		t.Fatal(err)
	}
	if res.TrainWindows <= len(task.Train) {
		t.Errorf("%d windows for %d questions: want contexts longer than one window", res.TrainWindows, len(task.Train))
	}
	if res.Test.F1 < 0.95 || res.Test.ExactMatch < 0.95 || res.Test.Total != 40 || res.Test.Answered != 40 {
		t.Errorf("test EM %.3f F1 %.3f (%d of %d answered); want ≥ 0.95 on a task a span head can learn exactly",
			res.Test.ExactMatch, res.Test.F1, res.Test.Answered, res.Test.Total)
	}
	if res.Dev.F1 < 0.95 {
		t.Errorf("dev F1 %.3f", res.Dev.F1)
	}
	if after := enc.Table.MustValue().Value(); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Error("Run changed the encoder's own weights; it must train a copy")
	}
	// The same seed gives the same answers; the untrained model does not answer so well.
	again, err := qa.Run(enc, task, toyOptions())
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(again.TestPredictions) != fmt.Sprint(res.TestPredictions) || again.Test.F1 != res.Test.F1 {
		t.Error("two runs with the same seed answered differently")
	}
	opts := toyOptions()
	opts.MaxSteps, opts.LearningRate = 1, 1e-6
	untrained, err := qa.Run(enc, task, opts)
	if err != nil {
		t.Fatal(err)
	}
	if untrained.Test.F1 > 0.5 {
		t.Errorf("one step at lr 1e-6 already gives test F1 %.3f: the task is too easy to test training", untrained.Test.F1)
	}
}

func TestRunErrors(t *testing.T) {
	enc := testkit.NewToyEncoder(t)
	unanswerable := toyQA(4, 1)
	unanswerable[2].Answers, unanswerable[2].Impossible = nil, true
	bigDropout := toyOptions()
	bigDropout.Dropout = 1
	for _, c := range []struct {
		name string
		task *data.QASplits
		opts qa.Options
		want string
	}{
		{"no training questions", &data.QASplits{Test: toyQA(2, 1)}, toyOptions(), "no training questions"},
		{"unanswerable question", &data.QASplits{Train: unanswerable}, toyOptions(), "question q2 has no answer"},
		{"dropout 1", &data.QASplits{Train: toyQA(4, 1)}, bigDropout, "dropout 1 must be in [0, 1)"},
	} {
		_, err := qa.Run(enc, c.task, c.opts)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
}

func TestOverlap(t *testing.T) {
	ctx := "The Broncos play in Denver. Super Bowl 50 was played at Levi's Stadium in Santa Clara, California, on February 7, 2016."
	for _, c := range []struct {
		question string
		words    int
		want     string
	}{
		// The second sentence shares "Super", "Bowl", "50", "played"; the nearest run of new
		// words after them is "at Levi's Stadium in Santa Clara", cut to 5 words ("at", "Levi",
		// "'", "s", "Stadium") and trimmed of "at".
		{"Where was Super Bowl 50 played?", 5, "Levi's Stadium"},
		{"Where was Super Bowl 50 played?", 12, "Levi's Stadium in Santa Clara"},
		{"In which city do the Broncos play?", 4, "Denver"},
	} {
		ex := data.QAExample{ID: "q", Question: c.question, Context: ctx}
		got := qa.Overlap(ex, c.words)
		if got.Text != c.want {
			t.Errorf("Overlap(%q, %d) = %q, want %q", c.question, c.words, got.Text, c.want)
		}
		if ctx[got.Span.Start:got.Span.End] != got.Text {
			t.Errorf("span %v does not give %q", got.Span, got.Text)
		}
	}
}

// TestBilinearHeadReadsTheQuestion asks for one of two marked words, named by the question:
// the toy encoder's states do not see the question, so only the bilinear head, which
// matches each token with the question's mean state, can answer.
func TestBilinearHeadReadsTheQuestion(t *testing.T) {
	examples := func(n int, seed uint64) []data.QAExample {
		rng := rand.New(rand.NewPCG(seed, 2))
		out := make([]data.QAExample, n)
		for i := range out {
			words := []string{"w1", "w2", "w3", "w5", "w8", "w1"}
			rng.Shuffle(len(words), func(a, b int) { words[a], words[b] = words[b], words[a] })
			gi, si := rng.IntN(3), 3+rng.IntN(3)
			if rng.IntN(2) == 0 {
				gi, si = si, gi
			}
			words[gi], words[si] = "gold", "silver"
			asked, at := "gold", gi
			if rng.IntN(2) == 0 {
				asked, at = "silver", si
			}
			context := strings.Join(words, " ")
			start := 0
			for _, w := range words[:at] {
				start += len(w) + 1
			}
			out[i] = data.QAExample{ID: fmt.Sprint("q", i), Question: asked, Context: context,
				Answers: []data.Answer{{Text: asked, Start: start}}}
		}
		return out
	}
	task := &data.QASplits{Train: examples(128, 1), Dev: examples(32, 2), Test: examples(64, 3)}
	enc := testkit.NewToyEncoder(t)
	scores := map[qa.Head]float64{}
	for _, head := range []qa.Head{qa.LinearHead, qa.BilinearHead} {
		opts := toyOptions()
		opts.Head = head
		res, err := qa.Run(enc, task, opts)
		if err != nil {
			t.Fatal(err)
		}
		scores[head] = res.Test.ExactMatch
	}
	t.Logf("test EM: linear %.3f, bilinear %.3f", scores[qa.LinearHead], scores[qa.BilinearHead])
	if scores[qa.BilinearHead] < 0.9 || scores[qa.LinearHead] > 0.75 {
		t.Errorf("test EM: linear %.3f, bilinear %.3f; want the bilinear head ≥ 0.9 and the linear one near chance (0.5)",
			scores[qa.LinearHead], scores[qa.BilinearHead])
	}
}

func TestAnswerHTML(t *testing.T) {
	ctx := "Tom & Jerry live in <New York> since 1940."
	ex := data.QAExample{Question: "Where?", Context: ctx, Answers: []data.Answer{{Text: "New York", Start: strings.Index(ctx, "New")}}}
	york := strings.Index(ctx, "York")
	got := qa.AnswerHTML(ex, qa.Span{Start: york, End: york + len("York> since")}, metrics.SQuADRules, 0)
	for _, want := range []string{"Tom &amp; Jerry", "&lt;", `<span style="background:#ccebc5">New </span>`,
		`<span style="background:#ccebc5;outline:2px solid #d62728;border-radius:3px">York</span>`,
		`<span style="outline:2px solid #d62728;border-radius:3px">&gt; since</span>`} {
		if !strings.Contains(got, want) {
			t.Errorf("AnswerHTML lacks %q:\n%s", want, got)
		}
	}
	if got := qa.AnswerHTML(ex, qa.Span{Start: strings.Index(ctx, "New"), End: york + 4}, metrics.SQuADRules, 5); !strings.Contains(got, "#2ca02c") ||
		!strings.HasSuffix(got, " …</div>") || !strings.Contains(got, "… ") {
		t.Errorf("an exact answer in a 5-byte window: %s", got)
	}
}

func TestCompare(t *testing.T) {
	task := &data.QASplits{Train: toyQA(64, 1), Dev: toyQA(16, 2), Test: toyQA(24, 3)}
	opts := toyOptions()
	opts.Epochs = 10
	enc := testkit.NewToyEncoder(t)
	methods := []qa.Method{
		{Name: "toy", Encoder: enc, Options: opts, LearningRates: []float64{1e-6, 0.05}},
		{Name: "overlap", OverlapWords: []int{1, 3}},
	}
	copts := qa.DefaultCompareOptions()
	copts.Sizes, copts.Seeds, copts.ResultsDir, copts.Resamples = []int{16, 0}, []uint64{1, 2}, t.TempDir(), 200
	c, err := qa.Compare(task, methods, copts)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(c.Sizes) != "[16 64]" || len(c.Rows) != 4 {
		t.Fatalf("sizes %v, %d rows; want [16 64] and 4 rows", c.Sizes, len(c.Rows))
	}
	// Two learning rates with seed 1, then seed 2 with the chosen one, at each size; the
	// overlap baseline once a size.
	if len(c.Runs) != 2*3+2 {
		t.Errorf("%d runs, want 8", len(c.Runs))
	}
	full, _ := c.Row("toy", 64)
	if full.Param != 0.05 || full.F1.N != 2 || full.F1.Mean < 0.9 || !(full.F1CI[0] <= full.F1.Mean && full.F1.Mean <= full.F1CI[1]) {
		t.Errorf("toy at 64: %+v; want lr 0.05 chosen on dev, 2 seeds, F1 ≥ 0.9 inside its interval", full)
	}
	if r, ok := c.Run("toy", 64, 2); !ok || r.Seed != 2 || r.History == nil || len(r.Predictions) != 24 {
		t.Errorf("run of seed 2: %+v, %v", r, ok)
	}
	if r, ok := c.Row("overlap", 16); !ok || r.F1.N != 1 {
		t.Errorf("overlap row %+v", r)
	}
	// A second Compare reads every trained run back (the encoder is not called): the same
	// numbers.
	calls := enc.Tokenized.Load()
	again, err := qa.Compare(task, methods, copts)
	if err != nil {
		t.Fatal(err)
	}
	if enc.Tokenized.Load() != calls {
		t.Error("the second Compare trained again instead of reading the saved runs")
	}
	if again.Markdown() != c.Markdown() {
		t.Errorf("the saved runs give another table:\n%s\nvs\n%s", again.Markdown(), c.Markdown())
	}
	if !(full.EMCI[0] <= full.EM.Mean && full.EM.Mean <= full.EMCI[1]) || !strings.Contains(c.Markdown(), "| EM 95% CI |") {
		t.Errorf("EM %v outside its interval %v, or no EM interval in the table:\n%s", full.EM.Mean, full.EMCI, c.Markdown())
	}
	// A run saved without per-question EM (before runs kept it) is rescored from its
	// predictions, not trained again: the same table.
	saved, _ := filepath.Glob(filepath.Join(copts.ResultsDir, "*", "*.json"))
	for _, path := range saved {
		var run map[string]any
		raw, err := os.ReadFile(path)
		if err == nil {
			err = json.Unmarshal(raw, &run)
		}
		if err != nil {
			t.Fatal(err)
		}
		delete(run, "per_question_em")
		raw, _ = json.Marshal(run)
		if err := os.WriteFile(path, raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if len(saved) == 0 {
		t.Fatal("no saved runs")
	}
	old, err := qa.Compare(task, methods, copts)
	if err != nil || enc.Tokenized.Load() != calls || old.Markdown() != c.Markdown() {
		t.Errorf("runs saved without per-question EM: err %v, trained again %v, table\n%s\nvs\n%s", err, enc.Tokenized.Load() != calls, old.Markdown(), c.Markdown())
	}
	if _, err := c.PlotCurve(); err != nil {
		t.Error(err)
	}
	// Tuned at the largest size only: 2 learning rates + 1 seed there, 2 seeds at 16.
	copts.TuneAtLargest, copts.ResultsDir = true, t.TempDir()
	once, err := qa.Compare(task, methods, copts)
	if err != nil {
		t.Fatal(err)
	}
	small, _ := once.Row("toy", 16)
	if len(once.Runs) != 3+2+2 || small.Param != full.Param || small.F1.N != 2 {
		t.Errorf("tuned once: %d runs (want 7), lr %g at 16 (want %g)", len(once.Runs), small.Param, full.Param)
	}
}
