package bert

import (
	"math"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck // Graph-building code reads best with dot-imported ops, as in GoMLX's own layers.
	"github.com/gomlx/gomlx/ml/layers/activation"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/support/exceptions"
)

// maskBias is added to the attention logits of padding keys: exp of it is exactly 0 in float32.
const maskBias = -1e9

// Encoder builds the BERT encoder graph of HuggingFace's BertModel, in inference mode:
//
//  1. embeddings: word embedding + position embedding + token-type embedding (type 0 for every
//     token: single-segment input; EncoderSegments takes the types), then LayerNorm;
//  2. layer_0 ... layer_{n-1}, post-LN transformer layers: multi-head self-attention (logits
//     scaled by 1/sqrt(head width), padding keys masked with a -1e9 bias), output dense,
//     residual, LayerNorm; then intermediate dense, activation (exact erf GELU for "gelu"),
//     output dense, residual, LayerNorm;
//  3. pooler: tanh(dense(state of the first token, [CLS])).
//
// ids are int32 token ids shaped [batch, length], length at most cfg.MaxPositionEmbeddings;
// mask is a bool [batch, length] marking the real tokens. As in HuggingFace, every position,
// padding included, gets a state (padding positions attend to the real tokens): use the mask
// to ignore them. It returns the last layer's token states [batch, length, HiddenSize] and the
// pooled vectors [batch, HiddenSize].
//
// The variables are looked up by name under scope (see Model.Layers for the names): pass the
// root scope of Model.Store, or a scope holding the same variables. A missing variable panics.
//
// Dropout: none yet. The places where BertModel applies dropout in training are marked with
// calls to dropout, which is the identity; a training mode would implement it there, keyed on
// scope.IsTraining(g) and cfg.HiddenDropoutProb / cfg.AttentionProbsDropoutProb.
func Encoder(scope *model.Scope, cfg Config, ids, mask *Node) (states, pooled *Node) {
	return EncoderSegments(scope, cfg, ids, mask, nil)
}

// EncoderSegments is Encoder with token types (segment ids): types is an int32 [batch, length]
// of values in [0, cfg.TypeVocabSize), e.g. 0 for the first sentence of a pair and 1 for the
// second, as HuggingFace's token_type_ids; nil means type 0 everywhere (Encoder).
func EncoderSegments(scope *model.Scope, cfg Config, ids, mask, types *Node) (states, pooled *Node) {
	if ids.Rank() != 2 || !mask.Shape().Equal(shapes.Make(dtypes.Bool, ids.Shape().Dimensions...)) {
		exceptions.Panicf("bert.Encoder: want ids [batch, length] and a bool mask of the same shape, got %s and %s",
			ids.Shape(), mask.Shape())
	}
	if length := ids.Shape().Dim(1); length > cfg.MaxPositionEmbeddings {
		exceptions.Panicf("bert.Encoder: %d tokens per row, but the model has only %d positions", length, cfg.MaxPositionEmbeddings)
	}
	maskF := ConvertDType(mask, dtypes.Float32)
	// Attention bias for padding keys: [batch, 1 (heads), 1 (queries), length (keys)].
	keyBias := InsertAxes(MulScalar(OneMinus(maskF), maskBias), 1, 1)

	if types != nil && !types.Shape().Equal(shapes.Make(dtypes.Int32, ids.Shape().Dimensions...)) {
		exceptions.Panicf("bert.EncoderSegments: want int32 token types shaped like the ids %s, got %s", ids.Shape(), types.Shape())
	}
	x := embeddings(scope.In(LayerEmbeddings), cfg, ids, types)
	for i := range cfg.NumHiddenLayers {
		x = transformerLayer(scope.In("%s", LayerName(i)), cfg, x, keyBias)
	}
	states = x

	// The [CLS] state [batch, hidden], sliced from the flattened states rather than with
	// Slice(states, AxisRange(), AxisElem(0)): the go backend deduplicates identical nodes, and a
	// graph whose output is that same slice (encoder.PoolCLS) while the pooler is unused then fails
	// at execution (index out of range; gomlx v0.28.2 / compute v0.1.2).
	batch, length, hidden := states.Shape().Dim(0), states.Shape().Dim(1), states.Shape().Dim(2)
	cls := Slice(Reshape(states, batch, length*hidden), AxisRange(), AxisRange(0, hidden))
	pooled = Tanh(dense(scope.In(LayerPooler), cls))
	return states, pooled
}

// embeddings sums the word, position and token-type (types; nil: type 0) embeddings and
// normalises them.
func embeddings(scope *model.Scope, cfg Config, ids, types *Node) *Node {
	g := ids.Graph()
	length := ids.Shape().Dim(1)
	words := variable(scope, "word_embeddings").NodeValue(g)
	positions := variable(scope, "position_embeddings").NodeValue(g)
	typeTable := variable(scope, "token_type_embeddings").NodeValue(g)

	x := Gather(words, InsertAxes(ConvertDType(ids, dtypes.Int32), -1)) // [batch, length, hidden]
	x = Add(x, InsertAxes(Slice(positions, AxisRange(0, length)), 0))   // Positions 0..length-1.
	if types == nil {
		x = Add(x, InsertAxes(Slice(typeTable, AxisElem(0)), 0)) // Token type 0: [1, 1, hidden].
	} else {
		x = Add(x, Gather(typeTable, InsertAxes(types, -1)))
	}
	x = layerNorm(scope.In("layer_norm"), cfg, x)
	return dropout(x, cfg.HiddenDropoutProb)
}

