package bert

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck // Graph-building code reads best with dot-imported ops, as in GoMLX's own layers.
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/support/exceptions"
	"github.com/nlp-transfer/gotl/tlkit/safetensors"
)

// LayerMLM is the Store scope of the masked-language-model head (see AddMLMHead). It is not
// one of Layers: the head is not part of the encoder, and fine-tuning ignores it.
const LayerMLM = "mlm"

// mlmPrefix starts the HuggingFace names of the MLM head weights (BertForMaskedLM and
// BertForPreTraining save them without the "bert." prefix).
const mlmPrefix = "cls.predictions."

// mlmSpecs lists the weights of the MLM head (HuggingFace's BertLMPredictionHead): the
// transform (dense, activation, LayerNorm) and the output bias. The decoder weight is tied to
// the word embeddings, as in HuggingFace (tie_word_embeddings): it has no variable of its own.
// The hf names are relative to mlmPrefix.
func mlmSpecs(c Config) []weightSpec {
	h := c.HiddenSize
	return []weightSpec{
		{"transform.dense.weight", LayerMLM, "/mlm/transform/weights", []int{h, h}, true, initNormal, false},
		{"transform.dense.bias", LayerMLM, "/mlm/transform/biases", []int{h}, false, initZeros, false},
		{"transform.LayerNorm.weight", LayerMLM, "/mlm/transform/layer_norm/scale", []int{h}, false, initOnes, false},
		{"transform.LayerNorm.bias", LayerMLM, "/mlm/transform/layer_norm/offset", []int{h}, false, initZeros, false},
		{"bias", LayerMLM, "/mlm/bias", []int{c.VocabSize}, false, initZeros, false},
	}
}

// HasMLMHead reports whether the model has a masked-language-model head: loaded from a
// checkpoint that has one (BertForMaskedLM, BertForPreTraining, or Save of a model with a
// head), or added by AddMLMHead.
func (m *Model) HasMLMHead() bool {
	return m.store.GetVariable(mlmSpecs(m.cfg)[0].path) != nil
}

// MLMVariables returns the variables of the MLM head (nil without one). With the encoder's
// variables (Layers) they are every weight MLMLogits uses.
func (m *Model) MLMVariables() []*model.Variable {
	var vars []*model.Variable
	for _, s := range mlmSpecs(m.cfg) {
		if v := m.store.GetVariable(s.path); v != nil {
			vars = append(vars, v)
		}
	}
	return vars
}

// AddMLMHead adds a freshly initialised masked-language-model head to the model, initialised
// as HuggingFace does (the dense weight normal with standard deviation InitializerRange,
// LayerNorm scale one, biases zero); the same seed gives the same head. Its decoder is the
// word-embedding table (tied weights). It is an error if the model already has a head.
func (m *Model) AddMLMHead(seed int64) error {
	if m.HasMLMHead() {
		return fmt.Errorf("bert: %s already has an MLM head", m.name)
	}
	cfg := m.cfg
	if cfg.InitializerRange == 0 {
		cfg.InitializerRange = 0.02
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0x6d6c6d))
	return m.createMLMVariables(func(s weightSpec) []float32 { return initValue(s, cfg, rng) })
}

// createMLMVariables creates the MLM head's variables with the values given by value.
func (m *Model) createMLMVariables(value func(weightSpec) []float32) error {
	for _, s := range mlmSpecs(m.cfg) {
		if _, err := m.store.CreateVariable(s.path, tensors.FromFlatDataAndDimensions(value(s), s.shape...)); err != nil {
			return fmt.Errorf("bert: creating the MLM head: %w", err)
		}
	}
	return nil
}

