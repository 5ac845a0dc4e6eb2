package probe

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nlp-transfer/gotl/internal/backend"
	"github.com/nlp-transfer/gotl/internal/quick"
	"github.com/nlp-transfer/gotl/internal/testkit"

	"github.com/gomlx/gomlx/core/tensors"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
)

var featTexts = []string{"a good film", "bad", "a truly dreadful and boring film", "fine", "not bad at all"}

// cacheFiles lists every file of dir (temporary files included).
func cacheFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func equalFeatures(a, b [][]float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if a[i][j] != b[i][j] {
				return false
			}
		}
	}
	return true
}

func TestExtractFeaturesCacheHit(t *testing.T) {
	enc := testkit.NewToyEncoder(t)
	dir := t.TempDir()
	opts := FeatureOptions{CacheDir: dir}
	first, err := ExtractFeatures(enc, featTexts, opts)
	if err != nil {
		t.Fatal(err)
	}
	if got := enc.Tokenized.Load(); got != 1 {
		t.Fatalf("first call ran the encoder %d times, want 1", got)
	}
	direct, err := encoder.NewRunner(backend.MustGet(), enc).Embed(featTexts, encoder.PoolNative)
	if err != nil {
		t.Fatal(err)
	}
	if !equalFeatures(first, direct) {
		t.Fatalf("ExtractFeatures = %v, want Embed's %v", first, direct)
	}
	enc.Tokenized.Store(0)
	second, err := ExtractFeatures(enc, featTexts, opts)
	if err != nil {
		t.Fatal(err)
	}
	if got := enc.Tokenized.Load(); got != 0 {
		t.Errorf("second call ran the encoder %d times, want 0 (cache hit)", got)
	}
	if !equalFeatures(first, second) {
		t.Errorf("cached features %v differ from computed %v", second, first)
	}
	files := cacheFiles(t, dir)
	if len(files) != 1 || !strings.HasSuffix(files[0], featureFileExt) || strings.HasPrefix(files[0], ".") {
		t.Errorf("cache folder holds %q, want one %s file and no temporary file", files, featureFileExt)
	}
}

func TestExtractFeaturesNoCache(t *testing.T) {
	enc := testkit.NewToyEncoder(t)
	dir := t.TempDir()
	if _, err := ExtractFeatures(enc, featTexts, FeatureOptions{CacheDir: NoCache}); err != nil {
		t.Fatal(err)
	}
	if _, err := ExtractFeatures(enc, featTexts, FeatureOptions{CacheDir: NoCache}); err != nil {
		t.Fatal(err)
	}
	if got := enc.Tokenized.Load(); got != 2 {
		t.Errorf("without a cache the encoder ran %d times for 2 calls, want 2", got)
	}
	if files := cacheFiles(t, dir); len(files) != 0 {
		t.Errorf("NoCache wrote %q", files)
	}
}

func TestFeatureKeyInvalidation(t *testing.T) {
	enc := testkit.NewToyEncoder(t)
	base, err := FeatureKey(enc, featTexts, encoder.PoolNative)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := FeatureKey(enc, append([]string(nil), featTexts...), encoder.PoolNative)
	if again != base {
		t.Errorf("same inputs gave keys %s and %s", base, again)
	}
	changedText := append([]string(nil), featTexts...)
	changedText[2] += "!"
	// Moving a boundary between texts must change the key too (texts are length-prefixed).
	joined := []string{"a good", "film", "bad"}
	joined2 := []string{"a good film", "bad"}
	k1, _ := FeatureKey(enc, joined, encoder.PoolNative)
	k2, _ := FeatureKey(enc, joined2, encoder.PoolNative)
	if k1 == k2 {
		t.Error("texts split differently gave the same key")
	}
	for name, texts := range map[string][]string{"a changed text": changedText, "a text fewer": featTexts[:4]} {
		k, _ := FeatureKey(enc, texts, encoder.PoolNative)
		if k == base {
			t.Errorf("%s: same key", name)
		}
	}
	if k, _ := FeatureKey(enc, featTexts, encoder.PoolMean); k == base {
		t.Error("another pooling: same key")
	}

	// Change one weight: a fine-tuned encoder must not hit the old cache.
	values := tensors.MustCopyFlatData[float32](enc.Table.MustValue())
	values[5] += 1e-6
	enc.Table.MustSetValue(tensors.FromFlatDataAndDimensions(values, testkit.ToyVocab, testkit.ToyDim))
	changed, _ := FeatureKey(enc, featTexts, encoder.PoolNative)
	if changed == base {
		t.Error("a changed weight: same key")
	}
	values[5] -= 1e-6
	enc.Table.MustSetValue(tensors.FromFlatDataAndDimensions(values, testkit.ToyVocab, testkit.ToyDim))
	if restored, _ := FeatureKey(enc, featTexts, encoder.PoolNative); restored != base {
		t.Error("restoring the weight did not restore the key")
	}
}

