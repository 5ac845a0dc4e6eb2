package encoder_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	_ "github.com/gomlx/compute/gobackend" // Registers the pure-Go backend ("go").
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/nlp-transfer/gotl/internal/backend"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
)

// toyVocab maps the toy encoder's words to their ids; any other word is id 1.
var toyVocab = map[string]int32{"a": 2, "b": 3, "c": 4, "d": 5, "e": 6, "f": 7}

const (
	toyVocabSize = 8
	toyDim       = 3
	toyMaxTokens = 5
)

// toyRow is the embedding of token id i: [i, i², 1].
func toyRow(i int32) []float32 { return []float32{float32(i), float32(i * i), 1} }

// toyEncoder is an embedding table only: one token per word, states = table rows (padding
// included, so that pooling must use the mask), native pooling = the sum over real tokens.
type toyEncoder struct {
	store  *model.Store
	layers []encoder.Layer
}

var _ encoder.Encoder = (*toyEncoder)(nil)

func newToyEncoder(t *testing.T) *toyEncoder {
	t.Helper()
	table := make([]float32, 0, toyVocabSize*toyDim)
	for i := range int32(toyVocabSize) {
		table = append(table, toyRow(i)...)
	}
	store := model.NewStore()
	tableVar, err := store.CreateVariable("/embeddings/table", tensors.FromFlatDataAndDimensions(table, toyVocabSize, toyDim))
	if err != nil {
		t.Fatal(err)
	}
	headVar, err := store.CreateVariable("/head/bias", tensors.FromFlatDataAndDimensions(make([]float32, toyDim), toyDim))
	if err != nil {
		t.Fatal(err)
	}
	return &toyEncoder{store: store, layers: []encoder.Layer{
		{Name: "embeddings", Variables: []*model.Variable{tableVar}},
		{Name: "head", Variables: []*model.Variable{headVar}},
	}}
}

func (e *toyEncoder) Name() string            { return "toy" }
func (e *toyEncoder) Dim() int                { return toyDim }
func (e *toyEncoder) MaxTokens() int          { return toyMaxTokens }
func (e *toyEncoder) VocabSize() int          { return toyVocabSize }
func (e *toyEncoder) Store() *model.Store     { return e.store }
func (e *toyEncoder) Layers() []encoder.Layer { return e.layers }

func (e *toyEncoder) Tokenize(texts []string) ([][]int32, error) {
	out := make([][]int32, len(texts))
	for i, text := range texts {
		words := strings.Fields(text)
		if len(words) == 0 {
			return nil, fmt.Errorf("toy: text %d: %w", i, encoder.ErrEmptyText)
		}
		for _, w := range words[:min(len(words), toyMaxTokens)] {
			id, ok := toyVocab[w]
			if !ok {
				id = 1
			}
			out[i] = append(out[i], id)
		}
	}
	return out, nil
}

func (e *toyEncoder) Build(scope *model.Scope, ids, mask *graph.Node) (states, pooled *graph.Node) {
	table := scope.In("embeddings").GetVariable("table").NodeValue(ids.Graph())
	states = graph.Gather(table, graph.InsertAxes(ids, -1))
	maskF := graph.InsertAxes(graph.ConvertDType(mask, states.DType()), -1)
	return states, graph.ReduceSum(graph.Mul(states, maskF), 1)
}

// newRunner returns a Runner of a new toy encoder on the test binary's one backend.
func newRunner(t *testing.T) (*toyEncoder, *encoder.Runner) {
	t.Helper()
	b, err := backend.Get()
	if err != nil {
		t.Fatal(err)
	}
	enc := newToyEncoder(t)
	return enc, encoder.NewRunner(b, enc)
}

// expected returns the toy encoder's sentence vector of text under pooling p, computed on the
// host.
func expected(t *testing.T, enc *toyEncoder, text string, p encoder.Pooling) []float32 {
	t.Helper()
	ids, err := enc.Tokenize([]string{text})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]float32, toyDim)
	switch p {
	case encoder.PoolCLS:
		copy(out, toyRow(ids[0][0]))
	case encoder.PoolNative, encoder.PoolMean:
		for _, id := range ids[0] {
			for j, x := range toyRow(id) {
				out[j] += x
			}
		}
		if p == encoder.PoolMean {
			for j := range out {
				out[j] /= float32(len(ids[0]))
			}
		}
	}
	return out
}

