package distill

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/internal/backend"
	"github.com/nlp-transfer/gotl/tlkit/bert"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/probe"
	"github.com/nlp-transfer/gotl/tlkit/train"
)

// The loss is the mean squared difference, and its gradient with respect to the student's
// vectors is 2(s − t)/(batch·dim).
func TestLossGradient(t *testing.T) {
	s := [][]float64{{1, 2, 3}, {0, -1, 0.5}}
	tv := [][]float64{{0.5, 2, 1}, {1, 1, 1}}
	exec, err := graph.NewExec(backend.MustGet(), func(s, tv *graph.Node) []*graph.Node {
		l := Loss(s, tv)
		return []*graph.Node{l, graph.Gradient(l, s)[0]}
	})
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Exec(s, tv)
	if err != nil {
		t.Fatal(err)
	}
	wantLoss := 0.0
	var wantGrad []float64
	for i := range s {
		for j := range s[i] {
			d := s[i][j] - tv[i][j]
			wantLoss += d * d / 6
			wantGrad = append(wantGrad, 2*d/6)
		}
	}
	if got := tensors.ToScalar[float64](out[0]); math.Abs(got-wantLoss) > 1e-12 {
		t.Errorf("loss %v, want %v", got, wantLoss)
	}
	for i, g := range tensors.MustCopyFlatData[float64](out[1]) {
		if math.Abs(g-wantGrad[i]) > 1e-12 {
			t.Errorf("gradient %d: %v, want %v", i, g, wantGrad[i])
		}
	}
}

// toyWords are the toy pairs' English words.
var toyWords = []string{"red", "blue", "green", "black", "white", "cat", "dog", "bird", "fish", "tree"}

// toyPairs are n "English" sentences of two words and their "Chinese" translations of two
// characters, the same word always translated by the same character.
func toyPairs(n int) []data.TranslationPair {
	en := toyWords
	zh := []string{"红", "蓝", "绿", "黑", "白", "猫", "狗", "鸟", "鱼", "树"}
	var out []data.TranslationPair
	for i := range n {
		a, b := i%5, 5+(i/5)%5
		out = append(out, data.TranslationPair{Source: en[a] + " " + en[b], Target: zh[a] + zh[b]})
	}
	return out
}

// wordTeacher is a teacher for tests: each word of its vocabulary has a fixed random vector of
// width 16, and a sentence's vector (native pooling) is the sum of its words'.
type wordTeacher struct {
	words []string
	store *model.Store
}

func newWordTeacher(words []string) *wordTeacher {
	rng := rand.New(rand.NewPCG(7, 7))
	values := make([]float32, len(words)*16)
	for i := range values {
		values[i] = float32(rng.NormFloat64())
	}
	store := model.NewStore()
	if _, err := store.CreateVariable("/table", tensors.FromFlatDataAndDimensions(values, len(words), 16)); err != nil {
		panic(err) // A new store holds no variable of that name.
	}
	return &wordTeacher{words: words, store: store}
}

func (e *wordTeacher) Name() string            { return "word-teacher" }
func (e *wordTeacher) Dim() int                { return 16 }
func (e *wordTeacher) MaxTokens() int          { return 8 }
func (e *wordTeacher) Store() *model.Store     { return e.store }
func (e *wordTeacher) Layers() []encoder.Layer { return nil }
func (e *wordTeacher) Tokenize(texts []string) ([][]int32, error) {
	out := make([][]int32, len(texts))
	for i, text := range texts {
		for _, w := range strings.Fields(text) {
			out[i] = append(out[i], int32(slices.Index(e.words, w)))
		}
	}
	return out, nil
}
func (e *wordTeacher) Build(scope *model.Scope, ids, mask *graph.Node) (states, pooled *graph.Node) {
	table := scope.GetVariable("table").NodeValue(ids.Graph())
	states = graph.Gather(table, graph.InsertAxes(ids, -1))
	maskF := graph.InsertAxes(graph.ConvertDType(mask, states.DType()), -1)
	return states, graph.ReduceSum(graph.Mul(states, maskF), 1)
}

