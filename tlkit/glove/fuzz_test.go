package glove_test

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/nlp-transfer/gotl/tlkit/glove"
)

var splitSeeds = []string{
	"Don't stop-believing, o'neill: it's 3.5% of $1,000!", "Héllo CAFÉ naïve", "“quoted” ’s can’t",
	"北京 😀 e\u0301", "\t\n\x00\x7f", "'s n't -- ..", "", "\xff\xfe bad",
}

// FuzzSplit fuzzes GloVe's tokenizer: tokens are non-empty, hold no space or control
// character, keep UTF-8 input UTF-8, and Split is deterministic.
func FuzzSplit(f *testing.F) {
	for _, s := range splitSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		tokens := glove.Split(text)
		for i, tok := range tokens {
			if tok == "" || strings.IndexFunc(tok, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
				t.Fatalf("Split(%q): token %d is %q", text, i, tok)
			}
			if utf8.ValidString(text) && !utf8.ValidString(tok) {
				t.Fatalf("Split(%q): token %d %q is not UTF-8", text, i, tok)
			}
		}
		if again := glove.Split(text); strings.Join(again, "\x00") != strings.Join(tokens, "\x00") {
			t.Fatalf("Split(%q) is not deterministic", text)
		}
	})
}

// FuzzEncoderTokenize fuzzes the GloVe encoder's tokenization over a small vocabulary: every
// text with a token gets ids of known rows (or the one unknown id), at most MaxTokens of them.
func FuzzEncoderTokenize(f *testing.F) {
	for _, s := range splitSeeds {
		f.Add(s)
	}
	data := make([]float32, len(tinyWords)*4)
	for i, v := range tinyVecs {
		copy(data[4*i:], v)
	}
	v, err := glove.NewVectors(tinyWords, 4, data, "tiny")
	if err != nil {
		f.Fatal(err)
	}
	enc, err := glove.NewEncoder(v)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		ids, err := enc.Tokenize([]string{text})
		if err != nil {
			if len(glove.Split(text)) > 0 {
				t.Fatalf("Tokenize(%q): %v, though it has tokens %q", text, err, glove.Split(text))
			}
			return
		}
		if len(ids) != 1 || len(ids[0]) == 0 || len(ids[0]) > enc.MaxTokens() {
			t.Fatalf("Tokenize(%q) = %v", text, ids)
		}
		for _, id := range ids[0] {
			if id != glove.UnkID && (id < glove.NumSpecial || int(id) >= glove.NumSpecial+v.Len()) {
				t.Fatalf("Tokenize(%q): id %d outside the vocabulary", text, id)
			}
		}
	})
}

// FuzzDecode fuzzes the reader of the binary cache files: a damaged file is an error wrapping
// ErrCorrupt, never a panic. Each input gets a valid checksum, so that the fuzzer reaches the
// structure behind it.
func FuzzDecode(f *testing.F) {
	good, err := glove.NewVectors([]string{"a", "b"}, 2, []float32{1, 2, 3, 4}, "seed")
	if err != nil {
		f.Fatal(err)
	}
	raw := good.Encode()
	f.Add(raw[:len(raw)-sha256.Size])
	f.Add([]byte("GOTLGLV\n\x01\x00\x00\x00\xff\xff\xff\xff\x01\x00\x00\x00\x00\x00\x00\x00"))
	f.Add([]byte("GOTLGLV\n"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, body []byte) {
		sum := sha256.Sum256(body)
		v, err := glove.Decode(append(bytes.Clone(body), sum[:]...))
		if err != nil {
			if !errors.Is(err, glove.ErrCorrupt) {
				t.Fatalf("Decode: error %v does not wrap ErrCorrupt", err)
			}
			return
		}
		if v.Dim <= 0 || len(v.Data) != v.Len()*v.Dim {
			t.Fatalf("Decode: %d words of width %d with %d values", v.Len(), v.Dim, len(v.Data))
		}
		if again := v.Encode(); !bytes.Equal(again[:len(again)-sha256.Size], body) {
			t.Fatalf("Decode then Encode does not give the file back")
		}
	})
}

// FuzzParseWink fuzzes the streaming reader of the wink GloVe JSON: any input gives vectors or
// an error, never a panic.
func FuzzParseWink(f *testing.F) {
	f.Add(`{"precision":8,"l2NormIndex":2,"wordIndex":3,"size":2,"dimensions":2,"words":["the","a"],"vectors":{"the":[1,2,2.2,0],"a":[3,4,5,1]},"unkVector":[0,0]}`, 1)
	f.Add(`{"vectors":{}}`, 0)
	f.Add(`{"dimensions":2,"wordIndex":3,"words":["x"],"vectors":{"x":[1]}}`, 0)
	f.Add(`[`, 5)
	f.Fuzz(func(t *testing.T, js string, n int) {
		n %= 1000
		v, err := glove.ParseWink(strings.NewReader(js), n)
		if err != nil {
			return
		}
		if v.Dim <= 0 || len(v.Data) != v.Len()*v.Dim || (n > 0 && v.Len() > n) {
			t.Fatalf("ParseWink(%q, %d): %d words of width %d, %d values", js, n, v.Len(), v.Dim, len(v.Data))
		}
	})
}
