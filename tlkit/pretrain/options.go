package pretrain

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/bert"
	"github.com/nlp-transfer/gotl/tlkit/train"
)

// Options configures Pretrain. Start from DefaultOptions.
type Options struct {
	// Corpora names the training text, from Corpora (nil: all of them).
	Corpora []string
	// Documents, when set, are the training text instead of Corpora: one string a document,
	// lines of sentences or paragraphs (e.g. your own domain text).
	Documents []string `json:"-"`
	// MaxTokens, when positive, caps the wordpieces read, shared evenly among the corpora (the
	// first ones of each): for quick runs. 0 reads everything.
	MaxTokens int
	// Store reads the corpora (nil: data.DefaultStore()).
	Store *data.Store `json:"-"`
	// Vocab is the vocab.txt (uncased WordPiece) of the model ("": the bert-base-uncased
	// vocabulary, wordpiece.NewBertUncased).
	Vocab string
	// From, when set, is a HuggingFace BERT checkpoint folder (config.json, model.safetensors,
	// vocab.txt; e.g. an earlier run's Dir) to continue pretraining from instead of random
	// weights: continued, domain-adaptive pretraining (Gururangan et al. 2020) when the corpora
	// are new text. The architecture and the vocabulary are the checkpoint's: Layers, Hidden,
	// Heads, Intermediate and Vocab must be zero or agree with it, and SeqLen must fit its
	// position embeddings. A checkpoint without an MLM head gets a new one (random, seeded).
	// The optimizer, warmup and schedule start afresh.
	From string

	// Layers, Hidden, Heads and Intermediate are the architecture: transformer layers, width,
	// attention heads (dividing Hidden) and feed-forward width.
	Layers, Hidden, Heads, Intermediate int
	// InitRange is the standard deviation of the random initial weights (0: BERT's 0.02; see
	// bert.Config.InitializerRange). Ignored with From.
	InitRange float64
	// SeqLen is the tokens per training row, [CLS] and [SEP] included; it is also the model's
	// max_position_embeddings. The corpora are cut into rows of SeqLen−2 wordpieces.
	SeqLen int

	// BatchSize rows a step, Steps steps in all.
	BatchSize, Steps int
	// LearningRate is AdamW's peak rate, reached after Warmup (a fraction of Steps) and then
	// decayed linearly to 0; WeightDecay is AdamW's decoupled decay (not on biases and
	// LayerNorm); ClipNorm bounds the gradients' global norm (0: no clipping).
	LearningRate, Warmup, WeightDecay, ClipNorm float64
	// MaskProb is the fraction of tokens predicted (0.15), split 80/10/10 into [MASK], random
	// and kept tokens (see Masker).
	MaskProb float64

	// EvalRows rows are held out of training, masked once (with Seed), to measure the MLM loss
	// and perplexity every EvalEvery steps (0: at each checkpoint), before training and at the
	// end. The weights of the lowest held-out loss are kept.
	EvalRows, EvalEvery int
	// CheckpointEvery is the interval, in steps, of the resumable checkpoints.
	CheckpointEvery int
	// Seed fixes the initial weights, the data order and the masks.
	Seed uint64

	// Dir receives the HuggingFace checkpoint (config.json, model.safetensors with the MLM
	// head, vocab.txt, tokenizer_config.json) and history.json; the resumable training state
	// is kept in Dir/train while training ("": a folder under
	// data.DefaultStore().CacheDir/pretrain named by the options).
	Dir string
	// Resume continues an interrupted run from Dir/train, and returns a finished run of the
	// same options from Dir without training; false trains afresh.
	Resume bool
	// KeepTrainState keeps Dir/train (the last and best training checkpoints, with the
	// optimizer's moments: about 4 times the model) after a finished run; by default it is
	// removed once the HuggingFace checkpoint is written.
	KeepTrainState bool
	// Progress shows the training (nil: train.AutoProgress(); train.NoProgress() for none).
	Progress train.Progress `json:"-"`
}

// DefaultOptions returns the defaults, a mini-BERT sized for a 2-core CPU: 4 layers, 128
// wide, 2 heads, feed-forward 512 (the shape of google/bert_uncased_L-4_H-128_A-2, 4.8 million
// weights of which 3.9 million are the word embeddings), rows of 128 tokens, batches of 32,
// 2000 steps (8.2 million tokens, 2.3 passes over the corpora), peak learning rate 1e-3 with
// 6% warmup and linear decay, weight decay 0.01, gradients clipped at norm 1, 15% of the
// tokens masked, 256 held-out rows evaluated every 200 steps, checkpoints every 100 steps, seed 1,
// resume on, over all the corpora with the bert-base-uncased vocabulary.
func DefaultOptions() Options {
	return Options{Layers: 4, Hidden: 128, Heads: 2, Intermediate: 512, SeqLen: 128,
		BatchSize: 32, Steps: 2000, LearningRate: 1e-3, Warmup: 0.06, WeightDecay: 0.01, ClipNorm: 1,
		MaskProb: 0.15, EvalRows: 256, EvalEvery: 200, CheckpointEvery: 100, Seed: 1, Resume: true}
}

