package qa

import (
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
)

// Span is a [Start, End) byte span of a text.
type Span struct{ Start, End int }

// SplitWords splits text into words with their byte spans: runs of characters between white
// space, with each punctuation or symbol character and each CJK character a word of its own
// (as BERT's basic tokenizer splits), so that an answer ending before a comma, or a Chinese
// answer of a few characters, is a whole number of words.
func SplitWords(text string) []Span {
	var out []Span
	start := -1
	for i, r := range text {
		alone := unicode.IsPunct(r) || unicode.IsSymbol(r) || isCJK(r)
		if unicode.IsSpace(r) || alone {
			if start >= 0 {
				out = append(out, Span{start, i})
				start = -1
			}
			if alone {
				out = append(out, Span{i, i + utf8.RuneLen(r)})
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		out = append(out, Span{start, len(text)})
	}
	return out
}

// isCJK reports whether r is a CJK ideograph (the blocks BERT's tokenizer splits apart).
func isCJK(r rune) bool {
	return (r >= 0x4e00 && r <= 0x9fff) || (r >= 0x3400 && r <= 0x4dbf) || (r >= 0x20000 && r <= 0x2a6df) ||
		(r >= 0x2a700 && r <= 0x2ceaf) || (r >= 0xf900 && r <= 0xfaff) || (r >= 0x2f800 && r <= 0x2fa1f)
}

// WindowOptions configures Windows.
type WindowOptions struct {
	// MaxLen is the most tokens of a window, special tokens included (0: the tokenizer's
	// MaxTokens).
	MaxLen int
	// Stride is how many context pieces two consecutive windows share (HuggingFace's
	// doc_stride is the step, here the overlap: 0 means none).
	Stride int
	// MaxQuestion is the most question pieces kept (the first ones).
	MaxQuestion int
}

// DefaultWindowOptions returns windows of the tokenizer's length, 32 pieces of overlap and
// questions of at most 32 pieces.
func DefaultWindowOptions() WindowOptions { return WindowOptions{Stride: 32, MaxQuestion: 32} }

// Window is one window of an example: the tokens the encoder reads and where the context is.
type Window struct {
	// IDs are the tokens: the encoder's prefix, the question's pieces, the encoder's suffix (as
	// a separator), context pieces, the suffix again.
	IDs []int32
	// ContextStart is the index in IDs of the first context piece; Words[i] is the context
	// word (an index into the example's SplitWords) of IDs[ContextStart+i], and Spans[i] that
	// word's byte span in the context.
	ContextStart int
	Words        []int
	Spans        []Span
	// Start and End are the indices in IDs of the first answer's first and last pieces, or
	// -1 when the answer is not wholly in this window (or the example has none).
	Start, End int
}

// Windows cuts ex's question and context into windows of tok's tokens (see Window): the
// context's words (SplitWords) are tokenized one by one, and windows of as many context
// pieces as fit after the question advance by that number less opts.Stride, until the last
// piece is in one. The first answer labels the windows that hold it whole.
func Windows(tok *encoder.WordTokenizer, ex data.QAExample, opts WindowOptions) ([]Window, error) {
	maxLen := opts.MaxLen
	if maxLen <= 0 || maxLen > tok.MaxTokens() {
		maxLen = tok.MaxTokens()
	}
	prefix, suffix := tok.Special()
	var question []int32
	for i, w := range SplitWords(ex.Question) {
		p, err := tok.Pieces(ex.Question[w.Start:w.End], i == 0)
		if err != nil {
			return nil, fmt.Errorf("question %s: %w", ex.ID, err)
		}
		question = append(question, p...)
	}
	if opts.MaxQuestion > 0 && len(question) > opts.MaxQuestion {
		question = question[:opts.MaxQuestion]
	}
	head := len(prefix) + len(question) + len(suffix)
	room := maxLen - head - len(suffix)
	if room < 1 || opts.Stride < 0 || opts.Stride >= room {
		return nil, fmt.Errorf("question %s: windows of %d tokens leave %d for the context after %d of question and special tokens, with an overlap of %d; want more room than overlap",
			ex.ID, maxLen, room, head, opts.Stride)
	}
	words := SplitWords(ex.Context)
	if len(words) == 0 {
		return nil, fmt.Errorf("question %s: empty context", ex.ID)
	}
	var pieces []int32
	var owner []int
	for i, w := range words {
		p, err := tok.Pieces(ex.Context[w.Start:w.End], i == 0)
		if err != nil {
			return nil, fmt.Errorf("question %s: context word %d: %w", ex.ID, i, err)
		}
		for _, id := range p {
			pieces, owner = append(pieces, id), append(owner, i)
		}
	}
	if len(pieces) == 0 {
		return nil, fmt.Errorf("question %s: the tokenizer gives the context no piece", ex.ID)
	}
	// The answer's first and last pieces: those of the words its bytes overlap.
	ansFirst, ansLast := -1, -1
	if len(ex.Answers) > 0 {
		a := ex.Answers[0]
		for k, w := range owner {
			if words[w].End > a.Start && words[w].Start < a.Start+len(a.Text) {
				if ansFirst < 0 {
					ansFirst = k
				}
				ansLast = k
			}
		}
	}
	var out []Window
	for start := 0; ; start += room - opts.Stride {
		end := min(start+room, len(pieces))
		w := Window{ContextStart: head, Start: -1, End: -1}
		w.IDs = append(append(append(append(append([]int32{}, prefix...), question...), suffix...), pieces[start:end]...), suffix...)
		for k := start; k < end; k++ {
			w.Words = append(w.Words, owner[k])
			w.Spans = append(w.Spans, words[owner[k]])
		}
		if ansFirst >= start && ansLast < end {
			w.Start, w.End = head+ansFirst-start, head+ansLast-start
		}
		out = append(out, w)
		if end == len(pieces) {
			return out, nil
		}
	}
}
