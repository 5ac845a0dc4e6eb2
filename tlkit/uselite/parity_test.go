package uselite_test

import (
	"math"
	"slices"
	"testing"

	"github.com/nlp-transfer/gotl/tlkit/encoder"
)

// TestTokenizerParity checks the Go tokenizer against the TF.js one on every fixture sentence.
func TestTokenizerParity(t *testing.T) {
	m, _ := loadTestModel(t)
	ref := loadReference(t)
	for i, s := range ref.Sentences {
		got := m.Tokenizer().Encode(s.Text)
		if !slices.Equal(got, s.IDs) {
			t.Errorf("sentence %d %q:\n got ids %v\nwant ids %v", i, s.Text, got, s.IDs)
		}
	}
}

// TestEmbedParity checks the Runner's native sentence vectors against the TF.js embeddings of every fixture sentence.
func TestEmbedParity(t *testing.T) {
	_, r := loadTestModel(t)
	ref := loadReference(t)
	texts := make([]string, len(ref.Sentences))
	for i, s := range ref.Sentences {
		texts[i] = s.Text
	}
	got, err := r.Embed(texts, encoder.PoolNative)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(texts) {
		t.Fatalf("Embed returned %d vectors for %d texts", len(got), len(texts))
	}
	maxErr, worst := 0.0, -1
	for i, s := range ref.Sentences {
		if len(got[i]) != len(s.Embedding) {
			t.Fatalf("sentence %d: got %d dims, want %d", i, len(got[i]), len(s.Embedding))
		}
		for j := range got[i] {
			if d := math.Abs(float64(got[i][j] - s.Embedding[j])); d > maxErr || math.IsNaN(d) {
				maxErr, worst = d, i
			}
		}
	}
	t.Logf("max |Go - TF.js| over %d sentences × %d dims: %.3g (worst: sentence %d)",
		len(texts), len(got[0]), maxErr, worst)
	if !(maxErr < 1e-4) {
		t.Errorf("max abs error %.3g (sentence %d %q) exceeds 1e-4", maxErr, worst, texts[worst])
	}
}
