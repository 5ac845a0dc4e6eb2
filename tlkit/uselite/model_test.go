package uselite_test

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/core/tensors"

	"github.com/nlp-transfer/gotl/tlkit/uselite"
)

func maxAbsDiff(a, b []float32) float64 {
	d := 0.0
	for i := range a {
		d = max(d, math.Abs(float64(a[i]-b[i])))
	}
	return d
}

func TestEmptyText(t *testing.T) {
	m := loadTestModel(t)
	_, err := m.Embed([]string{"fine", ""})
	if !errors.Is(err, uselite.ErrEmptyText) || !strings.Contains(err.Error(), "text 1") {
		t.Errorf("Embed with an empty text: got error %v, want ErrEmptyText naming text 1", err)
	}
	if _, err := m.EmbedTokens([][]int32{{5}, {}}); !errors.Is(err, uselite.ErrEmptyText) {
		t.Errorf("EmbedTokens with an empty row: got %v, want ErrEmptyText", err)
	}
	if _, err := m.EmbedTokens([][]int32{{int32(m.Config.VocabSize)}}); err == nil {
		t.Error("EmbedTokens with an out-of-range id: want an error")
	}
	// Whitespace is not empty: "   " has tokens.
	if _, err := m.Embed([]string{"   "}); err != nil {
		t.Errorf("Embed(spaces): %v", err)
	}

	// TF.js gives an empty text batched with others the normalised tanh of the pooler's biases;
	// check the fixture documents exactly that, so the error replaces a known constant.
	ref := loadReference(t)
	pooler, _ := m.Layer(uselite.LayerPooler)
	var biases []float32
	for _, v := range pooler.Variables {
		if v.Name() == "biases" {
			biases = tensors.MustCopyFlatData[float32](v.MustValue())
		}
	}
	want := make([]float32, len(biases))
	norm := 0.0
	for i, b := range biases {
		want[i] = float32(math.Tanh(float64(b)))
		norm += float64(want[i]) * float64(want[i])
	}
	for i := range want {
		want[i] /= float32(math.Sqrt(norm))
	}
	if d := maxAbsDiff(want, ref.EmptyInBatch); len(ref.EmptyInBatch) != len(want) || d > 1e-6 {
		t.Errorf("TF.js's empty-text vector differs from normalised tanh(pooler biases) by %g", d)
	}
}

func TestBatchingInvariance(t *testing.T) {
	m := loadTestModel(t)
	ref := loadReference(t)
	texts := []string{ref.Sentences[0].Text, ref.Sentences[38].Text, "a", "short one", ref.Sentences[39].Text}
	batched, err := m.Embed(texts)
	if err != nil {
		t.Fatal(err)
	}
	for i, text := range texts {
		alone, err := m.Embed([]string{text})
		if err != nil {
			t.Fatal(err)
		}
		if d := maxAbsDiff(alone[0], batched[i]); d > 1e-5 {
			t.Errorf("text %d: batched and alone embeddings differ by %g", i, d)
		}
	}
	// Small batches and a different length step give the same vectors.
	if err := m.SetBatching(2, 8); err != nil {
		t.Fatal(err)
	}
	defer m.SetBatching(uselite.DefaultMaxBatch, uselite.DefaultLengthStep)
	rebatched, err := m.Embed(texts)
	if err != nil {
		t.Fatal(err)
	}
	for i := range texts {
		if d := maxAbsDiff(rebatched[i], batched[i]); d > 1e-5 {
			t.Errorf("text %d: SetBatching(2, 8) changed the embedding by %g", i, d)
		}
	}
	if err := m.SetBatching(0, 16); err == nil {
		t.Error("SetBatching(0, 16): want an error")
	}
}

func TestTokenStates(t *testing.T) {
	m := loadTestModel(t)
	texts := []string{"Hello world.", "A considerably longer sentence, to force padding of the first one."}
	states, pooled, err := m.TokenStates(texts)
	if err != nil {
		t.Fatal(err)
	}
	embedded, err := m.Embed(texts)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := m.Tokenize(texts)
	if err != nil {
		t.Fatal(err)
	}
	alone, _, err := m.TokenStates(texts[:1])
	if err != nil {
		t.Fatal(err)
	}
	for i := range texts {
		if len(states[i]) != len(ids[i]) {
			t.Errorf("text %d: %d token states for %d tokens", i, len(states[i]), len(ids[i]))
		}
		for _, s := range states[i] {
			if len(s) != m.Config.HiddenDim {
				t.Fatalf("text %d: token state of %d dims, want %d", i, len(s), m.Config.HiddenDim)
			}
		}
		if d := maxAbsDiff(pooled[i], embedded[i]); d > 1e-6 {
			t.Errorf("text %d: TokenStates's sentence vector differs from Embed's by %g", i, d)
		}
	}
	// The first text's states do not depend on the padding added for the second one (up to
	// float32 rounding, relative to the states' magnitude).
	for j := range alone[0] {
		scale := 0.0
		for _, x := range alone[0][j] {
			scale = max(scale, math.Abs(float64(x)))
		}
		if d := maxAbsDiff(alone[0][j], states[0][j]); d > 1e-5*scale {
			t.Errorf("token %d: padded and unpadded states differ by %g (max |state| %g)", j, d, scale)
		}
	}
}

