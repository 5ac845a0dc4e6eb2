package bert_test

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/core/tensors"
	"github.com/nlp-transfer/gotl/tlkit/bert"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
)

func TestSaveLoadRoundTrip(t *testing.T) {
	m := newTiny(t, 1)
	// Change a weight, as training would: Save must write the Store's current values.
	v := m.Store().GetVariable("/layer_1/intermediate/biases")
	trained := make([]float32, 64)
	for i := range trained {
		trained[i] = float32(i) / 100
	}
	if err := v.SetValue(tensors.FromFlatDataAndDimensions(trained, 64)); err != nil {
		t.Fatal(err)
	}
	wantStates, wantPooled := forward(t, m, testRows)

	dir := filepath.Join(t.TempDir(), "ckpt")
	if err := m.Save(dir); err != nil {
		t.Fatal(err)
	}
	var names []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{"config.json", "model.safetensors", "tokenizer_config.json", "vocab.txt"}; !slices.Equal(names, want) {
		t.Errorf("Save wrote %v, want %v", names, want)
	}
	loaded, err := bert.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if abs, _ := filepath.Abs(dir); loaded.Name() != "bert:"+abs {
		t.Errorf("Name() = %q, want bert:%s", loaded.Name(), abs)
	}
	if !strings.HasPrefix(m.Name(), "bert-random:L2-H32-A2-seed1") {
		t.Errorf("random model Name() = %q", m.Name())
	}
	if !loaded.PretrainedPooler() || m.PretrainedPooler() {
		t.Errorf("PretrainedPooler: loaded %v (want true), random %v (want false)", loaded.PretrainedPooler(), m.PretrainedPooler())
	}
	if loaded.Config() != m.Config() {
		t.Errorf("loaded config %+v, want %+v", loaded.Config(), m.Config())
	}
	gotStates, gotPooled := forward(t, loaded, testRows)
	if !reflect.DeepEqual(gotPooled, wantPooled) {
		t.Errorf("pooled vectors differ after Save/Load: max |diff| %g", maxAbsDiff(gotPooled, wantPooled))
	}
	for b := range wantStates {
		if !reflect.DeepEqual(gotStates[b], wantStates[b]) {
			t.Errorf("row %d: states differ after Save/Load: max |diff| %g", b, maxAbsDiff(gotStates[b], wantStates[b]))
		}
	}

	// Saving over an existing checkpoint replaces its files.
	other := newTiny(t, 2)
	if err := other.Save(dir); err != nil {
		t.Fatal(err)
	}
	reloaded, err := bert.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, otherPooled := forward(t, other, testRows[:1])
	_, reloadedPooled := forward(t, reloaded, testRows[:1])
	if !reflect.DeepEqual(otherPooled, reloadedPooled) {
		t.Error("saving over an existing checkpoint did not replace it")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 4 {
		t.Errorf("after a second Save the directory holds %d entries, want 4 (no temporary files)", len(entries))
	}
}

func TestNewIsDeterministic(t *testing.T) {
	a, b, c := newTiny(t, 7), newTiny(t, 7), newTiny(t, 8)
	value := func(m *bert.Model, path string) []float32 {
		return tensors.MustCopyFlatData[float32](m.Store().GetVariable(path).MustValue())
	}
	const w = "/layer_0/attention/query/weights"
	if !slices.Equal(value(a, w), value(b, w)) {
		t.Error("same seed, different weights")
	}
	if slices.Equal(value(a, w), value(c, w)) {
		t.Error("different seeds, same weights")
	}
	// HuggingFace's initialisation: normal(0, 0.02) weights, zero [PAD] row, LayerNorm 1/0.
	q := value(a, w)
	var sum, sumSq float64
	for _, x := range q {
		sum += float64(x)
		sumSq += float64(x) * float64(x)
	}
	std := math.Sqrt(sumSq/float64(len(q)) - (sum/float64(len(q)))*(sum/float64(len(q))))
	if std < 0.017 || std > 0.023 {
		t.Errorf("query weights std %.4f, want about 0.02", std)
	}
	if words := value(a, "/embeddings/word_embeddings"); slices.ContainsFunc(words[:32], func(x float32) bool { return x != 0 }) {
		t.Error("the [PAD] embedding row is not zero")
	}
	if scale := value(a, "/layer_0/output/layer_norm/scale"); slices.ContainsFunc(scale, func(x float32) bool { return x != 1 }) {
		t.Error("LayerNorm scales are not one")
	}
	if bias := value(a, "/pooler/biases"); slices.ContainsFunc(bias, func(x float32) bool { return x != 0 }) {
		t.Error("pooler biases are not zero")
	}
}

func TestLayersAndEncoderInterface(t *testing.T) {
	m := newTiny(t, 1)
	var enc encoder.Encoder = m
	if got, want := encoder.LayerNames(enc), []string{"embeddings", "layer_0", "layer_1", "pooler"}; !slices.Equal(got, want) {
		t.Errorf("layers %v, want %v", got, want)
	}
	total := 0
	for _, l := range m.Layers() {
		total += len(l.Variables)
		for _, v := range l.Variables {
			if !strings.HasPrefix(v.Path(), "/"+l.Name+"/") {
				t.Errorf("variable %s listed in layer %s", v.Path(), l.Name)
			}
		}
	}
	// 5 embedding variables, 16 per layer, 2 in the pooler.
	if want := 5 + 2*16 + 2; total != want || m.Store().NumVariables() != want {
		t.Errorf("%d variables in Layers, %d in the Store; want %d", total, m.Store().NumVariables(), want)
	}
	if err := encoder.SetTrainable(m, false, "embeddings", "layer_0"); err != nil {
		t.Fatal(err)
	}
	if m.Layers()[0].Variables[0].Trainable || !m.Layers()[2].Variables[0].Trainable {
		t.Error("SetTrainable did not freeze exactly the named layers")
	}
	if m.Dim() != 32 || m.MaxTokens() != 24 || m.VocabSize() != 40 {
		t.Errorf("Dim, MaxTokens, VocabSize = %d, %d, %d; want 32, 24, 40", m.Dim(), m.MaxTokens(), m.VocabSize())
	}
}

func TestTokenize(t *testing.T) {
	cfg := tinyConfig()
	cfg.MaxTokens = 5
	m, err := bert.New(cfg, writeTinyVocab(t), 1)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := m.Tokenize([]string{"Hello, world!", "the cat sat on the mat"})
	if err != nil {
		t.Fatal(err)
	}
	// [CLS]=2 hello=13 ,=15 world=14 !=17 [SEP]=3, clipped to 5 keeping [SEP].
	want := [][]int32{{2, 13, 15, 14, 3}, {2, 5, 6, 7, 3}}
	if !reflect.DeepEqual(ids, want) {
		t.Errorf("Tokenize = %v, want %v", ids, want)
	}
	if _, err := m.Tokenize([]string{"cat", "  "}); !errors.Is(err, encoder.ErrEmptyText) || !strings.Contains(err.Error(), "text 1") {
		t.Errorf("blank text: err = %v, want ErrEmptyText naming text 1", err)
	}
	// MaxTokens survives Save and Load (as tokenizer_config.json's model_max_length).
	dir := filepath.Join(t.TempDir(), "ckpt")
	if err := m.Save(dir); err != nil {
		t.Fatal(err)
	}
	if loaded, err := bert.Load(dir); err != nil || loaded.MaxTokens() != 5 {
		t.Errorf("reloaded MaxTokens: %v, %v; want 5", loaded, err)
	}

	cfg.MaxTokens = 30
	if _, err := bert.New(cfg, writeTinyVocab(t), 1); err == nil || !strings.Contains(err.Error(), "MaxTokens") {
		t.Errorf("MaxTokens above max_position_embeddings: err = %v", err)
	}
}

func TestRunnerEmbed(t *testing.T) {
	m := newTiny(t, 3)
	backend := mustBackend(t)
	r := encoder.NewRunner(backend, m)
	texts := []string{"the cat sat on the mat.", "hello world!", "a big blue dog"}
	native, err := r.Embed(texts, encoder.PoolNative)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := m.Tokenize(texts)
	if err != nil {
		t.Fatal(err)
	}
	// Each text alone, unpadded, gives the same pooled vector as in a padded batch.
	for i := range texts {
		_, pooled := forward(t, m, ids[i:i+1])
		if d := maxAbsDiff(pooled, native[i:i+1]); d > 1e-5 {
			t.Errorf("text %d: Runner's native pooling differs from the unbatched forward pass by %g", i, d)
		}
	}
	cls, err := r.Embed(texts, encoder.PoolCLS)
	if err != nil {
		t.Fatal(err)
	}
	states, _ := forward(t, m, ids[:1])
	if d := maxAbsDiff(cls[:1], states[0][:1]); d > 1e-5 {
		t.Errorf("PoolCLS differs from the first token state by %g", d)
	}
}
