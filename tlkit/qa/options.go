package qa

import (
	"github.com/nlp-transfer/gotl/tlkit/metrics"
	"github.com/nlp-transfer/gotl/tlkit/train"
)

// Head names a span head; see LinearHead and BilinearHead.
type Head int

const (
	// LinearHead is BERT's span head: one dense layer from each token state to a start and an
	// end logit (Devlin et al. 2019). The question reaches a token's state only through the
	// encoder's attention.
	LinearHead Head = iota
	// BilinearHead adds to LinearHead's logits a bilinear match of each token state h_t with
	// q_t, an attention average of the window's question token states (scores h_t·A·h_j, as
	// BiDAF's context-to-query attention, Seo et al. 2017): h_t·W_start·q_t and h_t·W_end·q_t,
	// as the Attentive Reader's bilinear span scores (Chen et al. 2016); both products are
	// scaled by 1/√dim. A and W start at zero, so training starts from LinearHead, with q_t
	// the question's mean state.
	BilinearHead
)

// String returns "linear" or "bilinear".
func (h Head) String() string {
	if h == BilinearHead {
		return "bilinear"
	}
	return "linear"
}

// Options configures Run. Start from DefaultOptions.
type Options struct {
	// Windows cuts question + context into the encoder's inputs.
	Windows WindowOptions
	// Head is the span head.
	Head Head
	// NegativeWindows is the fraction of training windows without the answer that are kept
	// (chosen with Seed), each labelled at its first token, "not in this window" (1: all of
	// them, as HuggingFace's run_qa.py; 0: none). Long contexts make most windows negative:
	// fewer of them buy more epochs on the answers for the same compute.
	NegativeWindows float64
	// MaxAnswer is the most tokens of a predicted answer (HuggingFace's max_answer_length).
	MaxAnswer int
	// Rules normalise answers for the dev and test scores (metrics.SQuADRules for English,
	// metrics.ChineseRules for Chinese).
	Rules metrics.AnswerRules
	// Dropout is the rate on the token states the span head reads.
	Dropout float64
	// LearningRate is the peak rate; Warmup the fraction of steps warming up to it, after which
	// it decays linearly to 0; WeightDecay AdamW's decoupled decay; ClipNorm the gradients'
	// global-norm bound (0: none).
	LearningRate, Warmup, WeightDecay, ClipNorm float64
	// HeadLearningRate is the span head's peak rate (0: LearningRate): a new head starts far
	// from its optimum, the pretrained encoder close to it.
	HeadLearningRate float64
	// Epochs, BatchSize (windows a step) and MaxSteps (0: no cap) size the run. MinSteps
	// (0: none) raises Epochs on small training sets so that the run lasts at least that
	// many steps.
	Epochs, BatchSize, MaxSteps, MinSteps int
	// EvalEvery evaluates dev F1 every this many steps (0: at each epoch's end); Patience
	// stops after this many evaluations without a better one (0: never). The weights of the
	// best evaluation are kept.
	EvalEvery, Patience int
	// Seed fixes the head's initial weights, the data order and the dropout.
	Seed uint64
	// CheckpointDir holds the best and last checkpoints ("": under
	// data.DefaultStore().CacheDir/qa/, in a folder named by a hash of the encoder, the data
	// and these options); NoCheckpoint keeps the best weights in memory only.
	CheckpointDir string
	NoCheckpoint  bool
	// Resume continues an interrupted run from its last checkpoint, and restores a finished
	// one without training.
	Resume bool
	// Progress shows the training (nil: train.AutoProgress(); train.NoProgress() for none).
	Progress train.Progress
}

// DefaultOptions returns the recipe of notebook 07: windows of the encoder's length with 32
// tokens of overlap, the bilinear head, a quarter of the negative windows, answers of at most
// 30 tokens, SQuAD's answer rules, dropout 0.1, AdamW at 3e-4 (head included) with 10%
// warmup and linear decay, weight decay 0.01, gradients clipped at norm 1, 3 epochs of 16
// windows and at least 100 steps, dev F1 every 25 steps, seed 1, checkpoints with resume.
func DefaultOptions() Options {
	return Options{Windows: DefaultWindowOptions(), Head: BilinearHead, NegativeWindows: 0.25, MaxAnswer: 30,
		Rules: metrics.SQuADRules, Dropout: 0.1, LearningRate: 3e-4, Warmup: 0.1, WeightDecay: 0.01, ClipNorm: 1,
		Epochs: 3, BatchSize: 16, MinSteps: 100, EvalEvery: 25, Seed: 1, Resume: true}
}
