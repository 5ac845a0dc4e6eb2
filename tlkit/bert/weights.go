package bert

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/nlp-transfer/gotl/tlkit/safetensors"
)

// Layer names of the encoder, in order from input to output: each is a scope of the model's
// Store (see Model.Layers). The transformer layers are "layer_0" to "layer_{n-1}" (LayerName).
const (
	LayerEmbeddings = "embeddings" // Word, position and token-type embeddings and their LayerNorm.
	LayerPooler     = "pooler"     // Dense tanh layer applied to the [CLS] state.
)

// LayerName returns the name of transformer layer i: "layer_0", "layer_1", ...
func LayerName(i int) string { return fmt.Sprintf("layer_%d", i) }

// hfPrefix is the prefix of the base-model weights in the checkpoints of HuggingFace's
// BertFor* task models (and in the checkpoints Save writes); BertModel's own saves have none.
const hfPrefix = "bert."

// initKind is how New initialises a variable, as HuggingFace's BertPreTrainedModel does.
type initKind int

const (
	initNormal    initKind = iota // Normal(0, InitializerRange): dense weights.
	initEmbedding                 // Normal(0, InitializerRange), with the PadTokenID row zero.
	initZeros                     // Biases and LayerNorm offsets.
	initOnes                      // LayerNorm scales.
)

// weightSpec maps one HuggingFace weight to one variable of the Store.
type weightSpec struct {
	hf    string // HuggingFace name, without the "bert." prefix.
	layer string // Layer scope: LayerEmbeddings, LayerName(i) or LayerPooler.
	path  string // Variable path, including the layer scope: "/layer_0/attention/query/weights".
	shape []int  // Variable shape.
	// transpose is set for dense weights: PyTorch's Linear stores [out, in], the variable is
	// [in, out] (so that a dense layer is x·W + b).
	transpose bool
	init      initKind
	// optional weights may be missing from a checkpoint (the pooler, which BertForMaskedLM
	// and BertForTokenClassification saves lack); New's initialisation is used then.
	optional bool
}

// hfShape returns the shape of the weight in a HuggingFace checkpoint.
func (s weightSpec) hfShape() []int {
	if s.transpose {
		return []int{s.shape[1], s.shape[0]}
	}
	return s.shape
}

// weightSpecs lists the weights of a BERT model with the given config, in Layers order.
func weightSpecs(c Config) []weightSpec {
	h := c.HiddenSize
	var specs []weightSpec
	dense := func(hf, layer, scope string, in, out int, optional bool) {
		specs = append(specs,
			weightSpec{hf + ".weight", layer, "/" + layer + scope + "/weights", []int{in, out}, true, initNormal, optional},
			weightSpec{hf + ".bias", layer, "/" + layer + scope + "/biases", []int{out}, false, initZeros, optional})
	}
	layerNorm := func(hf, layer, scope string) {
		specs = append(specs,
			weightSpec{hf + ".weight", layer, "/" + layer + scope + "/scale", []int{h}, false, initOnes, false},
			weightSpec{hf + ".bias", layer, "/" + layer + scope + "/offset", []int{h}, false, initZeros, false})
	}
	emb := LayerEmbeddings
	specs = append(specs,
		weightSpec{"embeddings.word_embeddings.weight", emb, "/embeddings/word_embeddings", []int{c.VocabSize, h}, false, initEmbedding, false},
		weightSpec{"embeddings.position_embeddings.weight", emb, "/embeddings/position_embeddings", []int{c.MaxPositionEmbeddings, h}, false, initNormal, false},
		weightSpec{"embeddings.token_type_embeddings.weight", emb, "/embeddings/token_type_embeddings", []int{c.TypeVocabSize, h}, false, initNormal, false},
	)
	layerNorm("embeddings.LayerNorm", emb, "/layer_norm")
	for i := range c.NumHiddenLayers {
		l := LayerName(i)
		p := fmt.Sprintf("encoder.layer.%d.", i)
		dense(p+"attention.self.query", l, "/attention/query", h, h, false)
		dense(p+"attention.self.key", l, "/attention/key", h, h, false)
		dense(p+"attention.self.value", l, "/attention/value", h, h, false)
		dense(p+"attention.output.dense", l, "/attention/output", h, h, false)
		layerNorm(p+"attention.output.LayerNorm", l, "/attention/layer_norm")
		dense(p+"intermediate.dense", l, "/intermediate", h, c.IntermediateSize, false)
		dense(p+"output.dense", l, "/output", c.IntermediateSize, h, false)
		layerNorm(p+"output.LayerNorm", l, "/output/layer_norm")
	}
	dense("pooler.dense", LayerPooler, "", h, h, true)
	return specs
}

