package wordpiece_test

import (
	"slices"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/nlp-transfer/gotl/tlkit/wordpiece"
)

var (
	fuzzTokOnce sync.Once
	fuzzTok     *wordpiece.Tokenizer
	fuzzTokErr  error
)

// FuzzEncode fuzzes the bert-base-uncased WordPiece tokenizer: it never panics; it rejects
// exactly the texts that are not UTF-8; every token has an id in the vocabulary and offsets
// inside the text; the slices of an Encoding agree; special tokens and MaxLen are honoured;
// encoding is deterministic; and Decode returns UTF-8.
func FuzzEncode(f *testing.F) {
	for _, s := range []string{
		"Transfer learning is unaffable!", "Héllo, naïve CAFÉ in Zürich.", "EU rejects German call to boycott British lamb.",
		"北京是中国的首都", "don't stop-believing... 3.5% [MASK] [UNK]", "\u00a0\t\n\r\u200b\ufeff", "😀👍🏽 e\u0301", "",
		"\xff\xfe bad bytes", "ǅungla ﬁ ligature Ⅻ", "a" + string(make([]byte, 3)) + "b",
		"\u0301ab\x17", // A leading mark and a trailing control: sugarme's Transform used to panic.
	} {
		f.Add(s, uint8(0), false)
		f.Add(s, uint8(5), true)
	}
	f.Fuzz(func(t *testing.T, text string, maxLen uint8, special bool) {
		fuzzTokOnce.Do(func() { fuzzTok, fuzzTokErr = wordpiece.NewBertUncased() })
		if fuzzTokErr != nil {
			t.Skipf("bert-base-uncased vocabulary unavailable: %v", fuzzTokErr)
		}
		tok := fuzzTok
		opts := wordpiece.EncodeOptions{AddSpecial: special, MaxLen: int(maxLen)}
		if special && opts.MaxLen == 1 {
			opts.MaxLen = 2
		}
		enc, err := tok.EncodeWith(text, opts)
		if !utf8.ValidString(text) {
			if err == nil {
				t.Fatalf("EncodeWith(%q) accepted text that is not UTF-8", text)
			}
			return
		}
		if err != nil {
			t.Fatalf("EncodeWith(%q, %+v): %v", text, opts, err)
		}
		n := enc.Len()
		if len(enc.IDs) != n || len(enc.Offsets) != n || len(enc.WordIDs) != n {
			t.Fatalf("EncodeWith(%q): %d tokens, %d ids, %d offsets, %d word ids", text, n, len(enc.IDs), len(enc.Offsets), len(enc.WordIDs))
		}
		if opts.MaxLen > 0 && n > opts.MaxLen {
			t.Fatalf("EncodeWith(%q, %+v): %d tokens, more than MaxLen", text, opts, n)
		}
		first, last := 0, n
		if special {
			if n < 2 || enc.Tokens[0] != wordpiece.ClsToken || enc.Tokens[n-1] != wordpiece.SepToken {
				t.Fatalf("EncodeWith(%q) with special tokens: %q", text, enc.Tokens)
			}
			first, last = 1, n-1
		}
		prevStart, prevWord := 0, -1
		for i := range n {
			if id := enc.IDs[i]; id < 0 || id >= tok.VocabSize() {
				t.Fatalf("EncodeWith(%q): token %d %q has id %d, outside the vocabulary of %d", text, i, enc.Tokens[i], id, tok.VocabSize())
			}
			if want, ok := tok.IDToToken(enc.IDs[i]); !ok || want != enc.Tokens[i] {
				t.Fatalf("EncodeWith(%q): token %d is %q but its id %d is %q", text, i, enc.Tokens[i], enc.IDs[i], want)
			}
			if i < first || i >= last {
				continue
			}
			o := enc.Offsets[i]
			if o[0] < 0 || o[0] > o[1] || o[1] > len(text) || o[0] < prevStart {
				t.Fatalf("EncodeWith(%q): token %d %q has offsets %v (previous start %d, text of %d bytes)", text, i, enc.Tokens[i], o, prevStart, len(text))
			}
			if w := enc.WordIDs[i]; w < prevWord || w < 0 {
				t.Fatalf("EncodeWith(%q): word ids %v", text, enc.WordIDs)
			}
			prevStart, prevWord = o[0], enc.WordIDs[i]
		}
		again, err := tok.EncodeWith(text, opts)
		if err != nil || !slices.Equal(again.IDs, enc.IDs) || !slices.Equal(again.Offsets, enc.Offsets) {
			t.Fatalf("EncodeWith(%q) is not deterministic: %v then %v (%v)", text, enc.IDs, again.IDs, err)
		}
		if dec := tok.Decode(enc.IDs); !utf8.ValidString(dec) {
			t.Fatalf("Decode(%v) = %q, not UTF-8", enc.IDs, dec)
		}
	})
}
