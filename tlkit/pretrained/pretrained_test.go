package pretrained

import (
	"github.com/nlp-transfer/gotl/internal/backend"
	"strings"
	"testing"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
)

func TestLoadEncoderSpecs(t *testing.T) {
	for _, c := range []struct{ spec, want string }{
		{"word2vec", `unknown encoder "word2vec"`},
		{"bert", "bert:DIR"},
		{"bert:", "bert:DIR"},
		{"glove:many", "positive integer"},
		{"glove:0", "positive integer"},
		{"use-lite:7", "takes no argument"},
		{"use-lite-scratch:x", "seed must be an integer"},
		{"bert:/nonexistent/checkpoint", "/nonexistent/checkpoint"},
	} {
		_, err := Load(c.spec, &data.Store{Offline: true, CacheDir: t.TempDir()})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Load(%q): error %v, want one containing %q", c.spec, err, c.want)
		}
	}
}

func TestLoadEncoderUSELite(t *testing.T) {
	store := data.DefaultStore()
	use, err := Load("use-lite", store)
	if err != nil {
		t.Skipf("USE-lite unavailable (run make setup): %v", err)
	}
	scratch, err := Load("use-lite-scratch:5", store)
	if err != nil {
		t.Fatal(err)
	}
	if use.Name() != "use-lite" || scratch.Name() != "use-lite-scratch:seed=5" {
		t.Errorf("names %q and %q, want use-lite and use-lite-scratch:seed=5", use.Name(), scratch.Name())
	}
	texts := []string{"a fine film", "a dreadful film"}
	a, err := encoder.NewRunner(backend.MustGet(), use).Embed(texts, encoder.PoolNative)
	if err != nil {
		t.Fatal(err)
	}
	b, err := encoder.NewRunner(backend.MustGet(), scratch).Embed(texts, encoder.PoolNative)
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != 2 || len(a[0]) != 512 || len(b[0]) != 512 {
		t.Fatalf("got %d vectors of %d and %d values, want 2 of 512", len(a), len(a[0]), len(b[0]))
	}
	same := true
	for j := range a[0] {
		same = same && a[0][j] == b[0][j]
	}
	if same {
		t.Error("the scratch encoder gives the pretrained encoder's vector")
	}
}
