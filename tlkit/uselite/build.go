package uselite

import (
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck // Graph-building code reads best with dot-imported ops, as in GoMLX's own layers.
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/support/exceptions"
	"github.com/nlp-transfer/gotl/internal/nn"
)

// Build adds the USE Lite encoder to the graph of ids, reproducing the TF.js graph of
// model.json op for op (its sparse gather/scatter steps become masking of a dense padded batch):
//
//  1. embeddings: x = e + (e + timing), where e is the token embedding and timing the
//     sinusoidal signal [sin(p·f), cos(p·f)] of the position p with the frequencies f
//     (the graph adds the embedding twice, and so do we); padding positions are zero.
//  2. layer_0 and layer_1, pre-norm transformer layers: attention on LayerNorm(x), 4 heads,
//     queries scaled by 1/sqrt(head width), padding keys masked with a -1e9 bias; plus the
//     residual, which layer_0 projects from 256 to 512 dims (and zeroes at padding);
//     then a ReLU feed-forward network on LayerNorm of that, added back (zero at padding).
//  3. pooler: the mean of the token states over the real tokens, a dense tanh layer and L2
//     normalisation.
//
// ids are int32 token ids shaped [batch, length], below Config.VocabSize; mask is a bool
// [batch, length] marking the real tokens, which must form a prefix of each row (padding after
// them, any id); length should not exceed MaxTokens, for parity with TF.js, which drops later
// tokens. A row without tokens gives the normalised tanh of the pooler's biases, as TF.js does.
//
// It returns the token states [batch, length, HiddenDim] (zero at padding) and the
// L2-normalised sentence vectors [batch, HiddenDim] (encoder.PoolNative). The variables are
// looked up by name in scope's sub-scopes LayerEmbeddings, Layer0, Layer1 and LayerPooler:
// pass the root scope of Store, or a scope holding the same variables.
func (m *Model) Build(scope *model.Scope, ids, mask *Node) (states, pooled *Node) {
	cfg := m.Config
	g := ids.Graph()
	if ids.Rank() != 2 || !mask.Shape().Equal(shapes.Make(dtypes.Bool, ids.Shape().Dimensions...)) {
		exceptions.Panicf("uselite: Build: want ids [batch, length] and a bool mask of the same shape, got %s and %s",
			ids.Shape(), mask.Shape())
	}
	length := ids.Shape().Dim(1)
	maskF := ConvertDType(mask, dtypes.Float32)
	tokenMask := InsertAxes(maskF, -1) // [batch, length, 1]
	// Attention bias for padding keys, [batch, 1 (heads), 1 (queries), length (keys)].
	keyBias := InsertAxes(MulScalar(OneMinus(maskF), cfg.MaskBias), 1, 1)

	// Embeddings and timing signal.
	embScope := scope.In(LayerEmbeddings)
	table := embScope.VariableWithShape("token_embeddings", shapes.Make(dtypes.Float32, cfg.VocabSize, cfg.EmbedDim)).NodeValue(g)
	invTimescales := embScope.VariableWithShape("timing_inv_timescales", shapes.Make(dtypes.Float32, cfg.EmbedDim/2)).NodeValue(g)
	emb := Gather(table, InsertAxes(ConvertDType(ids, dtypes.Int32), -1)) // [batch, length, EmbedDim]
	positions := Iota(g, shapes.Make(dtypes.Float32, length, 1), 0)
	scaledTime := Mul(positions, InsertAxes(invTimescales, 0)) // [length, EmbedDim/2]
	timing := Concatenate([]*Node{Sin(scaledTime), Cos(scaledTime)}, -1)
	x := Add(emb, Add(emb, InsertAxes(timing, 0)))
	x = Mul(x, tokenMask)

	// Transformer layers.
	x = transformerLayer(scope.In(Layer0), cfg, x, tokenMask, keyBias, cfg.AttentionScale[0], true)
	x = transformerLayer(scope.In(Layer1), cfg, x, tokenMask, keyBias, cfg.AttentionScale[1], false)
	states = Mul(x, tokenMask)

	// Pooler: masked mean, dense tanh, L2 normalisation.
	numTokens := MaxScalar(ReduceSum(maskF, -1), float32(1)) // [batch]
	mean := Div(ReduceSum(states, 1), InsertAxes(numTokens, -1))
	hidden := Tanh(dense(scope.In(LayerPooler), mean))
	sumSquares := ReduceAndKeep(Square(hidden), ReduceSum, -1)
	pooled = Mul(hidden, Rsqrt(MaxScalar(sumSquares, cfg.L2Epsilon)))
	return states, pooled
}

