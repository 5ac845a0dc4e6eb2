package uselite

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// toyVocab has the 6 reserved pieces and a few others; ids are the indices. The expected
// encodings in TestTokenizerQuirks are those of the TF.js tokenizer (@energetic-ai/embeddings
// 0.2.0) run on this vocabulary.
var toyVocab = []Piece{
	{"�", 0}, {"<s>", 0}, {"</s>", 0}, {"extra_token_id_1", 0}, {"extra_token_id_2", 0}, {"extra_token_id_3", 0},
	{"▁", -2},     // 6
	{"a", -3},     // 7
	{"b", -3},     // 8
	{"ab", -4},    // 9: beats "a"+"b" (-6).
	{"▁ab", -4.5}, // 10: beats "▁"+"ab" (-6).
	{"c", -1},     // 11
	{"cc", -2},    // 12: ties with "c"+"c"; the candidate with the later start ("c") wins.
	{":30", 30},   // 13: a positive score, as in the real vocab.json, is strongly preferred.
	{":", 0},      // 14: a null score reads as 0.
	{"3", -5},     // 15
	{"0", -5},     // 16
	{"😀x", 10},    // 17: JavaScript length 3 (a surrogate pair and "x").
}

func toyTokenizer(t *testing.T) *Tokenizer {
	t.Helper()
	tok, err := NewTokenizer(toyVocab)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestTokenizerQuirks(t *testing.T) {
	tok := toyTokenizer(t)
	tests := []struct {
		text string
		want []int32
	}{
		{"", nil},
		{"ab", []int32{10}},
		{"a b", []int32{6, 7, 6, 8}},
		{"cc", []int32{6, 11, 11}},
		{":30", []int32{6, 13}},
		// Unknown symbols ("x", "y", "é" after NFKC) become one merged UnknownID per run.
		{"xyz", []int32{6, 0}},
		{"axyb", []int32{6, 7, 0, 8}},
		// NFKC: full-width "ａｂ" is "ab"; the ligature "ﬀ" is "ff" (unknown).
		{"ａｂ", []int32{10}},
		// Only U+0020 becomes "▁"; a tab is an unknown symbol.
		{"a\tb", []int32{6, 7, 0, 8}},
		// No lower-casing: "A" is unknown.
		{"A", []int32{6, 0}},
	}
	for _, tc := range tests {
		if got := tok.Encode(tc.text); !slices.Equal(got, tc.want) {
			t.Errorf("Encode(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
	// JavaScript's back-tracking steps by UTF-16 length: "😀x" (2 code points, length 3)
	// makes the walk skip the symbol before it ("a", "b"), which TF.js thus drops.
	for text, want := range map[string][]int32{"a😀x": {6, 17}, "b😀x c": {6, 17, 6, 11}, "😀": {6, 0}} {
		if got := tok.Encode(text); !slices.Equal(got, want) {
			t.Errorf("Encode(%q) = %v, want %v (the JavaScript back-tracking quirk)", text, got, want)
		}
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"":             "",
		"a b":          "▁a▁b",
		" x ":          "▁▁x▁",
		"ﬁ\u00a0Ａ":     "▁fi▁A", // NFKC maps the no-break space to a space.
		"e\u0301\tz":   "▁é\tz",
		"ideo\u3000gr": "▁ideo▁gr",
	} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLoadVocab(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "vocab.json")
	if err := os.WriteFile(path, []byte(`[["�",0],["▁the",-3.5],[":",null],[":30",30]]`), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := LoadVocab(path)
	if err != nil {
		t.Fatal(err)
	}
	want := []Piece{{"�", 0}, {"▁the", -3.5}, {":", 0}, {":30", 30}}
	if !slices.Equal(got, want) {
		t.Errorf("LoadVocab = %v, want %v", got, want)
	}
	for _, bad := range []string{`{"a":1}`, `[["a"]]`, `[[1,2]]`, `[["a","x"]]`} {
		if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadVocab(path); err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("LoadVocab(%s) error = %v, want one naming the file", bad, err)
		}
	}
	if _, err := NewTokenizer(toyVocab[:NumReservedPieces]); err == nil {
		t.Error("NewTokenizer with only reserved pieces: want an error")
	}
}
