package bert

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/wordpiece"
)

// Model is a BERT encoder: its WordPiece tokenizer and its weights, held as trainable variables
// of a GoMLX Store. It implements encoder.Encoder; run it with an encoder.Runner, or add it to
// a graph with Build.
type Model struct {
	cfg       Config
	name      string
	tokenizer *wordpiece.Tokenizer
	vocab     []byte // The vocab.txt content, written by Save.
	store     *model.Store
	layers    []encoder.Layer
	// pretrainedPooler is false when the checkpoint had no pooler weights (see Load).
	pretrainedPooler bool
}

var (
	_ encoder.PairTokenizer = (*Model)(nil)
	_ encoder.UnknownToken  = (*Model)(nil)
)

// Load reads a HuggingFace BERT checkpoint directory, as downloaded from the Hub (e.g.
// bert-base-uncased or google/bert_uncased_L-2_H-128_A-2) or written by Save:
//
//   - config.json: the architecture (see ReadConfig);
//   - model.safetensors: the weights, in F32, F16 or BF16 (converted to float32), named as
//     BertModel or the BertFor* task models save them ("embeddings.word_embeddings.weight" or
//     "bert.embeddings.word_embeddings.weight", ...); task heads (cls.*, classifier.*) are
//     ignored. Checkpoints only in pytorch_model.bin must be converted to safetensors first;
//   - vocab.txt, or else tokenizer.json (its WordPiece vocabulary);
//   - tokenizer_config.json, optional: do_lower_case=false marks a cased vocabulary (otherwise
//     tokenizer.json's normalizer decides, and without either the vocabulary is taken as uncased);
//     a model_max_length below max_position_embeddings sets Config.MaxTokens.
//
// A checkpoint with a masked-language-model head (cls.predictions.*, as BertForMaskedLM and
// BertForPreTraining save it) gets it too: see HasMLMHead and MLMLogits.
//
// A checkpoint without pooler weights (BertForMaskedLM and BertForTokenClassification saves)
// gets a freshly initialised pooler (as New, seed 0): PretrainedPooler reports it, and the
// native pooling is then untrained; pool with encoder.PoolCLS or PoolMean instead.
//
// Any missing or mis-shaped weight is an error naming the file and tensor; nothing is returned
// partially loaded.
func Load(dir string) (*Model, error) {
	cfg, err := ReadConfig(filepath.Join(dir, ConfigFile))
	if err != nil {
		return nil, fmt.Errorf("loading BERT from %s: %w", dir, err)
	}
	vocab, vocabPath, cased, err := readVocab(dir)
	if err != nil {
		return nil, fmt.Errorf("loading BERT from %s: %w", dir, err)
	}
	cfg.Cased = cased
	cfg.MaxTokens = modelMaxLength(dir, cfg.MaxPositionEmbeddings)
	values, missing, err := readWeights(filepath.Join(dir, WeightsFile), cfg)
	if err != nil {
		return nil, fmt.Errorf("loading BERT from %s: %w", dir, err)
	}
	name := dir
	if abs, err := filepath.Abs(dir); err == nil {
		name = abs
	}
	m, err := newModel(cfg, vocab, vocabPath, "bert:"+name, func(s weightSpec) []float32 { return values[s.path] }, 0)
	if err != nil {
		return nil, fmt.Errorf("loading BERT from %s: %w", dir, err)
	}
	m.pretrainedPooler = len(missing) == 0
	if err := m.loadMLMHead(filepath.Join(dir, WeightsFile)); err != nil {
		return nil, fmt.Errorf("loading BERT from %s: %w", dir, err)
	}
	return m, nil
}

// New returns a randomly initialised BERT with the given architecture and the vocabulary
// vocab.txt at vocabPath (cased if cfg.Cased), initialised as HuggingFace does: weights and
// embeddings normal with standard deviation cfg.InitializerRange (0.02 when zero), the
// PadTokenID embedding row, biases and LayerNorm offsets zero, LayerNorm scales one. The same
// seed gives the same weights. The vocabulary must fit in cfg.VocabSize.
//
// Its Name is "bert-random:L{layers}-H{hidden}-A{heads}-seed{seed}".
func New(cfg Config, vocabPath string, seed int64) (*Model, error) {
	if cfg.InitializerRange == 0 {
		cfg.InitializerRange = 0.02
	}
	vocab, err := os.ReadFile(vocabPath)
	if err != nil {
		return nil, fmt.Errorf("creating a random BERT: reading the vocabulary: %w", err)
	}
	name := fmt.Sprintf("bert-random:L%d-H%d-A%d-seed%d", cfg.NumHiddenLayers, cfg.HiddenSize, cfg.NumAttentionHeads, seed)
	m, err := newModel(cfg, vocab, vocabPath, name, func(weightSpec) []float32 { return nil }, seed)
	if err != nil {
		return nil, fmt.Errorf("creating a random BERT: %w", err)
	}
	m.pretrainedPooler = false
	return m, nil
}

