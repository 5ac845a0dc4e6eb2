package distill

import (
	"fmt"
	"os"

	"github.com/nlp-transfer/gotl/tlkit/bert"
	"github.com/nlp-transfer/gotl/tlkit/wordpiece"
)

// StudentOptions shape a new student (NewStudent): a BERT from random weights over the
// characters of the target-language text.
type StudentOptions struct {
	// MinCount keeps the characters seen at least this often in the text (the rest read as
	// [UNK]; wordpiece.CharacterVocab).
	MinCount int
	// Layers, Heads and Intermediate are the transformer's depth, attention heads (they must
	// divide the width) and feed-forward width; SeqLen its longest input in tokens ([CLS] and
	// [SEP] included).
	Layers, Heads, Intermediate, SeqLen int
	// Seed draws the initial weights.
	Seed int64
}

// DefaultStudentOptions returns the defaults: characters seen at least twice, 2 layers of 8
// heads, feed-forward width 1024, 64 tokens, seed 1.
func DefaultStudentOptions() StudentOptions {
	return StudentOptions{MinCount: 2, Layers: 2, Heads: 8, Intermediate: 1024, SeqLen: 64, Seed: 1}
}

// NewStudent returns a student from random weights, width wide (the teacher's Dim, which Run
// requires), with a character vocabulary built from texts (the target sentences) with
// opts.MinCount. The vocabulary lives in the model (Save writes it as vocab.txt); the
// temporary file it was read from is removed, so the tokenizer's VocabPath names no file.
func NewStudent(texts []string, width int, opts StudentOptions) (*bert.Model, error) {
	tokens, err := wordpiece.CharacterVocab(texts, opts.MinCount, true)
	if err != nil {
		return nil, fmt.Errorf("distill: the student's vocabulary: %w", err)
	}
	f, err := os.CreateTemp("", "distill-vocab-*.txt")
	if err != nil {
		return nil, fmt.Errorf("distill: the student's vocabulary: %w", err)
	}
	f.Close()
	defer os.Remove(f.Name()) // the model keeps the vocabulary in memory, and Save writes its own copy
	if err := wordpiece.WriteVocab(f.Name(), tokens); err != nil {
		return nil, fmt.Errorf("distill: the student's vocabulary: %w", err)
	}
	cfg := bert.BaseConfig()
	cfg.VocabSize, cfg.HiddenSize, cfg.NumHiddenLayers, cfg.NumAttentionHeads = len(tokens), width, opts.Layers, opts.Heads
	cfg.IntermediateSize, cfg.MaxPositionEmbeddings = opts.Intermediate, opts.SeqLen
	m, err := bert.New(cfg, f.Name(), opts.Seed)
	if err != nil {
		return nil, fmt.Errorf("distill: a new student: %w", err)
	}
	return m, nil
}
