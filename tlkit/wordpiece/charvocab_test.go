package wordpiece

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestCharacterVocab(t *testing.T) {
	texts := []string{"我在北京工作。", "北京 2006 年", "我爱北京\t天安门", "Ab"}
	vocab, err := CharacterVocab(texts, 2, true)
	if err != nil {
		t.Fatal(err)
	}
	// 北 and 京 three times each, 我 twice; every other character once.
	want := []string{PadToken, UnkToken, ClsToken, SepToken, MaskToken, "京", "北", "0", "我", "##0"}
	if !slices.Equal(vocab, want) {
		t.Fatalf("vocab = %q, want %q", vocab, want)
	}
	path := filepath.Join(t.TempDir(), "vocab.txt")
	if err := WriteVocab(path, vocab); err != nil {
		t.Fatal(err)
	}
	wp, err := LoadVocab(path, true)
	if err != nil {
		t.Fatal(err)
	}
	enc, err := wp.Encode("我在北京 2000")
	if err != nil {
		t.Fatal(err)
	}
	// 在 and 2 occur once: below minCount, they are unknown.
	if got, want := enc.Tokens, []string{"我", UnkToken, "北", "京", UnkToken}; !slices.Equal(got, want) {
		t.Errorf("tokens = %q, want %q", got, want)
	}
	all, err := CharacterVocab(texts, 1, true)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteVocab(path, all); err != nil {
		t.Fatal(err)
	}
	if wp, err = LoadVocab(path, true); err != nil {
		t.Fatal(err)
	}
	enc, err = wp.Encode("北京 2006 ab")
	if err != nil {
		t.Fatal(err)
	}
	// One character a Chinese word; other words spelt with "##" continuations; lower-cased.
	if got, want := enc.Tokens, []string{"北", "京", "2", "##0", "##0", "##6", "a", "##b"}; !slices.Equal(got, want) {
		t.Errorf("tokens = %q, want %q", got, want)
	}
	if slices.Contains(all, "##北") || slices.Contains(all, "A") {
		t.Errorf("vocab holds an ideograph continuation or an upper-case letter: %q", all)
	}
}

func TestCharacterVocabErrors(t *testing.T) {
	if _, err := CharacterVocab([]string{"  \t", ""}, 1, true); err == nil || !strings.Contains(err.Error(), "no character") {
		t.Errorf("blank texts: err = %v", err)
	}
	dir := t.TempDir()
	for _, bad := range [][]string{{"a", "a"}, {"a", "b\nc"}, {""}} {
		path := filepath.Join(dir, "vocab.txt")
		if err := WriteVocab(path, bad); err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("WriteVocab(%q): err = %v, want one naming the file", bad, err)
		}
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Errorf("WriteVocab(%q) left a file", bad)
		}
	}
}
