// Package wordpiece is the BERT WordPiece tokenizer used by gotl's BERT encoders: BERT
// normalization and pre-tokenization, greedy longest-match-first word pieces, offsets into the
// original text, and decoding. NewBertUncased uses the bert-base-uncased vocabulary bundled
// with github.com/sugarme/tokenizer, so it needs no network.
package wordpiece

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sugarme/tokenizer"
	sgwordpiece "github.com/sugarme/tokenizer/model/wordpiece"
	"github.com/sugarme/tokenizer/normalizer"
	"github.com/sugarme/tokenizer/pretokenizer"
	"github.com/sugarme/tokenizer/pretrained"
	"golang.org/x/text/unicode/norm"
)

// BertVocabEnvVar names the environment variable that points NewBertUncased at a
// bert-base-uncased vocab.txt, instead of the copy bundled in the module
// github.com/sugarme/tokenizer (found in the Go module cache).
const BertVocabEnvVar = "TLKIT_BERT_VOCAB"

// BERT special tokens, as spelled in the bert-base-* vocabularies.
const (
	// ClsToken starts every BERT input; its final hidden state is used for classification.
	ClsToken = "[CLS]"
	// SepToken ends every BERT input segment.
	SepToken = "[SEP]"
	// PadToken fills sequences up to a common length.
	PadToken = "[PAD]"
	// UnkToken stands for words that the vocabulary cannot spell.
	UnkToken = "[UNK]"
	// MaskToken hides a token for masked-language-model prediction.
	MaskToken = "[MASK]"
)

// bertSpecialTokens are matched verbatim in the input text and skipped by Decode.
var bertSpecialTokens = []string{PadToken, UnkToken, ClsToken, SepToken, MaskToken}

// Tokenizer is a BERT WordPiece tokenizer: BERT normalization (clean-up, optional
// lower-casing and accent stripping, spaces around CJK characters), splitting on
// whitespace and punctuation, then greedy longest-match-first subwords, continuations
// prefixed with "##".
//
// It wraps github.com/sugarme/tokenizer and returns plain Go data (see Encoding).
// Encode, Decode and the lookups only read the tokenizer, so a Tokenizer may be shared by
// goroutines.
type Tokenizer struct {
	tk         *tokenizer.Tokenizer
	vocabPath  string
	lowercase  bool
	vocabSize  int
	unkID      int
	clsID      int // -1 when the vocabulary has no [CLS].
	sepID      int // -1 when the vocabulary has no [SEP].
	specialIDs map[int]bool
}

// Encoding is the result of Tokenizer.Encode: one entry per token in every slice.
type Encoding struct {
	// Tokens are the wordpieces, e.g. ["una", "##ffa", "##ble"].
	Tokens []string
	// IDs are the vocabulary ids of Tokens: the model input.
	IDs []int
	// Offsets are [start, end) byte offsets of each token into the original text
	// (before normalization), so text[o[0]:o[1]] is the source of the token.
	// Special tokens added by EncodeOptions.AddSpecial have [0, 0].
	Offsets [][2]int
	// WordIDs gives for each token the index of the word (whitespace/punctuation split)
	// it came from, counting from 0; added special tokens have -1.
	WordIDs []int
}

// Len returns the number of tokens.
func (e Encoding) Len() int { return len(e.IDs) }

// EncodeOptions configures Tokenizer.EncodeWith.
type EncodeOptions struct {
	// AddSpecial wraps the tokens as BERT expects them: [CLS] tokens... [SEP].
	AddSpecial bool
	// MaxLen, when > 0, truncates the result to at most MaxLen tokens, special tokens
	// included (the final [SEP] is kept). It must be at least 2 when AddSpecial is set.
	MaxLen int
}

// NewBertUncased returns the bert-base-uncased WordPiece tokenizer (30522
// tokens: lower-cases and strips accents).
//
// The vocabulary is the vocab.txt bundled in the Go module github.com/sugarme/tokenizer
// (pretrained/model/bert-base-uncased-vocab.txt), read from the Go module cache; nothing
// is downloaded. Set $TLKIT_BERT_VOCAB to use another copy of that file.
func NewBertUncased() (*Tokenizer, error) {
	path, err := bertUncasedVocabPath()
	if err != nil {
		return nil, err
	}
	return LoadVocab(path, true)
}

// MustNewBertUncased is like NewBertUncased, but panics on error. It is
// meant for notebook cells.
func MustNewBertUncased() *Tokenizer {
	wp, err := NewBertUncased()
	if err != nil {
		panic(err)
	}
	return wp
}