// legacyName returns the TensorFlow-era name of a LayerNorm weight ("LayerNorm.gamma" for
// "LayerNorm.weight", "LayerNorm.beta" for "LayerNorm.bias"), or "" for other weights.
func legacyName(hf string) string {
	if base, ok := strings.CutSuffix(hf, "LayerNorm.weight"); ok {
		return base + "LayerNorm.gamma"
	}
	if base, ok := strings.CutSuffix(hf, "LayerNorm.bias"); ok {
		return base + "LayerNorm.beta"
	}
	return ""
}

// readWeights reads the weights of a BERT model with config c from the safetensors file at path,
// returning the values of the variables by path (transposed into the variables' layout) and
// the paths of the optional weights the file lacks. Weights are looked up with and without the
// "bert." prefix; task heads (cls.*, classifier.*, qa_outputs.*) and position_ids are ignored,
// but any other tensor under embeddings., encoder. or pooler. is an error, as is a wrong shape.
func readWeights(path string, c Config) (values map[string][]float32, missing []string, err error) {
	sf, err := safetensors.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer func() { _ = sf.Close() }()

	prefix := ""
	if _, ok := sf.Info(hfPrefix + "embeddings.word_embeddings.weight"); ok {
		prefix = hfPrefix
	} else if _, ok := sf.Info("embeddings.word_embeddings.weight"); !ok {
		return nil, nil, fmt.Errorf("%s has no tensor %q nor %q: not a BERT checkpoint",
			path, hfPrefix+"embeddings.word_embeddings.weight", "embeddings.word_embeddings.weight")
	}

	used := map[string]bool{}
	values = map[string][]float32{}
	for _, s := range weightSpecs(c) {
		name := prefix + s.hf
		info, ok := sf.Info(name)
		if !ok {
			if legacy := legacyName(s.hf); legacy != "" {
				name = prefix + legacy
				info, ok = sf.Info(name)
			}
		}
		if !ok {
			if s.optional {
				missing = append(missing, s.path)
				continue
			}
			return nil, nil, fmt.Errorf("%s has no tensor %q (for a BERT with %d layers, as %s says)",
				path, prefix+s.hf, c.NumHiddenLayers, ConfigFile)
		}
		used[name] = true
		if want := s.hfShape(); !slices.Equal(info.Shape, want) {
			return nil, nil, fmt.Errorf("%s: tensor %q has shape %v, but %s implies %v",
				path, name, info.Shape, ConfigFile, want)
		}
		data, err := sf.Float32(name)
		if err != nil {
			return nil, nil, err
		}
		if s.transpose {
			data = transpose(data, info.Shape[0], info.Shape[1])
		}
		values[s.path] = data
	}
	for _, info := range sf.Tensors() {
		rest, ok := strings.CutPrefix(info.Name, prefix)
		if !ok || used[info.Name] || rest == "embeddings.position_ids" {
			continue
		}
		for _, part := range []string{"embeddings.", "encoder.", "pooler."} {
			if strings.HasPrefix(rest, part) {
				return nil, nil, fmt.Errorf("%s: unexpected tensor %q %v (does %s's num_hidden_layers=%d match the checkpoint?)",
					path, info.Name, info.Shape, ConfigFile, c.NumHiddenLayers)
			}
		}
	}
	return values, missing, nil
}

// transpose returns the [cols, rows] transpose of the row-major [rows, cols] matrix m.
func transpose(m []float32, rows, cols int) []float32 {
	t := make([]float32, len(m))
	for r := range rows {
		for c := range cols {
			t[c*rows+r] = m[r*cols+c]
		}
	}
	return t
}

// initValue returns New's initial value for the weight s: see initKind.
func initValue(s weightSpec, c Config, rng *rand.Rand) []float32 {
	v := make([]float32, numElements(s.shape))
	switch s.init {
	case initNormal, initEmbedding:
		for i := range v {
			v[i] = float32(rng.NormFloat64() * c.InitializerRange)
		}
		if s.init == initEmbedding {
			row := s.shape[1]
			clear(v[c.PadTokenID*row : (c.PadTokenID+1)*row])
		}
	case initOnes:
		for i := range v {
			v[i] = 1
		}
	}
	return v
}
