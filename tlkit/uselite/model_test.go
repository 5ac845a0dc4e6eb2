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

	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/uselite"
)

func maxAbsDiff(a, b []float32) float64 {
	d := 0.0
	for i := range a {
		d = max(d, math.Abs(float64(a[i]-b[i])))
	}
	return d
}

// layerVariable returns the variable named name in layer of enc, failing the test if there is none.
func layerVariable(t *testing.T, enc encoder.Encoder, layer, name string) []float32 {
	t.Helper()
	for _, l := range enc.Layers() {
		if l.Name != layer {
			continue
		}
		for _, v := range l.Variables {
			if v.Name() == name {
				return tensors.MustCopyFlatData[float32](v.MustValue())
			}
		}
	}
	t.Fatalf("%s: no variable %s in layer %s", enc.Name(), name, layer)
	return nil
}

func TestEncoderMethods(t *testing.T) {
	m, _ := loadTestModel(t)
	if m.Name() != "use-lite" || m.Dim() != 512 || m.MaxTokens() != 128 {
		t.Errorf("Name, Dim, MaxTokens = %q, %d, %d, want \"use-lite\", 512, 128", m.Name(), m.Dim(), m.MaxTokens())
	}
	if got := encoder.LayerNames(m); !slices.Equal(got, []string{uselite.LayerEmbeddings, uselite.Layer0, uselite.Layer1, uselite.LayerPooler}) {
		t.Errorf("layer names %v", got)
	}
}

func TestEmptyText(t *testing.T) {
	m, r := loadTestModel(t)
	_, err := r.Embed([]string{"fine", ""}, encoder.PoolNative)
	if !errors.Is(err, encoder.ErrEmptyText) || !strings.Contains(err.Error(), "text 1") {
		t.Errorf("Embed with an empty text: got error %v, want ErrEmptyText naming text 1", err)
	}
	if _, err := r.EmbedTokens([][]int32{{5}, {}}, encoder.PoolNative); !errors.Is(err, encoder.ErrEmptyText) {
		t.Errorf("EmbedTokens with an empty row: got %v, want ErrEmptyText", err)
	}
	for _, id := range []int32{-1, int32(m.VocabSize())} {
		if _, err := r.EmbedTokens([][]int32{{5, id}}, encoder.PoolNative); err == nil {
			t.Errorf("EmbedTokens with id %d (vocabulary size %d): want an error", id, m.VocabSize())
		}
	}
	// Whitespace is not empty: "   " has tokens.
	if _, err := r.Embed([]string{"   "}, encoder.PoolNative); err != nil {
		t.Errorf("Embed(spaces): %v", err)
	}

	// TF.js gives an empty text batched with others the normalised tanh of the pooler's biases;
	// check the fixture documents exactly that, so the error replaces a known constant.
	ref := loadReference(t)
	biases := layerVariable(t, m, uselite.LayerPooler, "biases")
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
	m, r := loadTestModel(t)
	ref := loadReference(t)
	texts := []string{ref.Sentences[0].Text, ref.Sentences[38].Text, "a", "short one", ref.Sentences[39].Text}
	batched, err := r.Embed(texts, encoder.PoolNative)
	if err != nil {
		t.Fatal(err)
	}
	for i, text := range texts {
		alone, err := r.Embed([]string{text}, encoder.PoolNative)
		if err != nil {
			t.Fatal(err)
		}
		if d := maxAbsDiff(alone[0], batched[i]); d > 1e-5 {
			t.Errorf("text %d: batched and alone embeddings differ by %g", i, d)
		}
	}
	// Small batches and a different length step give the same vectors.
	backend, err := testBackend()
	if err != nil {
		t.Fatal(err)
	}
	small := encoder.NewRunner(backend, m)
	if err := small.SetBatching(2, 8); err != nil {
		t.Fatal(err)
	}
	rebatched, err := small.Embed(texts, encoder.PoolNative)
	if err != nil {
		t.Fatal(err)
	}
	for i := range texts {
		if d := maxAbsDiff(rebatched[i], batched[i]); d > 1e-5 {
			t.Errorf("text %d: SetBatching(2, 8) changed the embedding by %g", i, d)
		}
	}
	if err := small.SetBatching(0, 16); err == nil {
		t.Error("SetBatching(0, 16): want an error")
	}
}

