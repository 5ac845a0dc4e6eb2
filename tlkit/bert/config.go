package bert

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
)

// Files of a HuggingFace BERT checkpoint directory.
const (
	ConfigFile          = "config.json"
	WeightsFile         = "model.safetensors"
	VocabFile           = "vocab.txt"
	TokenizerFile       = "tokenizer.json"
	TokenizerConfigFile = "tokenizer_config.json"
)

// Supported values of Config.HiddenAct, as HuggingFace spells them.
const (
	ActGelu     = "gelu"              // Exact GELU, x·Φ(x) with erf: BERT's own activation.
	ActGeluNew  = "gelu_new"          // Tanh approximation of GELU.
	ActGeluTanh = "gelu_pytorch_tanh" // Tanh approximation of GELU (same function as gelu_new).
	ActRelu     = "relu"
)

// Config is a BERT architecture, as HuggingFace's BertConfig writes it in config.json (the JSON
// names are in the field tags), plus two settings that are not in config.json: Cased and
// MaxTokens.
type Config struct {
	VocabSize             int    `json:"vocab_size"`              // Rows of the word-embedding table (30522 for bert-base-uncased).
	HiddenSize            int    `json:"hidden_size"`             // Width of the token states (768).
	NumHiddenLayers       int    `json:"num_hidden_layers"`       // Transformer layers (12).
	NumAttentionHeads     int    `json:"num_attention_heads"`     // Heads per attention layer; must divide HiddenSize (12).
	IntermediateSize      int    `json:"intermediate_size"`       // Width of the feed-forward hidden layer (3072).
	HiddenAct             string `json:"hidden_act"`              // Feed-forward activation: ActGelu (default), ActGeluNew, ActGeluTanh or ActRelu.
	MaxPositionEmbeddings int    `json:"max_position_embeddings"` // Rows of the position-embedding table: the longest input (512).
	TypeVocabSize         int    `json:"type_vocab_size"`         // Rows of the token-type (segment) embedding table (2).
	// LayerNormEps is added to the variance in every layer normalisation (default 1e-12).
	LayerNormEps float64 `json:"layer_norm_eps"`
	// HiddenDropoutProb and AttentionProbsDropoutProb are the training dropout rates (default
	// 0.1). They are kept and saved, but the forward pass has no dropout yet (inference only).
	HiddenDropoutProb         float64 `json:"hidden_dropout_prob"`
	AttentionProbsDropoutProb float64 `json:"attention_probs_dropout_prob"`
	PadTokenID                int     `json:"pad_token_id"`      // Id of [PAD] (default 0): its embedding row starts at zero in New.
	InitializerRange          float64 `json:"initializer_range"` // Standard deviation of New's normal initialisation (default 0.02).

	// Cased is true for cased vocabularies, whose tokenizer keeps case and accents
	// (do_lower_case=false in tokenizer_config.json). The zero value, uncased, is the
	// HuggingFace default.
	Cased bool `json:"-"`
	// MaxTokens, when positive, caps the tokens per text below MaxPositionEmbeddings (e.g. 128 for
	// speed). Zero means MaxPositionEmbeddings.
	MaxTokens int `json:"-"`
}

// BaseConfig returns the bert-base-uncased architecture: 12 layers, 768 wide, 12 heads, the
// 30522-token uncased vocabulary. Change the sizes for a smaller random model for New, e.g.
// NumHiddenLayers=2, HiddenSize=128, NumAttentionHeads=2, IntermediateSize=512 (the shape of
// google/bert_uncased_L-2_H-128_A-2).
func BaseConfig() Config {
	return Config{
		VocabSize:                 30522,
		HiddenSize:                768,
		NumHiddenLayers:           12,
		NumAttentionHeads:         12,
		IntermediateSize:          3072,
		HiddenAct:                 ActGelu,
		MaxPositionEmbeddings:     512,
		TypeVocabSize:             2,
		LayerNormEps:              1e-12,
		HiddenDropoutProb:         0.1,
		AttentionProbsDropoutProb: 0.1,
		PadTokenID:                0,
		InitializerRange:          0.02,
	}
}

// requiredFields are the config.json fields that have no default: they fix the weight shapes.
var requiredFields = []string{
	"vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size",
	"max_position_embeddings", "type_vocab_size",
}

