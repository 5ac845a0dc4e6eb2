package probe

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/nlp-transfer/gotl/internal/testkit"
)

func TestSplitChunks(t *testing.T) {
	for _, c := range []struct {
		text  string
		words int
		want  []string
	}{
		{"One two. Three four five! Six?", 3, []string{"One two.", "Three four five!", "Six?"}},
		{"One two. Three four five! Six?", 5, []string{"One two. Three four five!", "Six?"}},
		{"a b c d e f g", 3, []string{"a b c", "d e f", "g"}},
		{"Short.  Very\nshort.", 80, []string{"Short. Very short."}},
		{"He said \"no.\" Then left. e.g. this", 2, []string{"He said", "\"no.\"", "Then left.", "e.g. this"}},
		{"   ", 5, nil},
	} {
		if got := SplitChunks(c.text, c.words); !slices.Equal(got, c.want) {
			t.Errorf("SplitChunks(%q, %d) = %q, want %q", c.text, c.words, got, c.want)
		}
	}
	// No word is lost or duplicated, and no chunk is longer than asked.
	text := strings.Repeat("This is a sentence of some length. ", 30) + strings.Repeat("word ", 100)
	chunks := SplitChunks(text, 17)
	if got, want := strings.Fields(strings.Join(chunks, " ")), strings.Fields(text); !slices.Equal(got, want) {
		t.Errorf("the chunks do not hold the text's %d words in order (%d words)", len(want), len(got))
	}
	for _, c := range chunks {
		if n := len(strings.Fields(c)); n > 17 {
			t.Errorf("chunk of %d words > 17: %q", n, c)
		}
	}
}

func TestExtractChunkedFeaturesAveragesChunks(t *testing.T) {
	enc := testkit.GloVe(t, 20000)
	texts := []string{"The kettle is great. It boils water fast and looks good on the counter.", "Broke after a week."}
	opts := FeatureOptions{CacheDir: t.TempDir()}
	got, err := ExtractChunkedFeatures(enc, texts, 6, opts)
	if err != nil {
		t.Fatal(err)
	}
	for i, text := range texts {
		chunks := SplitChunks(text, 6)
		vecs, err := ExtractFeatures(enc, chunks, FeatureOptions{CacheDir: NoCache})
		if err != nil {
			t.Fatal(err)
		}
		for j := range got[i] {
			mean := 0.0
			for _, v := range vecs {
				mean += float64(v[j]) / float64(len(vecs))
			}
			if math.Abs(mean-float64(got[i][j])) > 1e-5 {
				t.Fatalf("text %d (%d chunks), value %d: %g, want the chunks' mean %g", i, len(chunks), j, got[i][j], mean)
			}
		}
	}
	if _, err := ExtractChunkedFeatures(enc, []string{"fine", "  "}, 6, opts); err == nil || !strings.Contains(err.Error(), "text 1") {
		t.Errorf("a text without words: error %v, want one naming text 1", err)
	}
}
