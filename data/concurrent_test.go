package data

import (
	"archive/tar"
	"context"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// TestFetchNpmConcurrent fetches one npm asset from six goroutines at once into an empty
// cache, as concurrent processes sharing the cache do: each packs and unpacks its own copy,
// one rename wins, every caller gets the same complete folder, and nothing else is left.
func TestFetchNpmConcurrent(t *testing.T) {
	tgz := npmTestTgz(t, []npmTestEntry{
		{name: "package/package.json", body: `{"name":"@test/fake-pkg","version":"1.0.0"}`, typ: tar.TypeReg},
		{name: "package/data/words.txt", body: "hello\nworld\n", typ: tar.TypeReg},
	})
	npm, _ := npmTestFake(t, tgz, "")
	a := npmTestAsset(tgz)
	s := &Store{CacheDir: t.TempDir(), Npm: npm, Progress: io.Discard}
	const n = 6
	dirs, origins, errs := make([]string, n), make([]Origin, n), make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			dirs[i], origins[i], errs[i] = s.FetchNpm(context.Background(), a)
		})
	}
	close(start)
	wg.Wait()
	downloads := 0
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("fetch %d: %v", i, errs[i])
		}
		if dirs[i] != dirs[0] {
			t.Errorf("fetch %d: folder %s, fetch 0: %s", i, dirs[i], dirs[0])
		}
		if origins[i] == FromDownload {
			downloads++
		}
	}
	if downloads != 1 {
		t.Errorf("%d fetches report publishing the folder, want exactly 1 (origins %v)", downloads, origins)
	}
	if got, err := os.ReadFile(filepath.Join(dirs[0], "data", "words.txt")); err != nil || string(got) != "hello\nworld\n" {
		t.Errorf("data/words.txt = %q, %v", got, err)
	}
	if files := storeTestFilesIn(t, s.CacheDir); len(files) != 2 {
		t.Errorf("cache holds %v, want package.json and data/words.txt only", files)
	}
}
