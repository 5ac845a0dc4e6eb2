package testkit

import (
	"fmt"
	"hash/fnv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
)

// The toy encoder's vocabulary (hash buckets) and width.
const (
	ToyVocab = 16
	ToyDim   = 4
)

// ToyEncoder is a tiny encoder for tests of code above the encoder interface: it embeds each word (hashed into ToyVocab ids) with a table variable; its
// native pooling is the sum over real tokens. It counts its Tokenize calls, which every run
// of the encoder makes.
type ToyEncoder struct {
	store *model.Store
	// Table is the embedding table variable [ToyVocab, ToyDim].
	Table *model.Variable
	// Tokenized counts Tokenize calls, Texts the texts tokenized.
	Tokenized atomic.Int64
	Texts     atomic.Int64
}

// NewToyEncoder returns a ToyEncoder with a fixed table.
func NewToyEncoder(t *testing.T) *ToyEncoder {
	t.Helper()
	values := make([]float32, ToyVocab*ToyDim)
	for i := range values {
		values[i] = float32(i%7) - 2.5
	}
	store := model.NewStore()
	table, err := store.CreateVariable("/embeddings/table", tensors.FromFlatDataAndDimensions(values, ToyVocab, ToyDim))
	if err != nil {
		t.Fatal(err)
	}
	return &ToyEncoder{store: store, Table: table}
}

// Name implements encoder.Encoder.
func (e *ToyEncoder) Name() string { return "feat-toy" }

// Dim implements encoder.Encoder.
func (e *ToyEncoder) Dim() int { return ToyDim }

// MaxTokens implements encoder.Encoder.
func (e *ToyEncoder) MaxTokens() int { return 8 }

// Store implements encoder.Encoder.
func (e *ToyEncoder) Store() *model.Store { return e.store }

// Layers implements encoder.Encoder.
func (e *ToyEncoder) Layers() []encoder.Layer {
	return []encoder.Layer{{Name: "embeddings", Variables: []*model.Variable{e.Table}}}
}

// Tokenize implements encoder.Encoder.
func (e *ToyEncoder) Tokenize(texts []string) ([][]int32, error) {
	e.Tokenized.Add(1)
	e.Texts.Add(int64(len(texts)))
	out := make([][]int32, len(texts))
	for i, text := range texts {
		words := strings.Fields(text)
		if len(words) == 0 {
			return nil, fmt.Errorf("feat-toy: text %d: %w", i, encoder.ErrEmptyText)
		}
		for _, w := range words[:min(len(words), e.MaxTokens())] {
			h := fnv.New32a()
			h.Write([]byte(w))
			out[i] = append(out[i], int32(h.Sum32()%ToyVocab))
		}
	}
	return out, nil
}

// Build implements encoder.Encoder.
func (e *ToyEncoder) Build(scope *model.Scope, ids, mask *graph.Node) (states, pooled *graph.Node) {
	table := scope.In("embeddings").GetVariable("table").NodeValue(ids.Graph())
	states = graph.Gather(table, graph.InsertAxes(ids, -1))
	maskF := graph.InsertAxes(graph.ConvertDType(mask, states.DType()), -1)
	return states, graph.ReduceSum(graph.Mul(states, maskF), 1)
}