// TestExtractFeaturesAfterWeightChange checks that features computed after a weight change
// are fresh, not the cached ones.
func TestExtractFeaturesAfterWeightChange(t *testing.T) {
	enc := testkit.NewToyEncoder(t)
	opts := FeatureOptions{CacheDir: t.TempDir()}
	before, err := ExtractFeatures(enc, featTexts, opts)
	if err != nil {
		t.Fatal(err)
	}
	values := tensors.MustCopyFlatData[float32](enc.Table.MustValue())
	for i := range values {
		values[i] *= 2
	}
	enc.Table.MustSetValue(tensors.FromFlatDataAndDimensions(values, testkit.ToyVocab, testkit.ToyDim))
	after, err := ExtractFeatures(enc, featTexts, opts)
	if err != nil {
		t.Fatal(err)
	}
	if enc.Tokenized.Load() != 2 {
		t.Errorf("encoder ran %d times, want 2 (the weight change must miss the cache)", enc.Tokenized.Load())
	}
	for i := range before {
		for j := range before[i] {
			if after[i][j] != 2*before[i][j] {
				t.Fatalf("text %d: features %v after doubling the weights, want twice %v", i, after[i], before[i])
			}
		}
	}
}

func TestExtractFeaturesCorruptCache(t *testing.T) {
	enc := testkit.NewToyEncoder(t)
	dir := t.TempDir()
	opts := FeatureOptions{CacheDir: dir}
	want, err := ExtractFeatures(enc, featTexts, opts)
	if err != nil {
		t.Fatal(err)
	}
	key, err := FeatureKey(enc, featTexts, encoder.PoolNative)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, key+featureFileExt)
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for name, corrupt := range map[string][]byte{
		"truncated":   good[:len(good)-7],
		"empty":       {},
		"flipped bit": func() []byte { b := append([]byte(nil), good...); b[featureHeaderSize+3] ^= 0x10; return b }(),
		"wrong magic": func() []byte { b := append([]byte(nil), good...); b[0] = 'X'; return b }(),
	} {
		if err := os.WriteFile(path, corrupt, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := readFeatureFile(path, key, len(featTexts), testkit.ToyDim); err == nil {
			t.Errorf("%s: readFeatureFile accepted the file", name)
		}
		runs := enc.Tokenized.Load()
		got, err := ExtractFeatures(enc, featTexts, opts)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if enc.Tokenized.Load() != runs+1 {
			t.Errorf("%s: the encoder did not run again", name)
		}
		if !equalFeatures(got, want) {
			t.Errorf("%s: recomputed features %v, want %v", name, got, want)
		}
		if b, err := os.ReadFile(path); err != nil || string(b) != string(good) {
			t.Errorf("%s: the cache file was not rewritten whole (err %v)", name, err)
		}
	}
	// A file with another key's content (e.g. renamed by hand) is not used either.
	other, _ := FeatureKey(enc, featTexts[:4], encoder.PoolNative)
	if _, err := readFeatureFile(path, other, len(featTexts), testkit.ToyDim); err == nil {
		t.Error("readFeatureFile accepted a file written under another key")
	}
}

