package wordpiece

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
)

func newBert(t *testing.T) *Tokenizer {
	t.Helper()
	wp, err := NewBertUncased()
	if err != nil {
		t.Fatalf("NewBertUncased: %v", err)
	}
	return wp
}

// Expected values are bert-base-uncased tokenizations as given by Hugging Face.
func TestBertUncasedEncode(t *testing.T) {
	wp := newBert(t)
	if got := wp.VocabSize(); got != 30522 {
		t.Errorf("VocabSize() = %d, want 30522", got)
	}
	for _, tc := range []struct {
		text   string
		tokens []string
		ids    []int
	}{
		{"Hello, world!", []string{"hello", ",", "world", "!"}, []int{7592, 1010, 2088, 999}},
		{"unaffable", []string{"una", "##ffa", "##ble"}, []int{14477, 20961, 3468}},
		{"Héllo", []string{"hello"}, []int{7592}},
		{"CAFÉ naïve", []string{"cafe", "naive"}, []int{7668, 15743}},
		{"the [MASK] sat", []string{"the", "[MASK]", "sat"}, []int{1996, 103, 2938}},
		{"日本", []string{"日", "本"}, []int{1864, 1876}},
	} {
		enc, err := wp.Encode(tc.text)
		if err != nil {
			t.Errorf("Encode(%q): %v", tc.text, err)
			continue
		}
		if !reflect.DeepEqual(enc.Tokens, tc.tokens) || !reflect.DeepEqual(enc.IDs, tc.ids) {
			t.Errorf("Encode(%q) = %q %v, want %q %v", tc.text, enc.Tokens, enc.IDs, tc.tokens, tc.ids)
		}
		if len(enc.Offsets) != enc.Len() || len(enc.WordIDs) != enc.Len() {
			t.Errorf("Encode(%q): %d offsets and %d word ids for %d tokens", tc.text, len(enc.Offsets), len(enc.WordIDs), enc.Len())
		}
	}
}

func TestBertUncasedOffsetsAndWords(t *testing.T) {
	wp := newBert(t)
	text := "Héllo, unaffable world"
	enc, err := wp.Encode(text)
	if err != nil {
		t.Fatal(err)
	}
	var spans []string
	for _, o := range enc.Offsets {
		spans = append(spans, text[o[0]:o[1]])
	}
	wantSpans := []string{"Héllo", ",", "una", "ffa", "ble", "world"}
	if !reflect.DeepEqual(spans, wantSpans) {
		t.Errorf("offset spans = %q, want %q", spans, wantSpans)
	}
	if want := []int{0, 1, 2, 2, 2, 3}; !reflect.DeepEqual(enc.WordIDs, want) {
		t.Errorf("WordIDs = %v, want %v", enc.WordIDs, want)
	}
}

func TestBertUncasedSpecialAndMaxLen(t *testing.T) {
	wp := newBert(t)
	if id, ok := wp.TokenToID(ClsToken); !ok || id != 101 {
		t.Errorf("TokenToID(%q) = %d, %v; want 101", ClsToken, id, ok)
	}
	if id, ok := wp.TokenToID(SepToken); !ok || id != 102 {
		t.Errorf("TokenToID(%q) = %d, %v; want 102", SepToken, id, ok)
	}
	if tok, ok := wp.IDToToken(7592); !ok || tok != "hello" {
		t.Errorf("IDToToken(7592) = %q, %v; want hello", tok, ok)
	}
	if _, ok := wp.IDToToken(wp.VocabSize()); ok {
		t.Errorf("IDToToken(VocabSize()) reported ok")
	}
	if _, ok := wp.TokenToID("no-such-token-xyz"); ok {
		t.Errorf("TokenToID of a missing token reported ok")
	}

	enc, err := wp.EncodeWith("Hello, world!", EncodeOptions{AddSpecial: true})
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{101, 7592, 1010, 2088, 999, 102}; !reflect.DeepEqual(enc.IDs, want) {
		t.Errorf("IDs with specials = %v, want %v", enc.IDs, want)
	}
	if want := []int{-1, 0, 1, 2, 3, -1}; !reflect.DeepEqual(enc.WordIDs, want) {
		t.Errorf("WordIDs with specials = %v, want %v", enc.WordIDs, want)
	}
	if enc.Offsets[0] != [2]int{0, 0} || enc.Offsets[5] != [2]int{0, 0} {
		t.Errorf("special token offsets = %v, %v; want [0 0]", enc.Offsets[0], enc.Offsets[5])
	}

	enc, err = wp.EncodeWith("Hello, world!", EncodeOptions{AddSpecial: true, MaxLen: 4})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"[CLS]", "hello", ",", "[SEP]"}; !reflect.DeepEqual(enc.Tokens, want) {
		t.Errorf("MaxLen=4 tokens = %q, want %q", enc.Tokens, want)
	}
	enc, err = wp.EncodeWith("Hello, world!", EncodeOptions{MaxLen: 3})
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{7592, 1010, 2088}; !reflect.DeepEqual(enc.IDs, want) {
		t.Errorf("MaxLen=3 ids = %v, want %v", enc.IDs, want)
	}
	if _, err := wp.EncodeWith("x", EncodeOptions{AddSpecial: true, MaxLen: 1}); err == nil {
		t.Errorf("MaxLen=1 with AddSpecial: want error")
	}
	if _, err := wp.EncodeWith("x", EncodeOptions{MaxLen: -1}); err == nil {
		t.Errorf("MaxLen=-1: want error")
	}
}