// LoadVocab returns a BERT WordPiece tokenizer for a vocab.txt file (one token
// per line, the line number being its id), as published with every BERT checkpoint.
// Set lowercase for "uncased" vocabularies: it lower-cases and strips accents.
//
// The vocabulary must contain [UNK]; [CLS] and [SEP] are needed only for
// EncodeOptions.AddSpecial.
func LoadVocab(vocabPath string, lowercase bool) (*Tokenizer, error) {
	info, err := os.Stat(vocabPath)
	if err != nil {
		return nil, fmt.Errorf("loading WordPiece vocabulary: %w", err)
	}
	if info.IsDir() {
		return nil, fmt.Errorf("loading WordPiece vocabulary: %s is a directory, want a vocab.txt file", vocabPath)
	}
	model, err := sgwordpiece.NewWordPieceFromFile(vocabPath, UnkToken)
	if err != nil {
		return nil, fmt.Errorf("loading WordPiece vocabulary %s: %w", vocabPath, err)
	}
	unkID, ok := model.TokenToId(UnkToken)
	if !ok {
		return nil, fmt.Errorf("loading WordPiece vocabulary %s: it has no %s token; is it a BERT vocab.txt?", vocabPath, UnkToken)
	}

	tk := tokenizer.NewTokenizer(model)
	tk.WithNormalizer(bertNormalizer{lowercase: lowercase})
	tk.WithPreTokenizer(pretokenizer.NewBertPreTokenizer())

	wp := &Tokenizer{
		tk:         tk,
		vocabPath:  vocabPath,
		lowercase:  lowercase,
		vocabSize:  model.GetVocabSize(),
		unkID:      unkID,
		clsID:      -1,
		sepID:      -1,
		specialIDs: make(map[int]bool),
	}
	var specials []tokenizer.AddedToken
	for _, s := range bertSpecialTokens {
		id, ok := model.TokenToId(s)
		if !ok {
			continue
		}
		wp.specialIDs[id] = true
		specials = append(specials, tokenizer.NewAddedToken(s, true))
		switch s {
		case ClsToken:
			wp.clsID = id
		case SepToken:
			wp.sepID = id
		}
	}
	tk.AddSpecialTokens(specials)
	return wp, nil
}

// bertUncasedVocabPath finds the bert-base-uncased vocab.txt: $TLKIT_BERT_VOCAB, or the copy
// next to the source of github.com/sugarme/tokenizer/pretrained in the module cache.
func bertUncasedVocabPath() (string, error) {
	if p := os.Getenv(BertVocabEnvVar); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("$%s: %w", BertVocabEnvVar, err)
		}
		return p, nil
	}
	const rel = "model/bert-base-uncased-vocab.txt"
	var tried []string
	// The compiled-in source path of a function of the pretrained package is its directory
	// in the module cache (a module-relative path when built with -trimpath).
	fn := runtime.FuncForPC(reflect.ValueOf(pretrained.BertBaseUncased).Pointer())
	if fn != nil {
		file, _ := fn.FileLine(fn.Entry())
		if file != "" {
			dir := filepath.Dir(file)
			var candidates []string
			if filepath.IsAbs(dir) {
				candidates = append(candidates, filepath.Join(dir, rel))
			} else {
				for _, cache := range moduleCacheDirs() {
					candidates = append(candidates, filepath.Join(cache, dir, rel))
				}
			}
			for _, c := range candidates {
				if _, err := os.Stat(c); err == nil {
					return c, nil
				}
				tried = append(tried, c)
			}
		}
	}
	return "", fmt.Errorf("bert-base-uncased vocabulary not found (tried %s): the Go module cache must hold "+
		"github.com/sugarme/tokenizer (run `go mod download github.com/sugarme/tokenizer`), or set $%s to a "+
		"bert-base-uncased vocab.txt", strings.Join(tried, ", "), BertVocabEnvVar)
}

// moduleCacheDirs lists the likely Go module cache directories: $GOMODCACHE, then
// $GOPATH/pkg/mod for each GOPATH entry, then ~/go/pkg/mod.
func moduleCacheDirs() []string {
	var dirs []string
	if d := os.Getenv("GOMODCACHE"); d != "" {
		dirs = append(dirs, d)
	}
	for _, gp := range filepath.SplitList(os.Getenv("GOPATH")) {
		if gp != "" {
			dirs = append(dirs, filepath.Join(gp, "pkg", "mod"))
		}
	}
	if home, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(home, "go", "pkg", "mod"))
	}
	return dirs
}