// newModel validates cfg, builds the tokenizer from the vocab.txt content (read from vocabPath
// when not "") and creates the variables with the values given by value (nil: New's
// initialisation with seed).
func newModel(cfg Config, vocab []byte, vocabPath, name string, value func(weightSpec) []float32, seed int64) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	tok, err := tokenizerFromVocab(vocab, vocabPath, !cfg.Cased)
	if err != nil {
		return nil, err
	}
	if tok.VocabSize() > cfg.VocabSize {
		return nil, fmt.Errorf("the vocabulary has %d tokens but %s's vocab_size is %d", tok.VocabSize(), ConfigFile, cfg.VocabSize)
	}
	m := &Model{cfg: cfg, name: name, tokenizer: tok, vocab: vocab, store: model.NewStore(), pretrainedPooler: true}
	rng := rand.New(rand.NewPCG(uint64(seed), 0x5eed_be47))
	byLayer := map[string][]*model.Variable{}
	for _, s := range weightSpecs(cfg) {
		data := value(s)
		if data == nil {
			data = initValue(s, cfg, rng)
		}
		v, err := m.store.CreateVariable(s.path, tensors.FromFlatDataAndDimensions(data, s.shape...))
		if err != nil {
			return nil, err
		}
		byLayer[s.layer] = append(byLayer[s.layer], v)
	}
	for _, name := range layerNames(cfg) {
		m.layers = append(m.layers, encoder.Layer{Name: name, Variables: byLayer[name]})
	}
	return m, nil
}

// layerNames lists the layer scopes: "embeddings", "layer_0".."layer_{n-1}", "pooler".
func layerNames(cfg Config) []string {
	names := []string{LayerEmbeddings}
	for i := range cfg.NumHiddenLayers {
		names = append(names, LayerName(i))
	}
	return append(names, LayerPooler)
}

// Name identifies the model: "bert:" and the absolute checkpoint directory for Load,
// "bert-random:..." for New.
func (m *Model) Name() string { return m.name }

// Config returns the model's architecture.
func (m *Model) Config() Config { return m.cfg }

// Dim is the width of the token states and pooled vectors (hidden_size).
func (m *Model) Dim() int { return m.cfg.HiddenSize }

// MaxTokens is the most tokens per text, [CLS] and [SEP] included: Config.MaxTokens, or
// max_position_embeddings (512) when unset.
func (m *Model) MaxTokens() int { return m.cfg.maxTokens() }

// VocabSize is the number of rows of the word-embedding table: token ids are in [0, VocabSize).
func (m *Model) VocabSize() int { return m.cfg.VocabSize }

// Tokenizer returns the model's WordPiece tokenizer.
func (m *Model) Tokenizer() *wordpiece.Tokenizer { return m.tokenizer }

// Store holds the model's variables, under the scopes of Layers.
func (m *Model) Store() *model.Store { return m.store }

// PretrainedPooler reports whether the pooler's weights came from the checkpoint (false for New,
// and for checkpoints without pooler weights: see Load).
func (m *Model) PretrainedPooler() bool { return m.pretrainedPooler }

// Layers lists the layer scopes, from input to output: "embeddings" (word, position and
// token-type embeddings, LayerNorm), "layer_0".."layer_{n-1}" and "pooler", with their
// variables. Variable paths are "/embeddings/word_embeddings", "/layer_0/attention/query/weights"
// (dense weights are [in, out], the transpose of PyTorch's), ".../layer_norm/scale" and
// ".../layer_norm/offset", "/pooler/weights", ...
func (m *Model) Layers() []encoder.Layer {
	out := make([]encoder.Layer, len(m.layers))
	for i, l := range m.layers {
		out[i] = encoder.Layer{Name: l.Name, Variables: append([]*model.Variable(nil), l.Variables...)}
	}
	return out
}