// check validates the options and fills the defaults of zero fields.
func (o *Options) check() error {
	if len(o.Documents) > 0 {
		o.Corpora = nil
	} else if len(o.Corpora) == 0 {
		o.Corpora = slices.Clone(Corpora)
	}
	known := slices.Concat(Corpora, DomainCorpora)
	for _, c := range o.Corpora {
		if !slices.Contains(known, c) {
			return fmt.Errorf("pretrain: unknown corpus %q; want some of %s", c, strings.Join(known, ", "))
		}
	}
	if o.MaskProb == 0 {
		o.MaskProb = 0.15
	}
	if o.CheckpointEvery <= 0 {
		o.CheckpointEvery = 50
	}
	o.CheckpointEvery = min(o.CheckpointEvery, max(o.Steps, 1))
	switch {
	case o.Layers < 1 || o.Hidden < 1 || o.Heads < 1 || o.Intermediate < 1:
		return fmt.Errorf("pretrain: layers %d, hidden %d, heads %d, intermediate %d: all must be positive", o.Layers, o.Hidden, o.Heads, o.Intermediate)
	case o.Hidden%o.Heads != 0:
		return fmt.Errorf("pretrain: hidden %d is not a multiple of heads %d", o.Hidden, o.Heads)
	case o.SeqLen < 8:
		return fmt.Errorf("pretrain: sequence length %d is too short (want at least 8)", o.SeqLen)
	case o.BatchSize < 1 || o.Steps < 1:
		return fmt.Errorf("pretrain: batch size %d and steps %d must be positive", o.BatchSize, o.Steps)
	case !(o.LearningRate > 0):
		return fmt.Errorf("pretrain: learning rate %g must be positive", o.LearningRate)
	case o.Warmup < 0 || o.Warmup >= 1:
		return fmt.Errorf("pretrain: warmup %g must be a fraction in [0, 1)", o.Warmup)
	case o.WeightDecay < 0 || o.ClipNorm < 0:
		return fmt.Errorf("pretrain: weight decay %g and clip norm %g must not be negative", o.WeightDecay, o.ClipNorm)
	case !(o.MaskProb > 0 && o.MaskProb < 1):
		return fmt.Errorf("pretrain: mask probability %g must be in (0, 1)", o.MaskProb)
	case o.InitRange < 0:
		return fmt.Errorf("pretrain: init range %g must not be negative", o.InitRange)
	case o.EvalRows < 0 || o.EvalEvery < 0 || o.MaxTokens < 0:
		return fmt.Errorf("pretrain: eval rows %d, eval every %d and max tokens %d must not be negative", o.EvalRows, o.EvalEvery, o.MaxTokens)
	}
	return nil
}

// bertConfig is the architecture of the options, over a vocabulary of vocabSize tokens.
func (o *Options) bertConfig(vocabSize int) bert.Config {
	cfg := bert.BaseConfig()
	cfg.VocabSize = vocabSize
	cfg.NumHiddenLayers, cfg.HiddenSize, cfg.NumAttentionHeads, cfg.IntermediateSize = o.Layers, o.Hidden, o.Heads, o.Intermediate
	cfg.MaxPositionEmbeddings = o.SeqLen
	if o.InitRange > 0 {
		cfg.InitializerRange = o.InitRange
	}
	return cfg
}

// key describes everything that changes the result of a run. vocabHash identifies the
// vocabulary (a hash of its vocab.txt); fromHash the starting checkpoint (a hash of its
// weights; "" for random weights).
func (o *Options) key(vocabHash, fromHash string) string {
	corpora := strings.Join(o.Corpora, ",")
	if len(o.Documents) > 0 {
		h := sha256.New()
		for _, d := range o.Documents {
			h.Write([]byte(d))
			h.Write([]byte{0})
		}
		corpora = fmt.Sprintf("documents:%x", h.Sum(nil)[:8])
	}
	from := ""
	if fromHash != "" {
		from = " from=" + fromHash
	}
	if o.InitRange > 0 && fromHash == "" {
		from += fmt.Sprintf(" init=%g", o.InitRange)
	}
	return fmt.Sprintf("corpora=%s maxtok=%d vocab=%s%s L=%d H=%d A=%d I=%d seq=%d batch=%d steps=%d lr=%g warmup=%g wd=%g clip=%g mask=%g evalrows=%d evalevery=%d ckpt=%d seed=%d",
		corpora, o.MaxTokens, vocabHash, from, o.Layers, o.Hidden, o.Heads, o.Intermediate, o.SeqLen,
		o.BatchSize, o.Steps, o.LearningRate, o.Warmup, o.WeightDecay, o.ClipNorm, o.MaskProb, o.EvalRows, o.EvalEvery,
		o.CheckpointEvery, o.Seed)
}

// defaultDir is the folder of a run under the cache: its shape, steps and a hash of its key.
func (o *Options) defaultDir(key string) string {
	sum := sha256.Sum256([]byte(key))
	name := fmt.Sprintf("L%d-H%d-A%d-S%d-%dsteps-%s", o.Layers, o.Hidden, o.Heads, o.SeqLen, o.Steps, hex.EncodeToString(sum[:5]))
	return filepath.Join(data.DefaultStore().CacheDir, "pretrain", name)
}
