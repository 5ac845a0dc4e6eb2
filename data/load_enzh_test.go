package data

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseTranslationPairs(t *testing.T) {
	pairs, err := ParseTranslationPairs([]byte("Hi.\t嗨。\r\n\nRun!\t跑！\tCC-BY 2.0 (France)\n"), "cmn.txt")
	if err != nil {
		t.Fatal(err)
	}
	if want := []TranslationPair{{"Hi.", "嗨。"}, {"Run!", "跑！"}}; fmt.Sprint(pairs) != fmt.Sprint(want) {
		t.Errorf("pairs = %v, want %v", pairs, want)
	}
	for raw, want := range map[string]string{
		"Hi.\t嗨。\nno tab here\n": "cmn.txt:2: want SOURCE<TAB>TARGET",
		"Hi.\t \n":               "cmn.txt:1: empty sentence on the target side",
		"\t嗨。\n":                 "cmn.txt:1: empty sentence on the source side",
		"Hi.\t\xff\n":            "cmn.txt:1: not valid UTF-8",
		"\n\n":                   "cmn.txt: no sentence pairs",
	} {
		if _, err := ParseTranslationPairs([]byte(raw), "cmn.txt"); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err = %v, want %q", raw, err, want)
		}
	}
}

// checkNoShared fails if a source or target sentence of test occurs in train.
func checkNoShared(t *testing.T, train, test []TranslationPair) {
	t.Helper()
	src, tgt := map[string]bool{}, map[string]bool{}
	for _, p := range train {
		src[p.Source], tgt[p.Target] = true, true
	}
	for _, p := range test {
		if src[p.Source] || tgt[p.Target] {
			t.Fatalf("test pair %v shares a sentence with training", p)
		}
	}
}

func TestSplitPairs(t *testing.T) {
	// a–x, a–y and b–y are one group (a shares a source, y a target); c–z, d–w and e–v alone.
	pairs := []TranslationPair{{"a", "x"}, {"c", "z"}, {"a", "y"}, {"d", "w"}, {"b", "y"}, {"e", "v"}}
	for seed := range uint64(20) {
		train, test, err := SplitPairs(pairs, 3, seed)
		if err != nil {
			t.Fatal(err)
		}
		if len(train) != 3 || len(test) != 3 {
			t.Fatalf("seed %d: %d train, %d test; want 3 and 3", seed, len(train), len(test))
		}
		checkNoShared(t, train, test)
		if _, _, err := SplitPairs(pairs, 2, seed); err != nil {
			t.Fatalf("seed %d, 2 test pairs: %v", seed, err) // two of the single pairs
		}
	}
	if _, _, err := SplitPairs(pairs[:3], 1, 1); err != nil {
		t.Fatal(err) // c–z
	}
	if _, _, err := SplitPairs([]TranslationPair{{"a", "x"}, {"a", "y"}, {"b", "y"}}, 1, 1); err == nil || !strings.Contains(err.Error(), "cannot make 1 test pairs") {
		t.Errorf("one group of 3, 1 test pair: err = %v", err)
	}
	if _, _, err := SplitPairs(pairs, 6, 1); err == nil {
		t.Error("all pairs in test: want an error")
	}
}

func TestLoadEnZh(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "en_zh"), 0o755); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for i := range 1200 {
		fmt.Fprintf(&b, "Sentence %d.\t句子%d。\n", i, i)
	}
	if err := os.WriteFile(filepath.Join(dir, "en_zh", "cmn.txt"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := loadEnZh(func(name string) (string, error) { return filepath.Join(dir, name), nil })
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Train) != 200 || len(d.Test) != EnZhTestPairs {
		t.Errorf("%v, want 200 train and %d test pairs", d, EnZhTestPairs)
	}
	if _, err := loadEnZh(func(name string) (string, error) { return filepath.Join(dir, "missing", name), nil }); err == nil || !strings.Contains(err.Error(), "en_zh") {
		t.Errorf("missing file: err = %v", err)
	}

	real, err := LoadEnZh(loadTestStore(t))
	if err != nil {
		t.Fatal(err)
	}
	if got := len(real.Train) + len(real.Test); got != 21116 || len(real.Test) != EnZhTestPairs {
		t.Errorf("%v: want 21116 pairs, %d of them in test", real, EnZhTestPairs)
	}
	checkNoShared(t, real.Train, real.Test)
	again, err := LoadEnZh(loadTestStore(t))
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(again.Test) != fmt.Sprint(real.Test) {
		t.Error("the split is not reproducible")
	}
}