// Build adds the encoder to a graph: see Encoder. scope must be the root scope of Store(), or
// a scope of a store holding the same variables under the same names.
func (m *Model) Build(scope *model.Scope, ids, mask *graph.Node) (states, pooled *graph.Node) {
	sep, ok := m.tokenizer.TokenToID(wordpiece.SepToken)
	if !ok || m.cfg.TypeVocabSize < 2 {
		return Encoder(scope, m.cfg, ids, mask)
	}
	// Segments from the [SEP] positions: a sentence pair (TokenizePairs) gets types 0 and 1; a
	// single text is type 0 throughout, as with Encoder.
	return EncoderSegments(scope, m.cfg, ids, mask, SegmentsFromSep(ids, mask, sep))
}

// TokenizePairs returns the token ids of each sentence pair (a[i], b[i]) as BERT reads one:
// [CLS] a [SEP] b [SEP], at most maxTokens long (0, or more than MaxTokens: MaxTokens), cut
// like HuggingFace's "longest_first" truncation (a token from the end of the longer text at a
// time, of a on ties). Build gives the tokens up to the first [SEP] type 0 and the rest type 1.
// A pair with an empty text is an error wrapping encoder.ErrEmptyText.
func (m *Model) TokenizePairs(a, b []string, maxTokens int) ([][]int32, error) {
	if len(a) != len(b) {
		return nil, fmt.Errorf("bert: %d first and %d second texts", len(a), len(b))
	}
	if maxTokens <= 0 || maxTokens > m.MaxTokens() {
		maxTokens = m.MaxTokens()
	}
	if maxTokens < 5 {
		return nil, fmt.Errorf("bert: %d tokens leave no room for a pair ([CLS] a [SEP] b [SEP] needs 5)", maxTokens)
	}
	cls, okC := m.tokenizer.TokenToID(wordpiece.ClsToken)
	sep, okS := m.tokenizer.TokenToID(wordpiece.SepToken)
	if !okC || !okS {
		return nil, fmt.Errorf("bert: the vocabulary %s lacks %s or %s", m.tokenizer.VocabPath(), wordpiece.ClsToken, wordpiece.SepToken)
	}
	out := make([][]int32, len(a))
	for i := range a {
		ea, err := m.tokenizer.Encode(a[i])
		if err != nil {
			return nil, fmt.Errorf("bert: pair %d, first text: %w", i, err)
		}
		eb, err := m.tokenizer.Encode(b[i])
		if err != nil {
			return nil, fmt.Errorf("bert: pair %d, second text: %w", i, err)
		}
		if ea.Len() == 0 || eb.Len() == 0 {
			return nil, fmt.Errorf("bert: pair %d: %w", i, encoder.ErrEmptyText)
		}
		na, nb := ea.Len(), eb.Len()
		for na+nb+3 > maxTokens {
			if na >= nb {
				na--
			} else {
				nb--
			}
		}
		row := make([]int32, 0, na+nb+3)
		row = append(row, int32(cls))
		for _, id := range ea.IDs[:na] {
			row = append(row, int32(id))
		}
		row = append(row, int32(sep))
		for _, id := range eb.IDs[:nb] {
			row = append(row, int32(id))
		}
		out[i] = append(row, int32(sep))
	}
	return out, nil
}

// Tokenize returns the token ids of each text as the model sees them: [CLS], the wordpieces
// and [SEP], clipped to MaxTokens (the final [SEP] kept). A text without wordpieces (empty or
// blank) is an error wrapping encoder.ErrEmptyText.
func (m *Model) Tokenize(texts []string) ([][]int32, error) {
	out := make([][]int32, len(texts))
	for i, text := range texts {
		enc, err := m.tokenizer.EncodeWith(text, wordpiece.EncodeOptions{AddSpecial: true, MaxLen: m.MaxTokens()})
		if err != nil {
			return nil, fmt.Errorf("bert: text %d: %w", i, err)
		}
		if enc.Len() <= 2 {
			return nil, fmt.Errorf("bert: text %d: %w", i, encoder.ErrEmptyText)
		}
		row := make([]int32, enc.Len())
		for j, id := range enc.IDs {
			row[j] = int32(id)
		}
		out[i] = row
	}
	return out, nil
}

// UnknownID is the id of the vocabulary's [UNK] token, for encoder.CharacterCoverage (-1 when
// the vocabulary has none).
func (m *Model) UnknownID() int32 {
	id, ok := m.tokenizer.TokenToID(wordpiece.UnkToken)
	if !ok {
		return -1
	}
	return int32(id)
}