// mixedTexts have 1 to 7 words (clipped to 5 tokens), out of length order.
var mixedTexts = []string{
	"a b c d e f a", "b", "c d e", "f f", "a b c d", "zzz", "e d c b a", "d e", "b c d e f", "a",
}

func TestRunnerOrderAcrossBuckets(t *testing.T) {
	enc, r := newRunner(t)
	// Lengths 2, 4 and 5 (capped) in batches of at most 2: many buckets.
	if err := r.SetBatching(2, 2); err != nil {
		t.Fatal(err)
	}
	for _, p := range []encoder.Pooling{encoder.PoolNative, encoder.PoolMean, encoder.PoolCLS} {
		got, err := r.Embed(mixedTexts, p)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(mixedTexts) {
			t.Fatalf("%s: %d vectors for %d texts", p, len(got), len(mixedTexts))
		}
		for i, text := range mixedTexts {
			if want := expected(t, enc, text, p); !slices.Equal(got[i], want) {
				t.Errorf("%s: text %d %q: got %v, want %v", p, i, text, got[i], want)
			}
		}
	}
}

func TestPoolingValues(t *testing.T) {
	_, r := newRunner(t)
	// "b c" is ids 3, 4: rows [3 9 1] and [4 16 1]; "zzz" is the unknown id 1: row [1 1 1].
	texts := []string{"b c", "zzz"}
	for _, tc := range []struct {
		p    encoder.Pooling
		want [][]float32
	}{
		{encoder.PoolNative, [][]float32{{7, 25, 2}, {1, 1, 1}}},
		{encoder.PoolMean, [][]float32{{3.5, 12.5, 1}, {1, 1, 1}}},
		{encoder.PoolCLS, [][]float32{{3, 9, 1}, {1, 1, 1}}},
	} {
		got, err := r.Embed(texts, tc.p)
		if err != nil {
			t.Fatal(err)
		}
		for i := range texts {
			if !slices.Equal(got[i], tc.want[i]) {
				t.Errorf("%s of %q: got %v, want %v", tc.p, texts[i], got[i], tc.want[i])
			}
		}
	}
}

func TestPaddingInvariance(t *testing.T) {
	_, r := newRunner(t)
	for _, p := range []encoder.Pooling{encoder.PoolNative, encoder.PoolMean, encoder.PoolCLS} {
		batched, err := r.Embed(mixedTexts, p)
		if err != nil {
			t.Fatal(err)
		}
		for i, text := range mixedTexts {
			alone, err := r.Embed([]string{text}, p)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(alone[0], batched[i]) {
				t.Errorf("%s: text %d: alone %v, batched %v", p, i, alone[0], batched[i])
			}
		}
	}
}

func TestTokenStates(t *testing.T) {
	enc, r := newRunner(t)
	states, pooled, err := r.TokenStates(mixedTexts)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := enc.Tokenize(mixedTexts)
	if err != nil {
		t.Fatal(err)
	}
	for i, text := range mixedTexts {
		if len(states[i]) != len(ids[i]) {
			t.Fatalf("text %d: %d states for %d tokens", i, len(states[i]), len(ids[i]))
		}
		for j, id := range ids[i] {
			if !slices.Equal(states[i][j], toyRow(id)) {
				t.Errorf("text %d token %d: state %v, want %v", i, j, states[i][j], toyRow(id))
			}
		}
		if want := expected(t, enc, text, encoder.PoolNative); !slices.Equal(pooled[i], want) {
			t.Errorf("text %d: pooled %v, want %v", i, pooled[i], want)
		}
	}
}