func TestTokenStates(t *testing.T) {
	m, r := loadTestModel(t)
	texts := []string{"Hello world.", "A considerably longer sentence, to force padding of the first one."}
	states, pooled, err := r.TokenStates(texts)
	if err != nil {
		t.Fatal(err)
	}
	embedded, err := r.Embed(texts, encoder.PoolNative)
	if err != nil {
		t.Fatal(err)
	}
	meanPooled, err := r.Embed(texts, encoder.PoolMean)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := m.Tokenize(texts)
	if err != nil {
		t.Fatal(err)
	}
	alone, _, err := r.TokenStates(texts[:1])
	if err != nil {
		t.Fatal(err)
	}
	for i := range texts {
		if len(states[i]) != len(ids[i]) {
			t.Errorf("text %d: %d token states for %d tokens", i, len(states[i]), len(ids[i]))
		}
		mean := make([]float32, m.Dim())
		for _, s := range states[i] {
			if len(s) != m.Dim() {
				t.Fatalf("text %d: token state of %d dims, want %d", i, len(s), m.Dim())
			}
			for j, x := range s {
				mean[j] += x / float32(len(states[i]))
			}
		}
		if d := maxAbsDiff(pooled[i], embedded[i]); d > 1e-6 {
			t.Errorf("text %d: TokenStates's sentence vector differs from Embed's by %g", i, d)
		}
		if d := maxAbsDiff(mean, meanPooled[i]); d > 1e-4 {
			t.Errorf("text %d: PoolMean differs from the mean of the token states by %g", i, d)
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
	m, r := loadTestModel(t)
	long := strings.Repeat("the cat sat on the mat and ", 40)
	full := m.Tokenizer().Encode(long)
	ids, err := m.Tokenize([]string{long})
	if err != nil {
		t.Fatal(err)
	}
	if len(full) <= m.MaxTokens() || len(ids[0]) != m.MaxTokens() || !slices.Equal(ids[0], full[:m.MaxTokens()]) {
		t.Fatalf("Tokenize: got %d ids of %d, want the first %d", len(ids[0]), len(full), m.MaxTokens())
	}
	a, err := r.Embed([]string{long}, encoder.PoolNative)
	if err != nil {
		t.Fatal(err)
	}
	b, err := r.EmbedTokens([][]int32{full[:m.MaxTokens()]}, encoder.PoolNative)
	if err != nil {
		t.Fatal(err)
	}
	if d := maxAbsDiff(a[0], b[0]); d > 1e-6 {
		t.Errorf("Embed(long) and EmbedTokens(first %d ids) differ by %g", m.MaxTokens(), d)
	}
	if _, err := r.EmbedTokens([][]int32{full[:m.MaxTokens()+1]}, encoder.PoolNative); err == nil {
		t.Errorf("EmbedTokens with %d ids: want an error (MaxTokens is %d)", m.MaxTokens()+1, m.MaxTokens())
	}
}

func TestLayers(t *testing.T) {
	m, _ := loadTestModel(t)
	c := m.Config
	if c.VocabSize != 8002 || c.EmbedDim != 256 || c.HiddenDim != 512 || c.FFNDim != 1536 || c.NumHeads != 4 || c.MaxTokens != 128 {
		t.Errorf("Config = %+v", c)
	}
	total := 0
	for _, l := range m.Layers() {
		for _, v := range l.Variables {
			if !strings.HasPrefix(v.Path(), "/"+l.Name+"/") {
				t.Errorf("layer %s holds variable %s", l.Name, v.Path())
			}
			if !v.Trainable || v.Name() == "timing_inv_timescales" {
				t.Errorf("layer %s lists %s (trainable %v): want only trainable weights", l.Name, v.Path(), v.Trainable)
			}
			total += v.Shape().Size()
		}
	}
	// The store holds the layers' variables and the timing frequencies.
	timing := m.Store().GetVariable("/" + uselite.LayerEmbeddings + "/timing_inv_timescales")
	if timing == nil || timing.Trainable {
		t.Fatalf("timing frequencies: got %v, want a frozen variable", timing)
	}
	if n := m.Store().NumParameters(); total+timing.Shape().Size() != n {
		t.Errorf("layers hold %d parameters and the timing frequencies %d, the store %d", total, timing.Shape().Size(), n)
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
	if floats != m.Store().NumParameters() {
		t.Errorf("model.json holds %d float weights (non-scalar), the store %d", floats, m.Store().NumParameters())
	}
}

func TestSetTrainable(t *testing.T) {
	// A model of its own: the shared one must stay trainable for other tests.
	m, err := uselite.Load(modelDistDir(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := encoder.SetTrainable(m, false, uselite.LayerEmbeddings, uselite.Layer0); err != nil {
		t.Fatal(err)
	}
	for _, l := range m.Layers() {
		frozen := l.Name == uselite.LayerEmbeddings || l.Name == uselite.Layer0
		for _, v := range l.Variables {
			if v.Trainable == frozen {
				t.Errorf("%s: trainable %v after freezing embeddings and layer_0", v.Path(), v.Trainable)
			}
		}
	}
	// Unfreezing everything leaves the timing frequencies, a constant, frozen.
	if err := encoder.SetTrainable(m, true); err != nil {
		t.Fatal(err)
	}
	for v := range m.Store().IterVariables() {
		if want := v.Name() != "timing_inv_timescales"; v.Trainable != want {
			t.Errorf("%s: trainable %v after unfreezing all layers, want %v", v.Path(), v.Trainable, want)
		}
	}
	if err := encoder.SetTrainable(m, false, "layer_9"); err == nil {
		t.Error("SetTrainable on an unknown layer: want an error")
	}
}

func TestLoadErrors(t *testing.T) {
	empty := t.TempDir()
	if _, err := uselite.Load(empty); err == nil || !strings.Contains(err.Error(), filepath.Join(empty, uselite.ModelFile)) {
		t.Errorf("Load(empty dir): got %v, want an error naming model.json", err)
	}
	if _, err := uselite.NewScratch(empty, 1); err == nil || !strings.Contains(err.Error(), filepath.Join(empty, uselite.ModelFile)) {
		t.Errorf("NewScratch(empty dir): got %v, want an error naming model.json", err)
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
	if _, err := uselite.Load(partial); err == nil || !strings.Contains(err.Error(), uselite.VocabFile) {
		t.Errorf("Load without vocab.json: got %v, want an error naming it", err)
	}
}
