package glove

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/support/exceptions"

	"github.com/nlp-transfer/gotl/tlkit/encoder"
)

// Token ids of the encoder: the rows of its embedding table below NumSpecial are special, and
// the vector of word i of Vectors is row i+NumSpecial.
const (
	// PadID is the padding row (a zero vector). Tokenize never returns it.
	PadID = 0
	// UnkID is the row for unknown words (a zero vector): WordIDs maps unknown words to it, so
	// that a tagger gets one state per word; Tokenize drops unknown words instead.
	UnkID = 1
	// NumSpecial is the number of special rows before the words' rows.
	NumSpecial = 2
)

// LayerEmbeddings is the encoder's only layer, the scope of its embedding table, and
// TableName the name of that variable in the scope.
const (
	LayerEmbeddings = "embeddings"
	TableName       = "word_embeddings"
)

// DefaultMaxTokens is the default for Encoder.MaxTokens: tokens of a text beyond it are
// dropped. 512 tokens cover nearly all sentences and most reviews; averaging needs no more.
const DefaultMaxTokens = 512

// ErrNoKnownWords is wrapped by Vectors.Mean's error for a text with tokens of which none is
// a known word. It wraps encoder.ErrEmptyText, so errors.Is(err, encoder.ErrEmptyText) holds too.
var ErrNoKnownWords = fmt.Errorf("no token is a known word: %w", encoder.ErrEmptyText)

// Encoder is the averaged-GloVe sentence encoder, an encoder.Encoder: a text's tokens
// (Vectors.Tokens) that are known words become their vectors, looked up in one trainable
// embedding table, and the native sentence vector (encoder.PoolNative) is their mean.
// Unknown words are dropped by Tokenize.
type Encoder struct {
	vectors   *Vectors
	store     *model.Store
	table     *model.Variable
	maxTokens int
}

var _ encoder.UnknownToken = (*Encoder)(nil)

// NewEncoder returns an Encoder of the words of v. Its Store holds one variable,
// LayerEmbeddings/TableName, shaped [NumSpecial+v.Len(), v.Dim], trainable: rows PadID and
// UnkID are zero, row i+NumSpecial is the vector of v.Words[i]. MaxTokens is DefaultMaxTokens.
func NewEncoder(v *Vectors) (*Encoder, error) {
	if v == nil || v.Len() == 0 || v.Dim <= 0 || len(v.Data) != v.Len()*v.Dim {
		return nil, errors.New("glove: NewEncoder: no vectors (or vectors of inconsistent shape)")
	}
	rows := NumSpecial + v.Len()
	flat := make([]float32, rows*v.Dim)
	copy(flat[NumSpecial*v.Dim:], v.Data)
	store := model.NewStore()
	table, err := store.CreateVariable("/"+LayerEmbeddings+"/"+TableName, tensors.FromFlatDataAndDimensions(flat, rows, v.Dim))
	if err != nil {
		return nil, fmt.Errorf("glove: NewEncoder: %w", err)
	}
	table.SetTrainable(true)
	return &Encoder{vectors: v, store: store, table: table, maxTokens: DefaultMaxTokens}, nil
}

// Vectors returns the word vectors the encoder was made from (not updated by training).
func (e *Encoder) Vectors() *Vectors { return e.vectors }

// Name is "glove-<Dim>d-<number of words>", e.g. "glove-100d-50000".
func (e *Encoder) Name() string { return fmt.Sprintf("glove-%dd-%d", e.vectors.Dim, e.vectors.Len()) }

// Dim is the width of the word vectors (100).
func (e *Encoder) Dim() int { return e.vectors.Dim }

// MaxTokens is the most tokens Tokenize keeps of a text (DefaultMaxTokens unless set with
// SetMaxTokens).
func (e *Encoder) MaxTokens() int { return e.maxTokens }

// SetMaxTokens sets MaxTokens (n >= 1). Set it before making a Runner of the encoder.
func (e *Encoder) SetMaxTokens(n int) error {
	if n < 1 {
		return fmt.Errorf("glove: SetMaxTokens(%d): want at least 1", n)
	}
	e.maxTokens = n
	return nil
}

