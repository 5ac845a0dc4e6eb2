package adapt_test

import (
	"math"
	"testing"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit"
	"github.com/nlp-transfer/gotl/tlkit/adapt"
)

// TestProxyADistanceOnReviews checks the A-distance on real text, with GloVe features (fast):
// Amazon book reviews against SST-2 movie sentences are plainly different domains; two
// random halves of the book reviews are not.
func TestProxyADistanceOnReviews(t *testing.T) {
	if testing.Short() {
		t.Skip("embeds 2400 texts")
	}
	store := data.DefaultStore()
	store.Offline = true
	books, err := data.LoadAmazon(store, "books")
	if err != nil {
		t.Skipf("amazon unavailable: %v", err)
	}
	sst2, err := data.LoadSST2(store)
	if err != nil {
		t.Skipf("sst2 unavailable: %v", err)
	}
	enc, err := tlkit.LoadEncoder("glove:20000", store)
	if err != nil {
		t.Skipf("GloVe unavailable (run make setup): %v", err)
	}
	opts := tlkit.FeatureOptions{CacheDir: tlkit.NoCache}
	b, err := tlkit.ExtractFeatures(enc, books.Texts(books.Train), opts)
	if err != nil {
		t.Fatal(err)
	}
	s, err := tlkit.ExtractFeatures(enc, sst2.Texts(sst2.Train[:800]), opts)
	if err != nil {
		t.Fatal(err)
	}
	diff, err := adapt.ProxyADistance(b[:800], s, adapt.PADOptions{})
	if err != nil {
		t.Fatal(err)
	}
	same, err := adapt.ProxyADistance(b[:800], b[800:], adapt.PADOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("PAD books vs sst2 %.3f, books vs books %.3f", diff.Distance, same.Distance)
	if diff.Distance < 1.5 {
		t.Errorf("PAD of amazon books vs SST-2 = %.3f, want ≥ 1.5", diff.Distance)
	}
	if math.Abs(same.Distance) > 0.3 {
		t.Errorf("PAD of two random halves of amazon books = %.3f, want near 0", same.Distance)
	}
}