// loadMLMHead reads the MLM head from the safetensors file at path into the model, if the file
// has a complete one: every weight of mlmSpecs, with the shapes the config implies. A file
// without one, or with an incomplete or mis-shaped one, leaves the model without a head, as
// Load did before it read heads: the encoder is what Load is for. The decoder weight
// ("cls.predictions.decoder.weight"), tied to the word embeddings, is not read.
func (m *Model) loadMLMHead(path string) error {
	sf, err := safetensors.Open(path)
	if err != nil {
		return err
	}
	defer func() { _ = sf.Close() }()
	specs := mlmSpecs(m.cfg)
	if _, ok := sf.Info(mlmPrefix + specs[0].hf); !ok {
		return nil
	}
	values := map[string][]float32{}
	for _, s := range specs {
		name := mlmPrefix + s.hf
		info, ok := sf.Info(name)
		if !ok {
			if legacy := legacyName(s.hf); legacy != "" {
				name = mlmPrefix + legacy
				info, ok = sf.Info(name)
			}
		}
		if !ok || !slices.Equal(info.Shape, s.hfShape()) {
			return nil // Not a complete head of this model: ignored, as other task heads are.
		}
		data, err := sf.Float32(name)
		if err != nil {
			return err
		}
		if s.transpose {
			data = transpose(data, info.Shape[0], info.Shape[1])
		}
		values[s.path] = data
	}
	return m.createMLMVariables(func(s weightSpec) []float32 { return values[s.path] })
}

// mlmTensors returns the MLM head's weights as Save writes them, with their HuggingFace names
// ("cls.predictions.transform.dense.weight", ..., "cls.predictions.bias"); nil without a head.
// The tied decoder weight is left out, as HuggingFace's save_pretrained does.
func (m *Model) mlmTensors() ([]safetensors.Tensor, error) {
	if !m.HasMLMHead() {
		return nil, nil
	}
	return m.specTensors(mlmSpecs(m.cfg), mlmPrefix, " (an incomplete MLM head)")
}

// withMLMArchitecture rewrites config.json's architectures as ["BertForMaskedLM"] when the
// model has an MLM head.
func (m *Model) withMLMArchitecture(config []byte) ([]byte, error) {
	if !m.HasMLMHead() {
		return config, nil
	}
	var fields map[string]any
	if err := json.Unmarshal(config, &fields); err != nil {
		return nil, err
	}
	fields["architectures"] = []string{"BertForMaskedLM"}
	return json.MarshalIndent(fields, "", "  ")
}

// MLMLogits builds the masked-language-model head of HuggingFace's BertForMaskedLM on token
// states x [..., HiddenSize]: dense, activation (cfg.HiddenAct), LayerNorm, then the decoder
// tied to the word embeddings plus the output bias. It returns the logits [..., VocabSize].
//
// The decoder is the costly part (HiddenSize·VocabSize multiply-adds a token): in training,
// gather the states of the masked positions first (GatherPositions) and apply the head to
// them only. scope is the root scope of the model's Store, which must have the head
// (Model.AddMLMHead, or a checkpoint with one).
func MLMLogits(scope *model.Scope, cfg Config, x *Node) *Node {
	if x.Shape().Dim(-1) != cfg.HiddenSize {
		exceptions.Panicf("bert.MLMLogits: states %s, want a last axis of %d", x.Shape(), cfg.HiddenSize)
	}
	head := scope.In(LayerMLM)
	t := head.In("transform")
	x = activate(cfg.HiddenAct, dense(t, x))
	x = layerNorm(t.In("layer_norm"), cfg, x)
	g := x.Graph()
	words := variable(scope.Shared(LayerEmbeddings), "word_embeddings").NodeValue(g) // [vocab, hidden]: tied.
	bias := variable(head, "bias").NodeValue(g)                                      // [vocab]
	dims := x.Shape().Dimensions
	flat := Reshape(x, -1, cfg.HiddenSize)
	logits := Add(Einsum("nh,vh->nv", flat, words), InsertAxes(bias, 0))
	return Reshape(logits, append(slices.Clone(dims[:len(dims)-1]), cfg.VocabSize)...)
}

// GatherPositions returns the rows of states [batch, length, hidden] at the flat positions
// [n] (int32, each row·length + column): [n, hidden].
func GatherPositions(states, positions *Node) *Node {
	batch, length, hidden := states.Shape().Dim(0), states.Shape().Dim(1), states.Shape().Dim(2)
	flat := Reshape(states, batch*length, hidden)
	return Gather(flat, InsertAxes(ConvertDType(positions, dtypes.Int32), -1))
}

