package bert_test

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/nlp-transfer/gotl/tlkit/bert"
	"github.com/nlp-transfer/gotl/tlkit/safetensors"
)

// mlmLogits runs the encoder and the MLM head of m on rows, returning the logits of every
// position, flat [batch·length·vocab].
func mlmLogits(t *testing.T, m *bert.Model, rows [][]int32) []float32 {
	t.Helper()
	ids, mask, length := pad(rows)
	boolMask := make([]bool, len(mask))
	for i, v := range mask {
		boolMask[i] = v == 1
	}
	cfg := m.Config()
	exec, err := model.NewExec(mustBackend(t), m.Store(), func(scope *model.Scope, ids, mask *graph.Node) *graph.Node {
		states, _ := bert.Encoder(scope, cfg, ids, mask)
		return bert.MLMLogits(scope, cfg, states)
	})
	if err != nil {
		t.Fatal(err)
	}
	defer exec.Finalize()
	out, err := exec.Exec(tensors.FromFlatDataAndDimensions(ids, len(rows), length),
		tensors.FromFlatDataAndDimensions(boolMask, len(rows), length))
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{len(rows), length, cfg.VocabSize}; !slices.Equal(out[0].Shape().Dimensions, want) {
		t.Fatalf("logits shape %v, want %v", out[0].Shape().Dimensions, want)
	}
	return tensors.MustCopyFlatData[float32](out[0])
}

