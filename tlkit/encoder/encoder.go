// Package encoder defines gotl's pretrained-encoder interface and the batched, length-bucketed
// inference that every encoder shares.
//
// An Encoder turns text into tokens, tokens into per-token states, and states into one pooled
// sentence vector. Every weight is a trainable GoMLX variable in the encoder's Store, grouped
// into named layers (input to output) so that transfer-learning methods can freeze some of
// them. Build adds the encoder's graph to any model graph: a classifier head, a domain
// discriminator or a token tagger is built on top of its outputs, with its own variables in
// another scope of the same Store.
//
// Implementations: tlkit/uselite (Universal Sentence Encoder Lite, and the same shape from
// scratch), tlkit/bert (HuggingFace BERT checkpoints) and tlkit/glove (averaged GloVe
// vectors).
package encoder

import (
	"errors"
	"fmt"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// Encoder is a pretrained (or freshly initialised) text encoder.
type Encoder interface {
	// Name identifies the encoder and its weights, e.g. "use-lite" or "bert:/path/to/dir".
	// Feature caches use it in their keys.
	Name() string

	// Dim is the width of the token states and of the pooled sentence vector.
	Dim() int

	// MaxTokens is the most tokens Tokenize returns for one text (special tokens included).
	MaxTokens() int

	// Tokenize returns the token ids the model sees for each text: special tokens added,
	// clipped to MaxTokens. A text that yields no token (e.g. "") is an error wrapping
	// ErrEmptyText and naming the text's index.
	Tokenize(texts []string) ([][]int32, error)

	// Build adds the encoder to a graph. ids are int32 [batch, length] token ids; mask is a
	// bool [batch, length] marking the real tokens, which form a prefix of each row (padding
	// follows, with any id). It returns the token states [batch, length, Dim] and the
	// encoder's own pooled sentence vectors [batch, Dim] (PoolNative).
	//
	// scope must be the root scope of Store(), or a scope of a store holding the same
	// variables under the same names: Build reads the encoder's variables from it.
	Build(scope *model.Scope, ids, mask *graph.Node) (states, pooled *graph.Node)

	// Store holds the encoder's variables.
	Store() *model.Store

	// Layers lists the encoder's named layers, from input to output.
	Layers() []Layer
}

// PairTokenizer is an Encoder that reads a sentence pair as one input of two segments, as BERT
// does ([CLS] a [SEP] b [SEP]): fine-tuning on a sentence-pair task needs one. Its Build tells
// the segments apart by itself (for BERT, from the [SEP] positions), so ids and mask are all
// it needs, as for single texts.
type PairTokenizer interface {
	Encoder

	// TokenizePairs returns the token ids of each pair (a[i], b[i]) as one input, special
	// tokens added, at most maxTokens long (0, or more than MaxTokens: MaxTokens): tokens are
	// cut from the end of the longer text first. A pair with a text that yields no token is an
	// error wrapping ErrEmptyText and naming the pair's index.
	TokenizePairs(a, b []string, maxTokens int) ([][]int32, error)
}

// Layer is one named group of an encoder's variables, e.g. "embeddings" or "layer_0".
type Layer struct {
	Name      string
	Variables []*model.Variable
}

// ErrEmptyText is wrapped by the errors for texts that yield no token.
var ErrEmptyText = errors.New("empty text has no tokens")

// LayerNames returns the names of enc's layers, from input to output.
func LayerNames(enc Encoder) []string {
	layers := enc.Layers()
	names := make([]string, len(layers))
	for i, l := range layers {
		names[i] = l.Name
	}
	return names
}

// SetTrainable marks every variable of the named layers of enc trainable or frozen (none named:
// all layers). It fails on an unknown layer name, changing nothing.
func SetTrainable(enc Encoder, trainable bool, layerNames ...string) error {
	layers := enc.Layers()
	byName := make(map[string]Layer, len(layers))
	for _, l := range layers {
		byName[l.Name] = l
	}
	if len(layerNames) == 0 {
		layerNames = LayerNames(enc)
	}
	for _, name := range layerNames {
		if _, ok := byName[name]; !ok {
			return fmt.Errorf("encoder %s: unknown layer %q (want one of %v)", enc.Name(), name, LayerNames(enc))
		}
	}
	for _, name := range layerNames {
		for _, v := range byName[name].Variables {
			v.SetTrainable(trainable)
		}
	}
	return nil
}