// Store holds the encoder's one variable, LayerEmbeddings/TableName.
func (e *Encoder) Store() *model.Store { return e.store }

// Layers returns the one layer, LayerEmbeddings, holding the embedding table.
func (e *Encoder) Layers() []encoder.Layer {
	return []encoder.Layer{{Name: LayerEmbeddings, Variables: []*model.Variable{e.table}}}
}

// Tokenize returns, for each text, the ids of its known words (Vectors.Tokens, unknown tokens
// dropped), at most MaxTokens of them, with no special tokens. A text without tokens is an error
// wrapping encoder.ErrEmptyText, naming the text's index. A text whose tokens are all unknown
// (e.g. "A 10": GloVe's wink copy lacks single letters and bare numbers) becomes the single id
// UnkID, so that it still gets a sentence vector: zeros, since pooling skips UnkID.
func (e *Encoder) Tokenize(texts []string) ([][]int32, error) {
	out := make([][]int32, len(texts))
	for i, text := range texts {
		tokens := e.vectors.Tokens(text)
		if len(tokens) == 0 {
			return nil, fmt.Errorf("glove: text %d: %w", i, encoder.ErrEmptyText)
		}
		ids := make([]int32, 0, min(len(tokens), e.maxTokens))
		for _, t := range tokens {
			if len(ids) == e.maxTokens {
				break
			}
			if row, ok := e.vectors.Index[t]; ok {
				ids = append(ids, int32(row+NumSpecial))
			}
		}
		if len(ids) == 0 {
			ids = append(ids, UnkID)
		}
		out[i] = ids
	}
	return out, nil
}

// WordIDs returns one id per word of words (tokens already split, e.g. a tagging corpus's
// words): the row of the word lower-cased (or without diacritics), or UnkID if unknown. Use it
// where states must align with given words; Build's mean pooling skips UnkID.
func (e *Encoder) WordIDs(words []string) []int32 {
	ids := make([]int32, len(words))
	for i, w := range words {
		ids[i] = UnkID
		for _, cand := range []string{w, strings.ToLower(w), foldDiacritics(strings.ToLower(w))} {
			if row, ok := e.vectors.Index[cand]; ok {
				ids[i] = int32(row + NumSpecial)
				break
			}
		}
	}
	return ids
}

// Build looks up the ids (int32 [batch, length]) in the embedding table: states
// [batch, length, Dim] are the vectors of the tokens, zero where mask (bool [batch, length]) is
// false. pooled [batch, Dim] is their mean over the real tokens that are words (mask true and id
// at least NumSpecial, so UnkID rows don't count); a row without any gives zeros.
//
// scope must be the root scope of Store(), or a scope holding LayerEmbeddings/TableName.
func (e *Encoder) Build(scope *model.Scope, ids, mask *graph.Node) (states, pooled *graph.Node) {
	g := ids.Graph()
	if ids.Rank() != 2 || !mask.Shape().Equal(shapes.Make(dtypes.Bool, ids.Shape().Dimensions...)) {
		exceptions.Panicf("glove: Build: want ids [batch, length] and a bool mask of the same shape, got %s and %s",
			ids.Shape(), mask.Shape())
	}
	rows := NumSpecial + e.vectors.Len()
	table := scope.In(LayerEmbeddings).VariableWithShape(TableName, shapes.Make(dtypes.Float32, rows, e.vectors.Dim)).NodeValue(g)
	ids = graph.ConvertDType(ids, dtypes.Int32)
	states = graph.Gather(table, graph.InsertAxes(ids, -1)) // [batch, length, Dim]
	states = graph.Mul(states, graph.InsertAxes(graph.ConvertDType(mask, dtypes.Float32), -1))
	words := graph.LogicalAnd(mask, graph.GreaterOrEqual(ids, graph.Scalar(g, dtypes.Int32, NumSpecial)))
	pooled = encoder.MeanPool(states, words)
	return states, pooled
}

// preview returns text, cut to 40 characters.
func preview(text string) string {
	r := []rune(text)
	if len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return text
}

// UnknownID is the token id of a text without a known word (UnkID), for
// encoder.CharacterCoverage.
func (e *Encoder) UnknownID() int32 { return UnkID }