// VocabPath returns the vocab.txt file the tokenizer was loaded from.
func (wp *Tokenizer) VocabPath() string { return wp.vocabPath }

// VocabSize returns the number of tokens in the vocabulary (30522 for bert-base-uncased):
// ids are in [0, VocabSize).
func (wp *Tokenizer) VocabSize() int { return wp.vocabSize }

// TokenToID returns the id of a vocabulary token (e.g. "[CLS]" → 101, "##ble" → 3468), and
// whether the vocabulary has it.
func (wp *Tokenizer) TokenToID(token string) (int, bool) { return wp.tk.TokenToId(token) }

// IDToToken returns the vocabulary token with the given id, and whether the id is in the
// vocabulary.
func (wp *Tokenizer) IDToToken(id int) (string, bool) { return wp.tk.IdToToken(id) }

// Encode splits text into wordpieces, without special tokens. It is EncodeWith with zero
// EncodeOptions.
//
// Text that is empty or only whitespace gives an empty Encoding and no error. Text that is
// not valid UTF-8 is an error.
func (wp *Tokenizer) Encode(text string) (Encoding, error) {
	return wp.EncodeWith(text, EncodeOptions{})
}

// EncodeWith splits text into wordpieces, optionally adding [CLS]/[SEP] and truncating
// (see EncodeOptions).
//
// Text that is empty or only whitespace gives no wordpieces: an empty Encoding, or just
// [CLS] [SEP] with AddSpecial. Text that is not valid UTF-8 is an error.
func (wp *Tokenizer) EncodeWith(text string, opts EncodeOptions) (Encoding, error) {
	if !utf8.ValidString(text) {
		return Encoding{}, fmt.Errorf("wordpiece: Encode: text is not valid UTF-8 (first bad byte at offset %d of %d); "+
			"decode it to UTF-8 first, or replace bad bytes with strings.ToValidUTF8", firstInvalidUTF8(text), len(text))
	}
	if opts.MaxLen < 0 {
		return Encoding{}, fmt.Errorf("wordpiece: Encode: EncodeOptions.MaxLen=%d is negative", opts.MaxLen)
	}
	if opts.AddSpecial {
		if wp.clsID < 0 || wp.sepID < 0 {
			return Encoding{}, fmt.Errorf("wordpiece: Encode: EncodeOptions.AddSpecial needs %s and %s, but vocabulary %s lacks them",
				ClsToken, SepToken, wp.vocabPath)
		}
		if opts.MaxLen == 1 {
			return Encoding{}, errors.New("wordpiece: Encode: EncodeOptions.MaxLen=1 leaves no room for [CLS] and [SEP]; use 0 (no limit) or >= 2")
		}
	}

	var enc Encoding
	if strings.TrimSpace(text) != "" {
		te, err := wp.tk.EncodeSingle(text, false)
		if err != nil {
			return Encoding{}, fmt.Errorf("wordpiece: Encode: %w", err)
		}
		n := len(te.Ids)
		enc = Encoding{
			Tokens:  append([]string(nil), te.Tokens...),
			IDs:     append([]int(nil), te.Ids...),
			Offsets: make([][2]int, n),
			WordIDs: make([]int, n),
		}
		for i := range n {
			if i < len(te.Offsets) && len(te.Offsets[i]) == 2 {
				enc.Offsets[i] = [2]int{te.Offsets[i][0], te.Offsets[i][1]}
			}
			enc.WordIDs[i] = -1
			if i < len(te.Words) {
				enc.WordIDs[i] = te.Words[i]
			}
		}
	}

	limit := opts.MaxLen
	if opts.AddSpecial && limit > 0 {
		limit -= 2 // MaxLen 2 with special tokens leaves room for none of the text.
	}
	if opts.MaxLen > 0 && enc.Len() > limit {
		enc.Tokens, enc.IDs = enc.Tokens[:limit], enc.IDs[:limit]
		enc.Offsets, enc.WordIDs = enc.Offsets[:limit], enc.WordIDs[:limit]
	}
	if opts.AddSpecial {
		enc.Tokens = append(append([]string{ClsToken}, enc.Tokens...), SepToken)
		enc.IDs = append(append([]int{wp.clsID}, enc.IDs...), wp.sepID)
		enc.Offsets = append(append([][2]int{{0, 0}}, enc.Offsets...), [2]int{0, 0})
		enc.WordIDs = append(append([]int{-1}, enc.WordIDs...), -1)
	}
	return enc, nil
}