// transformerLayer is one post-LN BERT layer (BertLayer).
func transformerLayer(scope *model.Scope, cfg Config, x, keyBias *Node) *Node {
	att := scope.In("attention")
	context := selfAttention(att, cfg, x, keyBias)

	// BertSelfOutput: dense, residual, LayerNorm.
	a := dropout(dense(att.In("output"), context), cfg.HiddenDropoutProb)
	a = layerNorm(att.In("layer_norm"), cfg, Add(a, x))

	// BertIntermediate and BertOutput: feed-forward, residual, LayerNorm.
	f := activate(cfg.HiddenAct, dense(scope.In("intermediate"), a))
	out := scope.In("output")
	f = dropout(dense(out, f), cfg.HiddenDropoutProb)
	return layerNorm(out.In("layer_norm"), cfg, Add(f, a))
}

// selfAttention is BertSelfAttention: multi-head attention of x [batch, length, hidden] on
// itself, with the query, key and value dense layers of scope, logits scaled by 1/sqrt(head
// width) plus keyBias [batch, 1, 1, length]. It returns the heads' concatenated contexts.
func selfAttention(scope *model.Scope, cfg Config, x, keyBias *Node) *Node {
	batch, length, hidden := x.Shape().Dim(0), x.Shape().Dim(1), x.Shape().Dim(2)
	heads := cfg.NumAttentionHeads
	headDim := hidden / heads
	split := func(n *Node) *Node { return Reshape(n, batch, length, heads, headDim) }
	q := split(dense(scope.In("query"), x))
	k := split(dense(scope.In("key"), x))
	v := split(dense(scope.In("value"), x))
	logits := MulScalar(Einsum("bqhd,bkhd->bhqk", q, k), 1/math.Sqrt(float64(headDim)))
	weights := dropout(Softmax(Add(logits, keyBias), -1), cfg.AttentionProbsDropoutProb)
	return Reshape(Einsum("bhqk,bkhd->bqhd", weights, v), batch, length, hidden)
}

// activate applies the feed-forward activation named by HuggingFace's hidden_act.
func activate(act string, x *Node) *Node {
	switch act {
	case ActGelu:
		return activation.Gelu(x) // Exact: x·0.5·(1 + erf(x/√2)).
	case ActGeluNew, ActGeluTanh:
		return activation.GeluApproximate(x)
	case ActRelu:
		return activation.Relu(x)
	}
	exceptions.Panicf("bert: unsupported hidden_act %q", act)
	return nil
}

// dropout is where BertModel applies dropout in training; inference only for now, so it returns
// x unchanged. To train with dropout, apply it here when the graph is in training mode.
func dropout(x *Node, rate float64) *Node {
	_ = rate
	return x
}

// layerNorm normalises the last axis as torch.nn.LayerNorm does:
// (x - mean) / sqrt(var + eps) · scale + offset, with the biased variance.
func layerNorm(scope *model.Scope, cfg Config, x *Node) *Node {
	g := x.Graph()
	scale := ExpandLeftToRank(variable(scope, "scale").NodeValue(g), x.Rank())
	offset := ExpandLeftToRank(variable(scope, "offset").NodeValue(g), x.Rank())
	centred := Sub(x, ReduceAndKeep(x, ReduceMean, -1))
	variance := ReduceAndKeep(Square(centred), ReduceMean, -1)
	normed := Mul(centred, Rsqrt(AddScalar(variance, cfg.LayerNormEps)))
	return Add(Mul(normed, scale), offset)
}

// dense applies x·weights + biases on the last axis of x, with the variables "weights"
// [in, out] and "biases" [out] of scope.
func dense(scope *model.Scope, x *Node) *Node {
	g := x.Graph()
	w := variable(scope, "weights").NodeValue(g)
	b := variable(scope, "biases").NodeValue(g)
	in, out := w.Shape().Dim(0), w.Shape().Dim(1)
	if x.Shape().Dim(-1) != in {
		exceptions.Panicf("bert: %s/weights is %s, cannot apply to %s", scope.Scope(), w.Shape(), x.Shape())
	}
	dims := x.Shape().Dimensions
	y := Add(MatMul(Reshape(x, -1, in), w), InsertAxes(b, 0))
	return Reshape(y, append(append([]int{}, dims[:len(dims)-1]...), out)...)
}

// variable returns the named variable of scope, panicking with a clear message when absent.
func variable(scope *model.Scope, name string) *model.Variable {
	v := scope.GetVariable(name)
	if v == nil {
		exceptions.Panicf("bert: scope %q has no variable %q: build the encoder on the root scope of the Store of a bert.Model (from Load or New)",
			scope.Scope(), name)
	}
	return v
}

// SegmentsFromSep returns the token types of ids [batch, length] read as BERT sentence pairs:
// 0 up to and including the first sepID, 1 after it (the second text and its [SEP]), 0 on
// padding (mask false), as HuggingFace's tokenizers give them. A row with one [SEP] (a single
// text) is type 0 throughout.
func SegmentsFromSep(ids, mask *Node, sepID int) *Node {
	ids = ConvertDType(ids, dtypes.Int32)
	isSep := ConvertDType(Equal(ids, Scalar(ids.Graph(), dtypes.Int32, sepID)), dtypes.Int32)
	types := MinScalar(Sub(CumSum(isSep, 1), isSep), 1)
	return Where(mask, types, ZerosLike(types))
}