func TestBertUncasedEmptyAndInvalid(t *testing.T) {
	wp := newBert(t)
	for _, text := range []string{"", "  \t\n", "\x00\x01"} {
		enc, err := wp.Encode(text)
		if err != nil || enc.Len() != 0 {
			t.Errorf("Encode(%q) = %v, %v; want empty encoding, no error", text, enc, err)
		}
		enc, err = wp.EncodeWith(text, EncodeOptions{AddSpecial: true})
		if err != nil || !reflect.DeepEqual(enc.IDs, []int{101, 102}) {
			t.Errorf("EncodeWith(%q, AddSpecial) = %v, %v; want [101 102]", text, enc.IDs, err)
		}
	}
	_, err := wp.Encode("ok \xff\xfe bad")
	if err == nil {
		t.Fatal("Encode(invalid UTF-8): want error")
	}
	if !strings.Contains(err.Error(), "UTF-8") || !strings.Contains(err.Error(), "offset 3") {
		t.Errorf("error %q should name UTF-8 and the offset 3 of the bad byte", err)
	}
}

func TestBertUncasedDecode(t *testing.T) {
	wp := newBert(t)
	for _, tc := range []struct{ text, want string }{
		{"Hello, world!", "hello, world!"},
		{"Unaffable Héllo?", "unaffable hello?"},
		{"It's fine, isn't it?", "it's fine, isn't it?"},
	} {
		enc, err := wp.EncodeWith(tc.text, EncodeOptions{AddSpecial: true})
		if err != nil {
			t.Fatal(err)
		}
		if got := wp.Decode(enc.IDs); got != tc.want {
			t.Errorf("Decode(Encode(%q)) = %q, want %q", tc.text, got, tc.want)
		}
	}
	if got := wp.Decode([]int{7592, 100, 1 << 30}); got != "hello [UNK] [UNK]" {
		t.Errorf("Decode with [UNK] and an unknown id = %q, want %q", got, "hello [UNK] [UNK]")
	}
	if got := wp.Decode(nil); got != "" {
		t.Errorf("Decode(nil) = %q, want empty", got)
	}
}

func TestWordPieceConcurrent(t *testing.T) {
	wp := newBert(t)
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				enc, err := wp.Encode("Héllo, unaffable world!")
				if err != nil || len(enc.IDs) != 7 || enc.IDs[0] != 7592 || enc.IDs[6] != 999 {
					errs <- "concurrent Encode gave a wrong result"
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestLoadWordPieceVocab(t *testing.T) {
	dir := t.TempDir()
	vocab := filepath.Join(dir, "vocab.txt")
	lines := []string{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "Go", "go", "##pher", "!", "é"}
	if err := os.WriteFile(vocab, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cased, err := LoadVocab(vocab, false)
	if err != nil {
		t.Fatal(err)
	}
	if cased.VocabSize() != len(lines) {
		t.Errorf("VocabSize() = %d, want %d", cased.VocabSize(), len(lines))
	}
	enc, err := cased.EncodeWith("Gopher go! é zzz", EncodeOptions{AddSpecial: true})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"[CLS]", "Go", "##pher", "go", "!", "é", "[UNK]", "[SEP]"}; !reflect.DeepEqual(enc.Tokens, want) {
		t.Errorf("cased tokens = %q, want %q", enc.Tokens, want)
	}
	uncased, err := LoadVocab(vocab, true)
	if err != nil {
		t.Fatal(err)
	}
	enc, err = uncased.Encode("Gopher GO")
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{6, 7, 6}; !reflect.DeepEqual(enc.IDs, want) {
		t.Errorf("uncased ids = %v, want %v", enc.IDs, want)
	}

	// A vocabulary without [UNK] is rejected; one without [CLS]/[SEP] cannot AddSpecial.
	bad := filepath.Join(dir, "bad.txt")
	if err := os.WriteFile(bad, []byte("a\nb\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadVocab(bad, true); err == nil || !strings.Contains(err.Error(), "[UNK]") {
		t.Errorf("vocabulary without [UNK]: err = %v, want one naming [UNK]", err)
	}
	noCLS := filepath.Join(dir, "nocls.txt")
	if err := os.WriteFile(noCLS, []byte("[UNK]\na\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	wp, err := LoadVocab(noCLS, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := wp.EncodeWith("a", EncodeOptions{AddSpecial: true}); err == nil {
		t.Errorf("AddSpecial without [CLS] in the vocabulary: want error")
	}
	if _, err := LoadVocab(filepath.Join(dir, "missing.txt"), true); err == nil {
		t.Errorf("missing vocabulary file: want error")
	}
}

func TestBertVocabEnvVar(t *testing.T) {
	t.Setenv(BertVocabEnvVar, filepath.Join(t.TempDir(), "nope.txt"))
	if _, err := NewBertUncased(); err == nil || !strings.Contains(err.Error(), BertVocabEnvVar) {
		t.Errorf("bad $%s: err = %v, want one naming the variable", BertVocabEnvVar, err)
	}
}