func TestRunnerErrors(t *testing.T) {
	_, r := newRunner(t)
	_, err := r.Embed([]string{"a", "b", "  "}, encoder.PoolMean)
	if !errors.Is(err, encoder.ErrEmptyText) || !strings.Contains(err.Error(), "text 2") {
		t.Errorf("Embed with an empty text 2: got %v, want ErrEmptyText naming text 2", err)
	}
	if _, _, err := r.TokenStates([]string{""}); !errors.Is(err, encoder.ErrEmptyText) {
		t.Errorf("TokenStates of an empty text: got %v, want ErrEmptyText", err)
	}
	for _, tc := range []struct {
		name string
		ids  [][]int32
		want string
	}{
		{"empty row", [][]int32{{2}, {}}, "text 1"},
		{"too long", [][]int32{{2, 2, 2, 2, 2, 2}}, "6 tokens"},
		{"negative id", [][]int32{{2, -1}}, "negative"},
		{"id past the vocabulary", [][]int32{{toyVocabSize}}, "vocabulary"},
	} {
		if _, err := r.EmbedTokens(tc.ids, encoder.PoolNative); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error mentioning %q", tc.name, err, tc.want)
		}
	}
	if got, err := r.EmbedTokens([][]int32{{2, 2, 2, 2, 2}}, encoder.PoolNative); err != nil || !slices.Equal(got[0], []float32{10, 20, 5}) {
		t.Errorf("EmbedTokens of MaxTokens ids: got %v, %v; want [10 20 5]", got, err)
	}
	for _, bad := range [][2]int{{0, 16}, {4, 0}, {-1, -1}} {
		if err := r.SetBatching(bad[0], bad[1]); err == nil {
			t.Errorf("SetBatching(%d, %d): want an error", bad[0], bad[1])
		}
	}
}

func TestSetTrainable(t *testing.T) {
	enc, _ := newRunner(t)
	trainable := func() []bool {
		var flags []bool
		for _, l := range enc.Layers() {
			for _, v := range l.Variables {
				flags = append(flags, v.Trainable)
			}
		}
		return flags
	}
	if got := encoder.LayerNames(enc); !slices.Equal(got, []string{"embeddings", "head"}) {
		t.Errorf("LayerNames = %v", got)
	}
	if err := encoder.SetTrainable(enc, false, "embeddings"); err != nil {
		t.Fatal(err)
	}
	if got := trainable(); !slices.Equal(got, []bool{false, true}) {
		t.Errorf("after freezing embeddings: trainable %v, want [false true]", got)
	}
	// An unknown name fails, and changes nothing, not even the known layers listed with it.
	err := encoder.SetTrainable(enc, true, "embeddings", "layer_9")
	if err == nil || !strings.Contains(err.Error(), "layer_9") {
		t.Errorf("SetTrainable with an unknown layer: got %v, want an error naming it", err)
	}
	if got := trainable(); !slices.Equal(got, []bool{false, true}) {
		t.Errorf("after a failed SetTrainable: trainable %v, want [false true]", got)
	}
	// No name: all layers.
	if err := encoder.SetTrainable(enc, false); err != nil {
		t.Fatal(err)
	}
	if got := trainable(); !slices.Equal(got, []bool{false, false}) {
		t.Errorf("after freezing all: trainable %v", got)
	}
}

func TestParsePooling(t *testing.T) {
	for _, p := range []encoder.Pooling{encoder.PoolNative, encoder.PoolMean, encoder.PoolCLS} {
		got, err := encoder.ParsePooling(p.String())
		if err != nil || got != p {
			t.Errorf("ParsePooling(%q) = %v, %v; want %v", p.String(), got, err, p)
		}
	}
	if got, err := encoder.ParsePooling(""); err != nil || got != encoder.PoolNative {
		t.Errorf("ParsePooling(\"\") = %v, %v; want native", got, err)
	}
	for _, bad := range []string{"max", "Mean", "CLS "} {
		if _, err := encoder.ParsePooling(bad); err == nil || !strings.Contains(err.Error(), "native, mean or cls") {
			t.Errorf("ParsePooling(%q): got %v, want an error listing the choices", bad, err)
		}
	}
	if s := encoder.Pooling(7).String(); s != "Pooling(7)" {
		t.Errorf("Pooling(7).String() = %q", s)
	}
}