// A model with an MLM head saves it under HuggingFace's names, and Load gives back a model
// whose MLM outputs are identical.
func TestMLMHeadCheckpointRoundTrip(t *testing.T) {
	m := newTiny(t, 3)
	if m.HasMLMHead() {
		t.Fatal("New made a model with an MLM head")
	}
	if err := m.AddMLMHead(4); err != nil {
		t.Fatal(err)
	}
	if err := m.AddMLMHead(4); err == nil {
		t.Error("a second AddMLMHead succeeded")
	}
	if !m.HasMLMHead() || len(m.MLMVariables()) != 5 {
		t.Fatalf("HasMLMHead %v, %d head variables; want true and 5", m.HasMLMHead(), len(m.MLMVariables()))
	}
	for _, l := range m.Layers() {
		if l.Name == bert.LayerMLM {
			t.Error("the MLM head is listed among the encoder's Layers")
		}
	}
	// Give the head non-trivial biases, so that a head lost on the way would show.
	for _, v := range m.MLMVariables() {
		value := tensors.FromShape(v.Shape())
		tensors.MutableFlatData(value, func(flat []float32) {
			for i := range flat {
				flat[i] = float32(i%7) * 0.01
			}
		})
		if strings.HasSuffix(v.Path(), "/weights") {
			continue // Keep the normal initialisation of the dense weight.
		}
		if err := v.SetValue(value); err != nil {
			t.Fatal(err)
		}
	}
	before := mlmLogits(t, m, testRows)

	dir := filepath.Join(t.TempDir(), "ckpt")
	if err := m.Save(dir); err != nil {
		t.Fatal(err)
	}
	ts, _, err := safetensors.ReadAll(filepath.Join(dir, bert.WeightsFile))
	if err != nil {
		t.Fatal(err)
	}
	names := map[string][]int{}
	for _, x := range ts {
		names[x.Name] = x.Shape
	}
	cfg := m.Config()
	for name, shape := range map[string][]int{
		"cls.predictions.transform.dense.weight":     {cfg.HiddenSize, cfg.HiddenSize},
		"cls.predictions.transform.dense.bias":       {cfg.HiddenSize},
		"cls.predictions.transform.LayerNorm.weight": {cfg.HiddenSize},
		"cls.predictions.transform.LayerNorm.bias":   {cfg.HiddenSize},
		"cls.predictions.bias":                       {cfg.VocabSize},
		"bert.embeddings.word_embeddings.weight":     {cfg.VocabSize, cfg.HiddenSize},
	} {
		if got, ok := names[name]; !ok || !slices.Equal(got, shape) {
			t.Errorf("tensor %s: shape %v (present %v), want %v", name, got, ok, shape)
		}
	}
	if _, ok := names["cls.predictions.decoder.weight"]; ok {
		t.Error("the tied decoder weight was saved")
	}
	var config struct{ Architectures []string }
	raw, err := os.ReadFile(filepath.Join(dir, bert.ConfigFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &config); err != nil || !slices.Equal(config.Architectures, []string{"BertForMaskedLM"}) {
		t.Errorf("config.json architectures %v (%v), want [BertForMaskedLM]", config.Architectures, err)
	}

	loaded, err := bert.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !loaded.HasMLMHead() {
		t.Fatal("the loaded model has no MLM head")
	}
	after := mlmLogits(t, loaded, testRows)
	if !slices.Equal(before, after) {
		t.Errorf("MLM logits differ after the round trip (max |diff| %g)", maxAbsDiff([][]float32{before}, [][]float32{after}))
	}

	// The encoder alone, saved without a head, still loads without one.
	plain := newTiny(t, 3)
	plainDir := filepath.Join(t.TempDir(), "plain")
	if err := plain.Save(plainDir); err != nil {
		t.Fatal(err)
	}
	again, err := bert.Load(plainDir)
	if err != nil {
		t.Fatal(err)
	}
	if again.HasMLMHead() {
		t.Error("a checkpoint without cls.* loaded with an MLM head")
	}
}

// The head's decoder is the word-embedding table (tied weights): changing one token's
// embedding row changes that token's logits, and only those, when the token is not in the
// input.
func TestMLMLogitsTiedToEmbeddings(t *testing.T) {
	m := newTiny(t, 5)
	if err := m.AddMLMHead(6); err != nil {
		t.Fatal(err)
	}
	logits := mlmLogits(t, m, testRows[:1])
	// Changing a word-embedding row changes that token's logits: the decoder is tied.
	words := m.Store().GetVariable("/embeddings/word_embeddings")
	value, err := words.Value()
	if err != nil {
		t.Fatal(err)
	}
	data := tensors.MustCopyFlatData[float32](value)
	h := m.Config().HiddenSize
	const token = 20 // Not in testRows[0], so the encoder's input is unchanged.
	for j := range h {
		data[token*h+j] *= 3
	}
	if err := words.SetValue(tensors.FromFlatDataAndDimensions(data, value.Shape().Dimensions...)); err != nil {
		t.Fatal(err)
	}
	changed := mlmLogits(t, m, testRows[:1])
	v := m.Config().VocabSize
	for pos := range len(testRows[0]) {
		for id := range v {
			i := pos*v + id
			if (id == token) == (logits[i] == changed[i]) {
				t.Fatalf("position %d token %d: logit %g → %g after scaling the embedding of token %d", pos, id, logits[i], changed[i], token)
			}
		}
	}
}

// CrossEntropy's value and gradient match the plain log-softmax cross-entropy's.
func TestCrossEntropyMatchesLogSoftmax(t *testing.T) {
	const n, classes = 6, 50
	logits := make([]float32, n*classes)
	for i := range logits {
		logits[i] = float32((i*37)%23)*0.4 - 4
	}
	labels := []int32{0, 7, 49, 3, 3, 20}
	weights := []float32{1, 1, 0, 1, 1, 1}
	run := func(loss func(logits, labels, weights *graph.Node) *graph.Node) (float32, []float32) {
		exec, err := graph.NewExec(mustBackend(t), func(logits, labels, weights *graph.Node) (*graph.Node, *graph.Node) {
			l := loss(logits, labels, weights)
			return l, graph.Gradient(l, logits)[0]
		})
		if err != nil {
			t.Fatal(err)
		}
		defer exec.Finalize()
		out, err := exec.Exec(tensors.FromFlatDataAndDimensions(logits, n, classes), labels, weights)
		if err != nil {
			t.Fatal(err)
		}
		return tensors.MustCopyFlatData[float32](out[0])[0], tensors.MustCopyFlatData[float32](out[1])
	}
	got, gotGrad := run(bert.CrossEntropy)
	want, wantGrad := run(func(logits, labels, weights *graph.Node) *graph.Node {
		picked := graph.ReduceSum(graph.Mul(graph.OneHot(labels, classes, logits.DType()), graph.LogSoftmax(logits, -1)), -1)
		return graph.Div(graph.Neg(graph.ReduceAllSum(graph.Mul(picked, weights))), graph.ReduceAllSum(weights))
	})
	if d := math.Abs(float64(got - want)); d > 1e-5 {
		t.Errorf("loss %g, want %g", got, want)
	}
	if d := maxAbsDiff([][]float32{gotGrad}, [][]float32{wantGrad}); d > 1e-6 {
		t.Errorf("gradients differ by up to %g", d)
	}
	for i := range classes { // The zero-weight row gets no gradient.
		if gotGrad[2*classes+i] != 0 {
			t.Fatalf("row with weight 0 has gradient %g at %d", gotGrad[2*classes+i], i)
		}
	}
}

// A checkpoint whose MLM head is incomplete or of another shape still loads, as an encoder
// without a head (Load read no heads before, and must not start failing on them).
func TestLoadIgnoresBrokenMLMHead(t *testing.T) {
	m := newTiny(t, 3)
	if err := m.AddMLMHead(1); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "ckpt")
	if err := m.Save(dir); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, bert.WeightsFile)
	ts, meta, err := safetensors.ReadAll(path)
	if err != nil {
		t.Fatal(err)
	}
	var kept []safetensors.Tensor
	for _, x := range ts {
		if x.Name != "cls.predictions.bias" {
			kept = append(kept, x)
		}
	}
	if err := safetensors.Write(path, kept, meta); err != nil {
		t.Fatal(err)
	}
	loaded, err := bert.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if loaded.HasMLMHead() {
		t.Error("a head without cls.predictions.bias was loaded")
	}
}
