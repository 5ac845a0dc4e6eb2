package encoder

import (
	"errors"
	"fmt"
	"slices"
)

// WordTokens is one pre-split sentence tokenized word by word: the token ids the model sees
// and, for each word, where its tokens start. A token tagger reads the state of each word's
// first token (its first sub-word piece) to predict the word's tag.
type WordTokens struct {
	// IDs are the token ids of the sentence: the encoder's special tokens (BERT's [CLS] and
	// [SEP]) around the words' pieces, in order, clipped to the maximum length.
	IDs []int32
	// First[w] is the index in IDs of word w's first piece, or -1 if the word has no piece
	// (the encoder's tokenizer drops it, or the clipping cut it off).
	First []int
}

// WordTokenizer tokenizes pre-split words (e.g. data.TaggedSentence.Tokens) with an encoder's
// own tokenizer, one word at a time, so that every piece belongs to exactly one word. For
// SentencePiece (USE-lite) and WordPiece (BERT) vocabularies, whose pieces never span two
// words, this gives the pieces of the sentence joined by spaces.
//
// Every word but the first is tokenized after a context word ("the ", whose pieces are then
// removed), as it is inside a sentence: USE-lite's tokenizer (a port of TF.js's, quirks
// included) can split a word differently at the very start of a text (e.g. ":" is "▁:" inside
// a text but "▁" ":" at its start). The encoder's special tokens are found by tokenizing probe
// words: the tokens that all results share at their start and at their end (BERT: [CLS] and
// [SEP]; USE-lite and GloVe: none). Each word's pieces are cached, so tokenizing a corpus
// costs a few calls per distinct word. A WordTokenizer is not safe for concurrent use.
type WordTokenizer struct {
	enc            Encoder
	maxTokens      int
	prefix, suffix []int32
	context        []int32 // The context word's pieces (without special tokens).
	cache          [2]map[string][]int32
}

// probeWords are tokenized to find an encoder's special tokens: common words in any
// vocabulary, with different pieces. The first is also the context word.
var probeWords = []string{"the", "of", "and", "a", "to", "in", "is", "1", "x", "."}

// NewWordTokenizer returns a WordTokenizer for enc that clips sentences to maxTokens tokens
// (special tokens included; 0 or more than enc.MaxTokens(): enc.MaxTokens()).
func NewWordTokenizer(enc Encoder, maxTokens int) (*WordTokenizer, error) {
	if maxTokens <= 0 || maxTokens > enc.MaxTokens() {
		maxTokens = enc.MaxTokens()
	}
	probes := make([][]int32, 0, len(probeWords))
	for _, w := range probeWords {
		row, err := enc.Tokenize([]string{w})
		if errors.Is(err, ErrEmptyText) {
			continue
		} else if err != nil {
			return nil, fmt.Errorf("word tokenizer for %s: tokenizing the probe word %q: %w", enc.Name(), w, err)
		}
		probes = append(probes, row[0])
	}
	distinct := 0
	for _, p := range probes {
		if !slices.Equal(p, probes[0]) {
			distinct++
		}
	}
	if len(probes) < 2 || distinct == 0 || !slices.Equal(probes[0], mustTokenize(enc, probeWords[0])) {
		return nil, fmt.Errorf("word tokenizer for %s: the probe words %q do not tokenize to distinct pieces", enc.Name(), probeWords)
	}
	// n: the length of the prefix all probes share, m: that of the suffix, leaving at least
	// one piece of each probe.
	n, m := len(probes[0]), len(probes[0])
	for _, p := range probes[1:] {
		k := 0
		for k < n && k < len(p) && p[k] == probes[0][k] {
			k++
		}
		n = k
	}
	for _, p := range probes {
		m = min(m, len(p)-n-1)
		k := 0
		for k < m && p[len(p)-1-k] == probes[0][len(probes[0])-1-k] {
			k++
		}
		m = k
	}
	a := probes[0]
	t := &WordTokenizer{enc: enc, maxTokens: maxTokens, prefix: slices.Clone(a[:n]), suffix: slices.Clone(a[len(a)-m:]),
		context: slices.Clone(a[n : len(a)-m]), cache: [2]map[string][]int32{{}, {}}}
	if len(t.prefix)+len(t.suffix) >= maxTokens {
		return nil, fmt.Errorf("word tokenizer for %s: %d tokens leave no room for words after the %d special tokens", enc.Name(), maxTokens, len(t.prefix)+len(t.suffix))
	}
	return t, nil
}