// MaskedLogits runs the encoder on ids and mask (see Encoder) and the MLM head on the states
// at positions [n] (int32 flat indices, row·length + column) only: the logits [n, VocabSize]
// of the masked tokens.
func MaskedLogits(scope *model.Scope, cfg Config, ids, mask, positions *Node) *Node {
	states, _ := Encoder(scope, cfg, ids, mask)
	return MLMLogits(scope, cfg, GatherPositions(states, Reshape(positions, positions.Shape().Size())))
}

// MLMLoss is the masked-language-model loss of a batch: the softmax cross-entropy of
// MaskedLogits against labels [n] (int32 token ids), weighted by weights [n] (float32: 1 for a
// real prediction, 0 for a padding slot), averaged over the weights (nats per prediction; exp
// of it is the perplexity).
func MLMLoss(scope *model.Scope, cfg Config, ids, mask, positions, labels, weights *Node) *Node {
	return CrossEntropy(MaskedLogits(scope, cfg, ids, mask, positions), labels, weights)
}

// minProb bounds the probability of the right token from below in CrossEntropy's value
// (−log 1e-30 ≈ 69 nats): a float32 softmax can round it to 0.
const minProb = 1e-30

// CrossEntropy returns the weighted mean softmax cross-entropy of logits [n, classes] against
// labels [n] (integer class ids), with weights [n] (float32): Σ wᵢ·(−log softmax(logitsᵢ)[labelᵢ])
// / max(Σ wᵢ, 1).
//
// It is built for large vocabularies on the pure-Go backend: the softmax is the backend's
// fused one (a fast float32 exp), computed once, and the gradient with respect to the logits,
// wᵢ·(softmax − one-hot)/Σw, is given in closed form (a surrogate term whose value is exactly
// zero) rather than differentiated through a log-softmax, which would call the slow float64
// exp on every logit again. The value is the log of the fused softmax's probability, bounded
// below by 1e-30.
func CrossEntropy(logits, labels, weights *Node) *Node {
	g := logits.Graph()
	n, classes := logits.Shape().Dim(0), logits.Shape().Dim(1)
	if logits.Rank() != 2 || !labels.Shape().Equal(shapes.Make(labels.DType(), n)) ||
		!weights.Shape().Equal(shapes.Make(dtypes.Float32, n)) {
		exceptions.Panicf("bert.CrossEntropy: logits %s, labels %s and weights %s: want [n, classes], [n] and float32 [n]",
			logits.Shape(), labels.Shape(), weights.Shape())
	}
	logits = ConvertDType(logits, dtypes.Float32)
	// Flat index of each row's label in the [n·classes] logits.
	index := Add(MulScalar(Iota(g, shapes.Make(dtypes.Int32, n), 0), classes), ConvertDType(labels, dtypes.Int32))
	index = InsertAxes(index, -1)
	probs := StopGradient(Softmax(logits, -1))
	w := StopGradient(Div(weights, Max(ReduceAllSum(weights), ScalarOne(g, dtypes.Float32))))

	pLabel := Gather(Reshape(probs, n*classes), index)
	value := Neg(ReduceAllSum(Mul(w, Log(Max(pLabel, Scalar(g, dtypes.Float32, minProb))))))
	// d/dlogits of the surrogate: wᵢ·probsᵢ − wᵢ·onehot(labelᵢ).
	surrogate := Sub(ReduceAllSum(Mul(ReduceSum(Mul(probs, logits), -1), w)),
		ReduceAllSum(Mul(Gather(Reshape(logits, n*classes), index), w)))
	return Add(StopGradient(value), Sub(surrogate, StopGradient(surrogate)))
}

// MLMCorrect counts the weighted top-1 hits of logits [n, classes] against labels [n]:
// Σ wᵢ·[argmax logitsᵢ = labelᵢ] (a float32 scalar, no gradient).
func MLMCorrect(logits, labels, weights *Node) *Node {
	hit := ConvertDType(Equal(ArgMax(logits, -1, dtypes.Int32), ConvertDType(labels, dtypes.Int32)), dtypes.Float32)
	return StopGradient(ReduceAllSum(Mul(hit, weights)))
}