// tinyBERT returns a random BERT 16 wide over the vocabulary of texts.
func tinyBERT(t *testing.T, texts []string, seed int64) *bert.Model {
	t.Helper()
	m, err := NewStudent(texts, 16, StudentOptions{MinCount: 1, Layers: 1, Heads: 2, Intermediate: 32, SeqLen: 16, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// NewStudent reads every character of its text as itself, is as wide as asked, and says
// what is wrong with text that has no character.
func TestNewStudent(t *testing.T) {
	texts := []string{"红猫", "蓝狗", "红狗"}
	m, err := NewStudent(texts, 16, StudentOptions{MinCount: 1, Layers: 1, Heads: 2, Intermediate: 32, SeqLen: 16, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if m.Dim() != 16 || m.Config().NumHiddenLayers != 1 {
		t.Errorf("student is %d wide with %d layers, want 16 and 1", m.Dim(), m.Config().NumHiddenLayers)
	}
	enc, err := m.Tokenizer().Encode("红猫蓝狗")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"红", "猫", "蓝", "狗"}; strings.Join(enc.Tokens, " ") != strings.Join(want, " ") {
		t.Errorf("tokens %q, want %q", enc.Tokens, want)
	}
	if _, err := NewStudent([]string{" ", ""}, 16, DefaultStudentOptions()); err == nil || !strings.Contains(err.Error(), "vocabulary") {
		t.Errorf("NewStudent on blank text: error %v, want one about the vocabulary", err)
	}
}

// A student trained on 25 toy pairs finds each translation far more often than before.
func TestRunLearnsToRetrieve(t *testing.T) {
	pairs := toyPairs(25)
	teacher := newWordTeacher(toyWords)
	student := tinyBERT(t, data.Targets(pairs), 2)
	before, _, err := Retrieval(teacher, student, pairs)
	if err != nil {
		t.Fatal(err)
	}
	opts := DefaultOptions()
	opts.Epochs, opts.BatchSize, opts.LearningRate, opts.DevPairs = 60, 5, 3e-3, 0
	opts.FeatureCacheDir, opts.Progress = probe.NoCache, train.NoProgress()
	res, err := Run(teacher, student, pairs, opts)
	if err != nil {
		t.Fatal(err)
	}
	after, back, err := Retrieval(teacher, student, pairs)
	if err != nil {
		t.Fatal(err)
	}
	last := res.History.Loss[len(res.History.Loss)-1]
	t.Logf("zh→en retrieval %.2f → %.2f (en→zh %.2f); loss %.4f → %.4f in %d steps", before, after, back, res.History.Loss[0], last, len(res.History.Loss))
	if after < 0.6 || after < before+0.3 {
		t.Errorf("zh→en retrieval %.2f after training (%.2f before); want ≥ 0.6 and 0.3 better", after, before)
	}
	if last > res.History.Loss[0]/2 {
		t.Errorf("loss %.4f → %.4f: want at least halved", res.History.Loss[0], last)
	}
	if !math.IsNaN(res.DevAccuracy) || res.NTrain != 25 {
		t.Errorf("without dev pairs: dev accuracy %v, %d training pairs", res.DevAccuracy, res.NTrain)
	}
}

// With dev pairs, the run evaluates retrieval on them, and the errors name the fix.
func TestRunDevAndErrors(t *testing.T) {
	pairs := toyPairs(25)
	teacher := newWordTeacher(toyWords)
	student := tinyBERT(t, data.Targets(pairs), 2)
	opts := DefaultOptions()
	opts.Epochs, opts.BatchSize, opts.DevPairs = 2, 5, 5
	opts.FeatureCacheDir, opts.Progress = probe.NoCache, train.NoProgress()
	res, err := Run(teacher, student, pairs, opts)
	if err != nil {
		t.Fatal(err)
	}
	if res.NTrain != 20 || res.NDev != 5 || math.IsNaN(res.DevAccuracy) || len(res.History.Evals) == 0 {
		t.Errorf("train %d, dev %d, dev accuracy %v, %d evaluations", res.NTrain, res.NDev, res.DevAccuracy, len(res.History.Evals))
	}

	narrow, err := NewStudent(data.Targets(pairs), 8, StudentOptions{MinCount: 1, Layers: 1, Heads: 2, Intermediate: 32, SeqLen: 16, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		student *bert.Model
		pairs   []data.TranslationPair
		mod     func(*Options)
		want    string
	}{
		{narrow, pairs, nil, "make the student's hidden size 16"},
		{student, nil, nil, "no sentence pairs"},
		{student, pairs, func(o *Options) { o.DevPairs = 25 }, "dev pairs"},
		{student, pairs, func(o *Options) { o.LearningRate = 0 }, "learning rate"},
	} {
		o := opts
		if c.mod != nil {
			c.mod(&o)
		}
		if _, err := Run(teacher, c.student, c.pairs, o); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("err = %v, want one containing %q", err, c.want)
		}
	}
	if _, _, err := Retrieval(teacher, narrow, pairs); err == nil || !strings.Contains(err.Error(), "one width") {
		t.Errorf("retrieval with a narrow student: err = %v", err)
	}
}