// mustTokenize returns the ids of one text, nil on error.
func mustTokenize(enc Encoder, text string) []int32 {
	rows, err := enc.Tokenize([]string{text})
	if err != nil {
		return nil
	}
	return rows[0]
}

// MaxTokens is the most tokens of a tokenized sentence, special tokens included.
func (t *WordTokenizer) MaxTokens() int { return t.maxTokens }

// Special returns the special tokens the encoder puts before and after the words.
func (t *WordTokenizer) Special() (prefix, suffix []int32) { return t.prefix, t.suffix }

// Pieces returns the token ids of one word without special tokens, as inside a sentence
// (first: as the sentence's first word). It is nil if the encoder's tokenizer gives the word
// no piece (e.g. a word made only of characters BERT drops).
func (t *WordTokenizer) Pieces(word string, first bool) ([]int32, error) {
	cache := t.cache[0]
	if first {
		cache = t.cache[1]
	}
	if p, ok := cache[word]; ok {
		return p, nil
	}
	p, ok, err := t.strip(word, nil)
	if err == nil && !first && ok && len(p) > 0 {
		// Inside a sentence: after the context word, if its pieces come out unchanged.
		if q, ok, err := t.strip(probeWords[0]+" "+word, t.context); err == nil && ok && len(q) > 0 {
			p = q
		}
	}
	if err != nil {
		return nil, err
	}
	cache[word] = p
	return p, nil
}

// strip tokenizes text and returns its ids without the special tokens and without lead, which
// the ids must start with (ok false otherwise). A text with no tokens gives nil.
func (t *WordTokenizer) strip(text string, lead []int32) (ids []int32, ok bool, err error) {
	rows, err := t.enc.Tokenize([]string{text})
	if errors.Is(err, ErrEmptyText) {
		return nil, true, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("tokenizing the word %q: %w", text, err)
	}
	row := rows[0]
	head := len(t.prefix) + len(lead)
	if len(row) < head+len(t.suffix) || !slices.Equal(row[:len(t.prefix)], t.prefix) ||
		!slices.Equal(row[len(t.prefix):head], lead) || !slices.Equal(row[len(row)-len(t.suffix):], t.suffix) {
		return nil, false, nil
	}
	row = row[head : len(row)-len(t.suffix)]
	if len(row) == 0 {
		return nil, true, nil
	}
	return slices.Clone(row), true, nil
}

// Tokenize tokenizes one sentence's words: the special tokens, then each word's pieces. When
// the sentence has more than MaxTokens tokens, the last words' pieces are dropped (the
// special tokens are kept) and those words get First -1.
func (t *WordTokenizer) Tokenize(words []string) (WordTokens, error) {
	budget := t.maxTokens - len(t.prefix) - len(t.suffix)
	out := WordTokens{IDs: slices.Clone(t.prefix), First: make([]int, len(words))}
	used := 0
	for w, word := range words {
		p, err := t.Pieces(word, w == 0)
		if err != nil {
			return WordTokens{}, fmt.Errorf("word %d: %w", w, err)
		}
		if len(p) == 0 || used >= budget {
			out.First[w] = -1
			continue
		}
		out.First[w] = len(out.IDs)
		p = p[:min(len(p), budget-used)]
		out.IDs = append(out.IDs, p...)
		used += len(p)
	}
	out.IDs = append(out.IDs, t.suffix...)
	return out, nil
}

// TokenizeAll tokenizes many sentences (see Tokenize); errors name the sentence.
func (t *WordTokenizer) TokenizeAll(sentences [][]string) ([]WordTokens, error) {
	out := make([]WordTokens, len(sentences))
	for i, words := range sentences {
		var err error
		if out[i], err = t.Tokenize(words); err != nil {
			return nil, fmt.Errorf("sentence %d: %w", i, err)
		}
	}
	return out, nil
}
