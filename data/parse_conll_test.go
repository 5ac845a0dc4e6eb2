package data

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestParseCoNLL(t *testing.T) {
	input := "-DOCSTART- -X- O O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\n\n\n" +
		"Peter NNP B-NP B-PER\nBlackburn NNP I-NP I-PER\r\n"
	got, err := ParseCoNLL(strings.NewReader(input))
	if err != nil {
		t.Fatal(err)
	}
	want := []TaggedSentence{
		{Tokens: []string{"EU", "rejects"}, Tags: []string{"B-ORG", "O"}},
		{Tokens: []string{"Peter", "Blackburn"}, Tags: []string{"B-PER", "I-PER"}},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d sentences, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if !slices.Equal(got[i].Tokens, want[i].Tokens) || !slices.Equal(got[i].Tags, want[i].Tags) {
			t.Errorf("sentence %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	// Tab-separated columns keep tokens that hold spaces.
	got, err = ParseCoNLL(strings.NewReader("New York\tB-LOC\nis\tO\n"))
	if err != nil || len(got) != 1 || got[0].Tokens[0] != "New York" {
		t.Errorf("tab-separated: %+v, %v", got, err)
	}
}

func TestParseCoNLLErrors(t *testing.T) {
	for _, tc := range []struct{ input, want string }{
		{"EU B-ORG\nrejects\n", "line 2: got \"rejects\", want `token ... TAG`"},
		{"EU NNP B-ORG\nrejects O\n", "line 2: 2 columns, want 3 like line 1"},
		{"EU B-ORG\n\ncaf\xe9 O\n", "line 3: invalid UTF-8 byte 0xE9"},
	} {
		_, err := ParseCoNLL(strings.NewReader(tc.input))
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("input %q: error %v, want %q", tc.input, err, tc.want)
		}
	}
	path := writeTestFile(t, "bad.conll", "EU B-ORG\n\nrejects\n")
	if _, err := LoadCoNLLFile(path); err == nil || !strings.HasPrefix(err.Error(), path+":3: ") {
		t.Errorf("LoadCoNLLFile: error %v, want it to start with %s:3:", err, path)
	}
	path = writeTestFile(t, "empty.conll", "\n\n")
	if _, err := LoadCoNLLFile(path); err == nil || !strings.HasPrefix(err.Error(), path+":1: no sentences") {
		t.Errorf("LoadCoNLLFile empty: error %v", err)
	}
	if _, err := LoadCoNLLFile(filepath.Join(t.TempDir(), "none.conll")); err == nil {
		t.Error("LoadCoNLLFile of a missing file: no error")
	}
}

func ExampleParseCoNLL() {
	input := `EU B-ORG
rejects O
German B-MISC

Peter B-PER
Blackburn I-PER
`
	sentences, err := ParseCoNLL(strings.NewReader(input))
	if err != nil {
		panic(err)
	}
	for _, s := range sentences {
		fmt.Println(s.Tokens, s.Tags)
	}
	// Output:
	// [EU rejects German] [B-ORG O B-MISC]
	// [Peter Blackburn] [B-PER I-PER]
}