// ReadConfig reads a HuggingFace BERT config.json. The fields fixing the weight shapes
// (vocab_size, hidden_size, num_hidden_layers, num_attention_heads, intermediate_size,
// max_position_embeddings, type_vocab_size) are required; the others default to BertConfig's
// defaults (BaseConfig's values). Cased and MaxTokens are left zero: Load reads the casing from
// the tokenizer files.
func ReadConfig(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("reading BERT config: %w", err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return Config{}, fmt.Errorf("reading BERT config %s: not a JSON object: %w", path, err)
	}
	if mt, ok := raw["model_type"]; ok {
		var modelType string
		if err := json.Unmarshal(mt, &modelType); err != nil || modelType != "bert" {
			return Config{}, fmt.Errorf("reading BERT config %s: model_type is %s, want \"bert\"", path, mt)
		}
	}
	if pt, ok := raw["position_embedding_type"]; ok {
		var posType string
		if err := json.Unmarshal(pt, &posType); err != nil || posType != "absolute" {
			return Config{}, fmt.Errorf("reading BERT config %s: position_embedding_type is %s; only \"absolute\" is supported", path, pt)
		}
	}
	var missing []string
	for _, f := range requiredFields {
		if v, ok := raw[f]; !ok || string(v) == "null" {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		return Config{}, fmt.Errorf("reading BERT config %s: missing required field(s) %s", path, strings.Join(missing, ", "))
	}
	cfg := BaseConfig()
	if err := json.Unmarshal(data, &cfg); err != nil {
		return Config{}, fmt.Errorf("reading BERT config %s: %w", path, err)
	}
	if err := cfg.Validate(); err != nil {
		return Config{}, fmt.Errorf("reading BERT config %s: %w", path, err)
	}
	return cfg, nil
}

// Validate checks that the sizes are positive and consistent and the activation supported.
func (c Config) Validate() error {
	var errs []error
	for _, f := range []struct {
		name  string
		value int
	}{
		{"vocab_size", c.VocabSize}, {"hidden_size", c.HiddenSize}, {"num_hidden_layers", c.NumHiddenLayers},
		{"num_attention_heads", c.NumAttentionHeads}, {"intermediate_size", c.IntermediateSize},
		{"max_position_embeddings", c.MaxPositionEmbeddings}, {"type_vocab_size", c.TypeVocabSize},
	} {
		if f.value <= 0 {
			errs = append(errs, fmt.Errorf("%s is %d, want > 0", f.name, f.value))
		}
	}
	if c.NumAttentionHeads > 0 && c.HiddenSize%c.NumAttentionHeads != 0 {
		errs = append(errs, fmt.Errorf("hidden_size %d is not a multiple of num_attention_heads %d", c.HiddenSize, c.NumAttentionHeads))
	}
	switch c.HiddenAct {
	case ActGelu, ActGeluNew, ActGeluTanh, ActRelu:
	default:
		errs = append(errs, fmt.Errorf("hidden_act %q is not supported (want %q, %q, %q or %q)",
			c.HiddenAct, ActGelu, ActGeluNew, ActGeluTanh, ActRelu))
	}
	if c.LayerNormEps <= 0 {
		errs = append(errs, fmt.Errorf("layer_norm_eps is %g, want > 0", c.LayerNormEps))
	}
	if c.PadTokenID < 0 || (c.VocabSize > 0 && c.PadTokenID >= c.VocabSize) {
		errs = append(errs, fmt.Errorf("pad_token_id %d is outside the vocabulary [0, %d)", c.PadTokenID, c.VocabSize))
	}
	if c.MaxTokens < 0 || c.MaxTokens > c.MaxPositionEmbeddings {
		errs = append(errs, fmt.Errorf("MaxTokens %d is outside [0, max_position_embeddings=%d]", c.MaxTokens, c.MaxPositionEmbeddings))
	} else if c.MaxTokens == 1 {
		errs = append(errs, errors.New("MaxTokens 1 leaves no room for [CLS] and [SEP]"))
	}
	return errors.Join(errs...)
}

// maxTokens returns the most tokens per text: MaxTokens, or MaxPositionEmbeddings when unset.
func (c Config) maxTokens() int {
	if c.MaxTokens > 0 {
		return c.MaxTokens
	}
	return c.MaxPositionEmbeddings
}

// configJSON is config.json as Save writes it: Config's fields plus what HuggingFace's
// AutoConfig and AutoModel need to recognise a BERT checkpoint.
func configJSON(c Config) ([]byte, error) {
	base, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	var fields map[string]any
	if err := json.Unmarshal(base, &fields); err != nil {
		return nil, err
	}
	fields["model_type"] = "bert"
	fields["architectures"] = []string{"BertModel"}
	fields["position_embedding_type"] = "absolute"
	return json.MarshalIndent(fields, "", "  ") // encoding/json sorts map keys.
}