func TestLongTextIsClipped(t *testing.T) {
	m := loadTestModel(t)
	long := strings.Repeat("the cat sat on the mat and ", 40)
	full := m.Tokenizer().Encode(long)
	ids, err := m.Tokenize([]string{long})
	if err != nil {
		t.Fatal(err)
	}
	if len(full) <= m.Config.MaxTokens || len(ids[0]) != m.Config.MaxTokens || !slices.Equal(ids[0], full[:m.Config.MaxTokens]) {
		t.Fatalf("Tokenize: got %d ids of %d, want the first %d", len(ids[0]), len(full), m.Config.MaxTokens)
	}
	a, err := m.Embed([]string{long})
	if err != nil {
		t.Fatal(err)
	}
	b, err := m.EmbedTokens([][]int32{full[:m.Config.MaxTokens]})
	if err != nil {
		t.Fatal(err)
	}
	if d := maxAbsDiff(a[0], b[0]); d > 1e-6 {
		t.Errorf("Embed(long) and EmbedTokens(first %d ids) differ by %g", m.Config.MaxTokens, d)
	}
}

func TestLayers(t *testing.T) {
	m := loadTestModel(t)
	c := m.Config
	if c.VocabSize != 8002 || c.EmbedDim != 256 || c.HiddenDim != 512 || c.FFNDim != 1536 || c.NumHeads != 4 || c.MaxTokens != 128 {
		t.Errorf("Config = %+v", c)
	}
	layers := m.Layers()
	var names []string
	total := 0
	for _, l := range layers {
		names = append(names, l.Name)
		for _, v := range l.Variables {
			if !strings.HasPrefix(v.Path(), "/"+l.Name+"/") {
				t.Errorf("layer %s holds variable %s", l.Name, v.Path())
			}
			if want := v.Name() != "timing_inv_timescales"; v.Trainable != want {
				t.Errorf("%s: trainable %v, want %v", v.Path(), v.Trainable, want)
			}
			total += v.Shape().Size()
		}
	}
	if !slices.Equal(names, uselite.LayerNames) {
		t.Errorf("layer names %v, want %v", names, uselite.LayerNames)
	}
	if n := m.Store().NumParameters(); total != n {
		t.Errorf("layers hold %d parameters, the store %d", total, n)
	}
	// All float weights of model.json of more than one element are variables.
	weights, err := uselite.ReadWeights(filepath.Join(modelDistDir(t), uselite.ModelFile))
	if err != nil {
		t.Fatal(err)
	}
	floats := 0
	for _, w := range weights {
		if w.DType == "float32" && w.NumElements() > 1 {
			floats += w.NumElements()
		}
	}
	if floats != total {
		t.Errorf("model.json holds %d float weights (non-scalar), the variables %d", floats, total)
	}

	// Freezing and unfreezing.
	if err := m.SetTrainable(false, uselite.LayerEmbeddings, uselite.Layer0); err != nil {
		t.Fatal(err)
	}
	defer m.SetTrainable(true, uselite.LayerNames...)
	for _, l := range m.Layers() {
		frozen := l.Name == uselite.LayerEmbeddings || l.Name == uselite.Layer0
		for _, v := range l.Variables {
			if v.Trainable == frozen && v.Name() != "timing_inv_timescales" {
				t.Errorf("%s: trainable %v after freezing embeddings and layer_0", v.Path(), v.Trainable)
			}
		}
	}
	if err := m.SetTrainable(false, "layer_9"); err == nil {
		t.Error("SetTrainable on an unknown layer: want an error")
	}
}

func TestLoadErrors(t *testing.T) {
	backend, err := testBackend()
	if err != nil {
		t.Fatal(err)
	}
	empty := t.TempDir()
	if _, err := uselite.Load(backend, empty); err == nil || !strings.Contains(err.Error(), filepath.Join(empty, uselite.ModelFile)) {
		t.Errorf("Load(empty dir): got %v, want an error naming model.json", err)
	}
	if _, err := uselite.Load(nil, empty); err == nil {
		t.Error("Load(nil backend): want an error")
	}
	// A model without its vocabulary.
	dist := modelDistDir(t)
	partial := t.TempDir()
	entries, err := os.ReadDir(dist)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != uselite.VocabFile {
			if err := os.Symlink(filepath.Join(dist, e.Name()), filepath.Join(partial, e.Name())); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := uselite.Load(backend, partial); err == nil || !strings.Contains(err.Error(), uselite.VocabFile) {
		t.Errorf("Load without vocab.json: got %v, want an error naming it", err)
	}
}

// modelDistDir returns the dist folder of the test model package.
func modelDistDir(t *testing.T) string {
	t.Helper()
	loadTestModel(t)
	dir, _, err := modelDir()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "dist", uselite.ModelFile)); err == nil {
		return filepath.Join(dir, "dist")
	}
	return dir
}