// transformerLayer is one pre-norm transformer layer (TF.js's Layer_N/TransformerLayer).
// With projectResidual, the residual is projected by a dense layer to HiddenDim (layer_0).
func transformerLayer(scope *model.Scope, cfg Config, x, tokenMask, keyBias *Node, queryScale float32, projectResidual bool) *Node {
	batch, length, width := x.Shape().Dim(0), x.Shape().Dim(1), x.Shape().Dim(2)
	heads := cfg.NumHeads
	headDim := width / heads

	// Multi-head self-attention on the normalised input.
	h := layerNorm(scope.In("attention_norm"), cfg, x)
	attnScope := scope.In("attention")
	qkv := dense(attnScope.In("qkv"), h) // [batch, length, 3*width]
	split := func(i int) *Node {
		part := SliceAxis(qkv, -1, AxisRange(i*width, (i+1)*width))
		return Reshape(part, batch, length, heads, headDim)
	}
	q, k, v := MulScalar(split(0), queryScale), split(1), split(2)
	logits := Add(Einsum("bqhd,bkhd->bhqk", q, k), keyBias)
	weights := Softmax(logits, -1)
	context := Reshape(Einsum("bhqk,bkhd->bqhd", weights, v), batch, length, width)
	attention := dense(attnScope.In("output"), context) // [batch, length, HiddenDim]

	residual := x
	if projectResidual {
		residual = Mul(dense(scope.In("residual"), x), tokenMask)
	}
	y := Add(attention, residual)

	// Feed-forward network on the normalised attention output.
	ffnScope := scope.In("ffn")
	f := layerNorm(scope.In("ffn_norm"), cfg, y)
	f = dense(ffnScope.In("hidden"), f)
	f = nn.ReLU(f)
	f = dense(ffnScope.In("output"), f)
	return Add(Mul(f, tokenMask), y)
}

// layerNorm normalises the last axis as TF.js's layer_norm does:
// gain * rsqrt(var + eps) * (x - mean) + offset.
func layerNorm(scope *model.Scope, cfg Config, x *Node) *Node {
	g := x.Graph()
	width := x.Shape().Dim(-1)
	gain := scope.VariableWithShape("gain", shapes.Make(dtypes.Float32, width)).NodeValue(g)
	offset := scope.VariableWithShape("offset", shapes.Make(dtypes.Float32, width)).NodeValue(g)
	gain, offset = ExpandLeftToRank(gain, x.Rank()), ExpandLeftToRank(offset, x.Rank())
	centred := Sub(x, ReduceAndKeep(x, ReduceMean, -1))
	variance := ReduceAndKeep(Square(centred), ReduceMean, -1)
	scale := Mul(gain, Rsqrt(AddScalar(variance, cfg.LayerNormEpsilon)))
	return Add(Mul(scale, centred), offset)
}

// dense applies x·weights + biases on the last axis of x, with the variables "weights"
// [in, out] and "biases" [out] of scope (their shapes are those loaded from model.json).
func dense(scope *model.Scope, x *Node) *Node {
	wVar := scope.GetVariable("weights")
	bVar := scope.GetVariable("biases")
	if wVar == nil || bVar == nil {
		exceptions.Panicf("uselite: scope %q has no variables \"weights\" and \"biases\": is scope the root scope of Model.Store?", scope.Scope())
	}
	g := x.Graph()
	w, b := wVar.NodeValue(g), bVar.NodeValue(g)
	in, out := w.Shape().Dim(0), w.Shape().Dim(1)
	if x.Shape().Dim(-1) != in {
		exceptions.Panicf("uselite: %s/weights is %s, cannot apply to %s", scope.Scope(), w.Shape(), x.Shape())
	}
	dims := x.Shape().Dimensions
	flat := Reshape(x, -1, in)
	y := Add(MatMul(flat, w), InsertAxes(b, 0))
	outDims := append(append([]int{}, dims[:len(dims)-1]...), out)
	return Reshape(y, outDims...)
}