// bertNormalizer is BERT's normalizer, as in Hugging Face tokenizers: control characters
// removed, whitespace made ' ', spaces around CJK ideographs and, for uncased vocabularies,
// lower-casing and accent stripping (NFD, then dropping non-spacing marks: "Héllo" →
// "hello").
//
// It replaces sugarme's BertNormalizer, which strips only marks that are already separate
// runes (so "é" stays) and lower-cases without updating the offset alignments (so text
// whose lower case has another byte length, like "İ", corrupts offsets or panics). This
// one maps every input rune to its output runes in a single alignment-preserving
// transformation.
type bertNormalizer struct{ lowercase bool }

// Normalize implements normalizer.Normalizer.
func (b bertNormalizer) Normalize(n *normalizer.NormalizedString) (*normalizer.NormalizedString, error) {
	var (
		changes       []normalizer.ChangeMap
		lastConsuming = -1 // index in changes of the last entry that replaces an input rune
		leading       = 0  // input runes removed before any output
		changed       = false
	)
	for _, r := range n.GetNormalized() {
		out := b.mapRune(r)
		if len(out) != 1 || out[0] != r {
			changed = true
		}
		if len(out) == 0 {
			if lastConsuming < 0 {
				leading++
			} else {
				changes[lastConsuming].Changes--
			}
			continue
		}
		lastConsuming = len(changes)
		changes = append(changes, normalizer.ChangeMap{RuneVal: string(out[0]), Changes: 0})
		for _, extra := range out[1:] {
			changes = append(changes, normalizer.ChangeMap{RuneVal: string(extra), Changes: 1})
		}
	}
	if !changed {
		return n, nil
	}
	if leading > 0 {
		// sugarme's Transform mangles its alignments (and can panic) when it removes leading
		// runes of several bytes through its initial offset, and more runes are removed
		// later. A space in place of the leading runes splits nothing and keeps the offsets.
		changes = append([]normalizer.ChangeMap{{RuneVal: " ", Changes: -(leading - 1)}}, changes...)
	}
	return n.Transform(changes, 0), nil
}

// mapRune returns what one input rune becomes: nothing, or one or more runes.
func (b bertNormalizer) mapRune(r rune) []rune {
	switch {
	case r == '\t' || r == '\n' || r == '\r' || unicode.Is(unicode.Zs, r):
		return []rune{' '}
	case r == 0 || r == utf8.RuneError || unicode.Is(unicode.C, r):
		return nil
	case normalizer.IsChinese(r):
		return []rune{' ', r, ' '}
	case !b.lowercase:
		return []rune{r}
	}
	var out []rune
	for _, d := range norm.NFD.String(strings.ToLower(string(r))) {
		if !unicode.Is(unicode.Mn, d) {
			out = append(out, d)
		}
	}
	return out
}

// firstInvalidUTF8 returns the byte offset of the first invalid UTF-8 sequence in s.
func firstInvalidUTF8(s string) int {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return i
			}
		}
	}
	return len(s)
}

// Decode turns ids back into text: "##" continuations are glued to the previous piece,
// and, as in Hugging Face's clean_up_tokenization, spaces before punctuation and inside
// contractions are removed ("hello , world !" → "hello, world!", "it ' s" → "it's").
// The special tokens [PAD], [CLS], [SEP] and [MASK] are dropped; [UNK] is kept, and ids
// outside the vocabulary decode as [UNK].
//
// Decoding is lossy: the text comes back normalized (lower-cased, without accents for
// uncased vocabularies), with single spaces between words.
func (wp *Tokenizer) Decode(ids []int) string {
	tokens := make([]string, 0, len(ids))
	for _, id := range ids {
		if wp.specialIDs[id] && id != wp.unkID {
			continue
		}
		tok, ok := wp.tk.IdToToken(id)
		if !ok {
			tok = UnkToken
		}
		tokens = append(tokens, tok)
	}
	text := strings.TrimSpace(strings.ReplaceAll(strings.Join(tokens, " "), " ##", ""))
	return decodeCleanup.Replace(text)
}

// decodeCleanup undoes the spaces that tokenization puts around punctuation and
// contractions, like Hugging Face's clean_up_tokenization.
var decodeCleanup = strings.NewReplacer(
	" .", ".", " ?", "?", " !", "!", " ,", ",", " ' ", "'",
	" n't", "n't", " 'm", "'m", " 's", "'s", " 've", "'ve", " 're", "'re",
)
