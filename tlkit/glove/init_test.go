package glove_test

import (
	"math"
	"slices"
	"testing"

	"github.com/nlp-transfer/gotl/tlkit/glove"
)

func TestInitMatrix(t *testing.T) {
	v := tinyVectors(t, 0)
	vocab := []string{"[PAD]", "[UNK]", "<s>", "King", "queen", "zzz", "CAFÉ", ",", "qqq"}
	m, found := v.InitMatrix(vocab, 4, 7)
	if len(m) != len(vocab) || found != 4 {
		t.Fatalf("%d rows, %d found; want %d rows, 4 found (King, queen, CAFÉ and ,)", len(m), found, len(vocab))
	}
	zero := make([]float32, 4)
	for i := range 3 {
		if !slices.Equal(m[i], zero) {
			t.Errorf("special %q: row %v, want zeros", vocab[i], m[i])
		}
	}
	for i, want := range map[int][]float32{3: tinyVecs[6], 4: tinyVecs[7], 6: tinyVecs[10], 7: tinyVecs[1]} {
		if !slices.Equal(m[i], want) {
			t.Errorf("%q: row %v, want its GloVe vector %v", vocab[i], m[i], want)
		}
	}
	if slices.Equal(m[5], zero) || slices.Equal(m[5], m[8]) {
		t.Errorf("unknown words: rows %v and %v, want distinct random values", m[5], m[8])
	}

	again, _ := v.InitMatrix(vocab, 4, 7)
	other, _ := v.InitMatrix(vocab, 4, 8)
	for i := range m {
		if !slices.Equal(m[i], again[i]) {
			t.Errorf("row %d differs between two calls with seed 7", i)
		}
	}
	if slices.Equal(m[5], other[5]) || !slices.Equal(m[4], other[4]) {
		t.Error("seed 8: want different random rows and the same GloVe rows")
	}
}

func TestInitMatrixRandomRowsMatchTheVectorsSpread(t *testing.T) {
	v := tinyVectors(t, 0)
	vocab := make([]string, 2000)
	for i := range vocab {
		vocab[i] = "unknown" + string(rune('a'+i%26)) + string(rune('a'+i/26))
	}
	m, found := v.InitMatrix(vocab, 4, 1)
	if found != 0 {
		t.Fatalf("found %d, want 0", found)
	}
	var sum, sumSq float64
	for _, row := range m {
		for _, x := range row {
			sum += float64(x)
			sumSq += float64(x) * float64(x)
		}
	}
	n := float64(len(vocab) * 4)
	std := math.Sqrt(sumSq/n - (sum/n)*(sum/n))
	if want := v.Std(); math.Abs(std-want) > 0.05*want || math.Abs(sum/n) > 0.05*want {
		t.Errorf("random rows: mean %.3f std %.3f, want mean 0 and std %.3f", sum/n, std, want)
	}
}

func TestInitMatrixPanicsOnWrongWidth(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("InitMatrix with dim 100 of 4-d vectors did not panic")
		}
	}()
	tinyVectors(t, 0).InitMatrix([]string{"king"}, 100, 1)
}

func TestIsSpecial(t *testing.T) {
	for tok, want := range map[string]bool{"[PAD]": true, "[CLS]": true, "<unk>": true, "<s>": true,
		"[": false, "<>": false, "[]": false, "king": false, "##ing": false, "<a": false} {
		if got := glove.IsSpecial(tok); got != want {
			t.Errorf("IsSpecial(%q) = %v, want %v", tok, got, want)
		}
	}
}
