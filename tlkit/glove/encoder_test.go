package glove_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/glove"
)

func tinyEncoder(t *testing.T) *glove.Encoder {
	t.Helper()
	enc, err := glove.NewEncoder(tinyVectors(t, 0))
	if err != nil {
		t.Fatal(err)
	}
	return enc
}

func TestEncoderDescription(t *testing.T) {
	enc := tinyEncoder(t)
	if enc.Name() != "glove-4d-13" || enc.Dim() != 4 || enc.MaxTokens() != glove.DefaultMaxTokens {
		t.Fatalf("Name %q Dim %d MaxTokens %d", enc.Name(), enc.Dim(), enc.MaxTokens())
	}
	if got := encoder.LayerNames(enc); !slices.Equal(got, []string{"embeddings"}) {
		t.Fatalf("layers %q, want [embeddings]", got)
	}
	table := enc.Layers()[0].Variables[0]
	if !table.Trainable || table.Shape().Dim(0) != 15 || table.Shape().Dim(1) != 4 {
		t.Fatalf("table %s trainable=%v, want trainable [15, 4]", table.Shape(), table.Trainable)
	}
	if err := encoder.SetTrainable(enc, false, "embeddings"); err != nil || table.Trainable {
		t.Fatalf("SetTrainable(false): err %v, trainable %v", err, table.Trainable)
	}
	if err := enc.SetMaxTokens(0); err == nil {
		t.Error("SetMaxTokens(0): no error")
	}
}

func TestEncoderTokenize(t *testing.T) {
	enc := tinyEncoder(t)
	// Word i is id i+2; unknown words are dropped.
	ids, err := enc.Tokenize([]string{"The good, the BAD", "zzz king qqq"})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]int32{{2, 5, 3, 2, 7}, {8}}
	for i := range want {
		if !slices.Equal(ids[i], want[i]) {
			t.Errorf("text %d: ids %v, want %v", i, ids[i], want[i])
		}
	}

	_, err = enc.Tokenize([]string{"good", " \n "})
	if !errors.Is(err, encoder.ErrEmptyText) || !strings.Contains(err.Error(), "text 1") {
		t.Errorf("blank text: error %v, want ErrEmptyText naming text 1", err)
	}
	ids, err = enc.Tokenize([]string{"good", "great", "zzz qqq"})
	if err != nil || !slices.Equal(ids[2], []int32{glove.UnkID}) {
		t.Errorf("all-unknown text: ids %v, err %v; want the single id UnkID", ids, err)
	}

	if err := enc.SetMaxTokens(3); err != nil {
		t.Fatal(err)
	}
	ids, err = enc.Tokenize([]string{"zzz good great bad king queen"})
	if err != nil || !slices.Equal(ids[0], []int32{5, 6, 7}) {
		t.Errorf("MaxTokens 3: ids %v, err %v; want the first 3 known words [5 6 7]", ids, err)
	}

	if got := enc.WordIDs([]string{"King", "zzz", "Café", "the"}); !slices.Equal(got, []int32{8, glove.UnkID, 12, 2}) {
		t.Errorf("WordIDs = %v, want [8 %d 12 2]", got, glove.UnkID)
	}
}

// handMean returns the mean of the tiny vectors of the given words.
func handMean(words ...string) []float32 {
	mean := make([]float32, 4)
	for _, w := range words {
		i := slices.Index(tinyWords, w)
		for j := range mean {
			mean[j] += tinyVecs[i][j] / float32(len(words))
		}
	}
	return mean
}

func TestEncoderMeanPooling(t *testing.T) {
	enc := tinyEncoder(t)
	runner := encoder.NewRunner(testBackend(t), enc)
	texts := []string{"good", "The king and the queen.", "great zzz bad", "A well-known cafe!"}
	wantWords := [][]string{{"good"}, {"the", "king", "the", "queen", "."}, {"great", "bad"}, {"well-known", "cafe"}}
	for _, p := range []encoder.Pooling{encoder.PoolNative, encoder.PoolMean} {
		got, err := runner.Embed(texts, p)
		if err != nil {
			t.Fatal(err)
		}
		for i, words := range wantWords {
			if want := handMean(words...); !near(got[i], want, 1e-6) {
				t.Errorf("%s pooling, text %d %q: got %v, want the mean of %q %v", p, i, texts[i], got[i], words, want)
			}
			plain, n, err := enc.Vectors().Mean(texts[i])
			if err != nil || n != len(words) || !near(plain, got[i], 1e-6) {
				t.Errorf("Vectors.Mean(%q) = %v over %d tokens (err %v), want %v over %d", texts[i], plain, n, err, got[i], len(words))
			}
		}
	}

	states, _, err := runner.TokenStates([]string{"queen zzz the"})
	if err != nil {
		t.Fatal(err)
	}
	if len(states[0]) != 2 || !near(states[0][0], tinyVecs[7], 0) || !near(states[0][1], tinyVecs[0], 0) {
		t.Errorf("token states %v, want the vectors of queen and the", states[0])
	}

	// Unknown-word rows (from WordIDs) are zero states and left out of the native mean only.
	ids := [][]int32{enc.WordIDs([]string{"good", "zzz", "bad", "qqq"})}
	native, err := runner.EmbedTokens(ids, encoder.PoolNative)
	if err != nil {
		t.Fatal(err)
	}
	if want := handMean("good", "bad"); !near(native[0], want, 1e-6) {
		t.Errorf("native pooling with [UNK] ids: got %v, want the mean of the known words %v", native[0], want)
	}
	mean, err := runner.EmbedTokens(ids, encoder.PoolMean)
	if err != nil {
		t.Fatal(err)
	}
	sum := handMean("good", "bad")
	for j := range sum {
		sum[j] /= 2 // Two known words of four tokens.
	}
	if !near(mean[0], sum, 1e-6) {
		t.Errorf("mean pooling with [UNK] ids: got %v, want %v", mean[0], sum)
	}
}