func TestExtractFeaturesConcurrentWriters(t *testing.T) {
	enc := testkit.NewToyEncoder(t)
	features, err := encoder.NewRunner(backend.MustGet(), enc).Embed(featTexts, encoder.PoolNative)
	if err != nil {
		t.Fatal(err)
	}
	key, _ := FeatureKey(enc, featTexts, encoder.PoolNative)
	dir := t.TempDir()
	path := filepath.Join(dir, key+featureFileExt)
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() { errs[i] = writeFeatureFile(path, key, features, testkit.ToyDim) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("writer %d: %v", i, err)
		}
	}
	got, err := readFeatureFile(path, key, len(featTexts), testkit.ToyDim)
	if err != nil || !equalFeatures(got, features) {
		t.Errorf("after concurrent writes: %v, %v", got, err)
	}
	if files := cacheFiles(t, dir); len(files) != 1 {
		t.Errorf("cache folder holds %q, want only the cache file", files)
	}
}

func TestExtractSplits(t *testing.T) {
	enc := testkit.NewToyEncoder(t)
	task := &data.TextClassification{Name: "toy", Labels: []string{"neg", "pos"},
		Train: []data.Example{{Text: "good", Label: 1}, {Text: "bad", Label: 0}},
		Test:  []data.Example{{Text: "fine film", Label: 1}}}
	var progress []int
	train, dev, test, err := ExtractSplits(enc, task, FeatureOptions{CacheDir: t.TempDir(), Progress: func(done, total int) {
		progress = append(progress, done, total)
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(train) != 2 || len(dev) != 0 || len(test) != 1 || len(test[0]) != testkit.ToyDim {
		t.Errorf("got %d/%d/%d vectors, want 2/0/1", len(train), len(dev), len(test))
	}
	if fmt.Sprint(progress) != "[2 2 1 1]" {
		t.Errorf("progress reports %v, want [2 2 1 1]", progress)
	}
}

// TestExtractFeaturesUSELite measures the cache on SST-2 train with USE-lite (skipped in -short
// mode and when USE-lite or SST-2 is unavailable): the first call runs the encoder, the
// second must read the cache in well under a second. It embeds the first 1000 texts (about
// 10 s); set TLKIT_FEATURES_FULL=1 for all 6920 (about 85 s on 2 cores, then 0.08 s).
func TestExtractFeaturesUSELite(t *testing.T) {
	if testing.Short() {
		t.Skip("runs USE-lite on SST-2 train (about a minute)")
	}
	enc, task := testkit.USELite(t), testkit.SST2(t)
	texts := task.Texts(task.Train)
	if os.Getenv("TLKIT_FEATURES_FULL") == "" {
		texts = texts[:quick.Or(300, 1000)]
	}
	start := time.Now()
	weights, err := WeightsFingerprint(enc.Store())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("weights fingerprint of %d bytes of variables: %v (%x…)", enc.Store().ByteSize(), time.Since(start), weights[:4])
	opts := FeatureOptions{CacheDir: t.TempDir()}
	start = time.Now()
	first, err := ExtractFeatures(enc, texts, opts)
	if err != nil {
		t.Fatal(err)
	}
	firstTime := time.Since(start)
	start = time.Now()
	second, err := ExtractFeatures(enc, texts, opts)
	if err != nil {
		t.Fatal(err)
	}
	secondTime := time.Since(start)
	t.Logf("SST-2 train (%d texts) with USE-lite: first call %v, second call %v", len(texts), firstTime, secondTime)
	if !equalFeatures(first, second) {
		t.Error("cached features differ")
	}
	if secondTime > time.Second {
		t.Errorf("second call took %v, want a cache hit well under a second", secondTime)
	}
}
