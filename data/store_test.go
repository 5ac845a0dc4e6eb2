package data

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// storeTestFile returns a synthetic registry file with the given content, downloadable
// from baseURL + "/" + its name.
func storeTestFile(content []byte, baseURL string) File {
	sum := sha256.Sum256(content)
	f := File{
		Name:    "testset/sub/file.txt",
		Dataset: "testset",
		Source:  "test",
		Size:    int64(len(content)),
		Sha256:  hex.EncodeToString(sum[:]),
		License: "test",
	}
	if baseURL != "" {
		f.URL = baseURL + "/" + f.Name
	}
	return f
}

// storeTestContent is the content of storeTestFile in most tests.
var storeTestContent = bytes.Repeat([]byte("0123456789abcdef gotl data\n"), 5000)

// storeTestFilesIn returns the regular files under dir (relative paths).
func storeTestFilesIn(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) {
				return nil
			}
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, path)
			files = append(files, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// storeTestServer serves body for every request (through serve when not nil) and counts
// the requests.
func storeTestServer(t *testing.T, serve func(w http.ResponseWriter, r *http.Request)) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		serve(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

func serveBytes(body []byte) func(w http.ResponseWriter, r *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body)
	}
}

func TestStoreMirror(t *testing.T) {
	mirror := t.TempDir()
	f := storeTestFile(storeTestContent, "")
	want := filepath.Join(mirror, "testset", "sub", "file.txt")
	os.MkdirAll(filepath.Dir(want), 0o755)
	if err := os.WriteFile(want, storeTestContent, 0o644); err != nil {
		t.Fatal(err)
	}
	s := &Store{Mirror: mirror, CacheDir: t.TempDir(), Offline: true}
	path, origin, err := s.locate(context.Background(), f)
	if err != nil || path != want || origin != FromMirror {
		t.Fatalf("locate = %q, %q, %v; want %q, mirror", path, origin, err, want)
	}

	// A corrupt mirror file is an error naming the file and both sums, and is not used
	// even when the cache holds a good copy.
	cached := s.cachePath(f)
	os.MkdirAll(filepath.Dir(cached), 0o755)
	os.WriteFile(cached, storeTestContent, 0o644)
	bad := bytes.Clone(storeTestContent)
	bad[100] ^= 1
	os.WriteFile(want, bad, 0o644)
	badSum := sha256.Sum256(bad)
	_, _, err = s.locate(context.Background(), f)
	if err == nil {
		t.Fatal("locate used a corrupt mirror file")
	}
	for _, part := range []string{want, f.Sha256, hex.EncodeToString(badSum[:])} {
		if !strings.Contains(err.Error(), part) {
			t.Errorf("error %q does not contain %q", err, part)
		}
	}
}

// TestStoreRealMirror checks every registry file of the real mirror through Path, and a
// corrupted copy of one of them.
func TestStoreRealMirror(t *testing.T) {
	mirror := storeTestMirror(t)
	cache := t.TempDir()
	s := &Store{Mirror: mirror, CacheDir: cache, Offline: true}
	for _, f := range Files() {
		path, err := s.Path(f.Name)
		if err != nil {
			t.Errorf("Path(%s): %v", f.Name, err)
			continue
		}
		if want := filepath.Join(mirror, filepath.FromSlash(f.Name)); path != want {
			t.Errorf("Path(%s) = %q, want %q", f.Name, path, want)
		}
	}
	if files := storeTestFilesIn(t, cache); len(files) != 0 {
		t.Errorf("reading from the mirror wrote %v into the cache", files)
	}

	// A copy of the mirror with one byte flipped.
	const name = "sst2/stsa.binary.dev"
	content, err := os.ReadFile(filepath.Join(mirror, name))
	if err != nil {
		t.Fatal(err)
	}
	content[len(content)/2] ^= 0x20
	bad := t.TempDir()
	badPath := filepath.Join(bad, filepath.FromSlash(name))
	os.MkdirAll(filepath.Dir(badPath), 0o755)
	os.WriteFile(badPath, content, 0o644)
	s.Mirror = bad
	_, err = s.Path(name)
	f, _ := Lookup(name)
	sum := sha256.Sum256(content)
	if err == nil || !strings.Contains(err.Error(), f.Sha256) || !strings.Contains(err.Error(), hex.EncodeToString(sum[:])) ||
		!strings.Contains(err.Error(), badPath) {
		t.Errorf("Path(%s) in a corrupt mirror: error %v, want one naming %s, the expected and the actual sha256", name, err, badPath)
	}
}

func TestStoreDownload(t *testing.T) {
	srv, hits := storeTestServer(t, serveBytes(storeTestContent))
	f := storeTestFile(storeTestContent, srv.URL)
	var progress bytes.Buffer
	s := &Store{CacheDir: t.TempDir(), Progress: &progress}
	path, origin, err := s.locate(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	if origin != FromDownload || path != filepath.Join(s.CacheDir, "datasets", "testset", "sub", "file.txt") {
		t.Errorf("locate = %q, %q; want the cache path, download", path, origin)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, storeTestContent) {
		t.Errorf("downloaded file differs from the served one")
	}
	total := formatBytes(int64(len(storeTestContent)))
	if !strings.Contains(progress.String(), total+" / "+total+" bytes (100%)") || !strings.Contains(progress.String(), f.URL) {
		t.Errorf("progress output %q lacks the URL or the final %s / %s count", progress.String(), total, total)
	}
	if files := storeTestFilesIn(t, s.CacheDir); len(files) != 1 {
		t.Errorf("cache holds %v, want only the file", files)
	}

	// Second time: from the cache, no request.
	path2, origin, err := s.locate(context.Background(), f)
	if err != nil || path2 != path || origin != FromCache || hits.Load() != 1 {
		t.Errorf("second locate = %q, %q, %v after %d requests; want the cached file after 1 request", path2, origin, err, hits.Load())
	}
}

func TestStoreDownloadBaseURL(t *testing.T) {
	mirror := storeTestMirror(t)
	srv := httptest.NewServer(http.FileServer(http.Dir(mirror)))
	defer srv.Close()
	s := &Store{CacheDir: t.TempDir(), BaseURL: srv.URL, Progress: io.Discard}
	const name = "austen/persuasion.txt" // No canonical URL: only a mirror serves it.
	path, err := s.Path(name)
	if err != nil {
		t.Fatal(err)
	}
	f, _ := Lookup(name)
	if sum, size, err := fileSha256(path); err != nil || sum != f.Sha256 || size != f.Size {
		t.Errorf("downloaded %s: sha256 %s, %d bytes, %v", path, sum, size, err)
	}
}

func TestStoreDownloadCorrupt(t *testing.T) {
	bad := bytes.Clone(storeTestContent)
	bad[7] = 'X'
	srv, _ := storeTestServer(t, serveBytes(bad))
	f := storeTestFile(storeTestContent, srv.URL)
	s := &Store{CacheDir: t.TempDir(), Progress: io.Discard}
	_, _, err := s.locate(context.Background(), f)
	badSum := sha256.Sum256(bad)
	if err == nil {
		t.Fatal("a corrupt download was accepted")
	}
	for _, part := range []string{f.URL, f.Sha256, hex.EncodeToString(badSum[:])} {
		if !strings.Contains(err.Error(), part) {
			t.Errorf("error %q does not contain %q", err, part)
		}
	}
	if files := storeTestFilesIn(t, s.CacheDir); len(files) != 0 {
		t.Errorf("a corrupt download left %v in the cache", files)
	}
}

func TestStoreDownloadTruncated(t *testing.T) {
	half := storeTestContent[:len(storeTestContent)/2]
	halfSum := sha256.Sum256(half)
	for _, tc := range []struct {
		name  string
		serve func(w http.ResponseWriter, r *http.Request)
	}{
		// The server announces the full length but the connection ends half-way.
		{"cut", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", strconv.Itoa(len(storeTestContent)))
			w.Write(half)
		}},
		// The server sends a complete but short file.
		{"short", serveBytes(half)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := storeTestServer(t, tc.serve)
			f := storeTestFile(storeTestContent, srv.URL)
			s := &Store{CacheDir: t.TempDir(), Progress: io.Discard}
			_, _, err := s.locate(context.Background(), f)
			if err == nil {
				t.Fatal("a truncated download was accepted")
			}
			for _, part := range []string{f.URL, f.Sha256, hex.EncodeToString(halfSum[:]), "truncated", strconv.Itoa(len(half)) + " bytes"} {
				if !strings.Contains(err.Error(), part) {
					t.Errorf("error %q does not contain %q", err, part)
				}
			}
			if files := storeTestFilesIn(t, s.CacheDir); len(files) != 0 {
				t.Errorf("a truncated download left %v in the cache", files)
			}
		})
	}
}

func TestStoreCorruptCacheRefetched(t *testing.T) {
	srv, hits := storeTestServer(t, serveBytes(storeTestContent))
	f := storeTestFile(storeTestContent, srv.URL)
	var progress bytes.Buffer
	s := &Store{CacheDir: t.TempDir(), Progress: &progress}
	cached := s.cachePath(f)
	os.MkdirAll(filepath.Dir(cached), 0o755)
	bad := bytes.Clone(storeTestContent)
	bad[0] = '#'
	os.WriteFile(cached, bad, 0o644)

	path, origin, err := s.locate(context.Background(), f)
	if err != nil || path != cached || origin != FromDownload || hits.Load() != 1 {
		t.Fatalf("locate = %q, %q, %v after %d requests; want %q fetched again", path, origin, err, hits.Load(), cached)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, storeTestContent) {
		t.Errorf("the corrupt cached file was not replaced")
	}
	if !strings.Contains(progress.String(), "corrupt") {
		t.Errorf("progress %q does not report the corrupt cached file", progress.String())
	}

	// A corrupt cached file with no way to fetch it again is deleted and reported.
	os.WriteFile(cached, bad, 0o644)
	s.Offline = true
	if _, _, err := s.locate(context.Background(), f); err == nil {
		t.Error("an offline store used a corrupt cached file")
	}
	if _, err := os.Stat(cached); !os.IsNotExist(err) {
		t.Errorf("the corrupt cached file is still there: %v", err)
	}
}

func TestStoreDownloadOffline(t *testing.T) {
	srv, _ := storeTestServer(t, serveBytes(storeTestContent))
	f := storeTestFile(storeTestContent, srv.URL)
	srv.Close() // Nothing listens at the URL any more.
	s := &Store{CacheDir: t.TempDir(), Progress: io.Discard}
	_, _, err := s.locate(context.Background(), f)
	if err == nil {
		t.Fatal("a download from a closed server succeeded")
	}
	for _, part := range []string{f.Name, "dataset testset", f.URL, "TLKIT_DATA"} {
		if !strings.Contains(err.Error(), part) {
			t.Errorf("error %q does not contain %q", err, part)
		}
	}
	if files := storeTestFilesIn(t, s.CacheDir); len(files) != 0 {
		t.Errorf("a failed download left %v in the cache", files)
	}

	// An HTTP error status is a failure too.
	srv404, _ := storeTestServer(t, http.NotFound)
	_, _, err = s.locate(context.Background(), storeTestFile(storeTestContent, srv404.URL))
	if err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("download of a missing file: error %v, want one with the 404 status", err)
	}

	// An Offline store does not even try.
	srvOK, hits := storeTestServer(t, serveBytes(storeTestContent))
	s.Offline = true
	_, _, err = s.locate(context.Background(), storeTestFile(storeTestContent, srvOK.URL))
	if err == nil || hits.Load() != 0 || !strings.Contains(err.Error(), "TLKIT_DATA") {
		t.Errorf("offline store: error %v after %d requests; want an error naming TLKIT_DATA and no request", err, hits.Load())
	}
}

func TestStoreDebianFileNeedsMirror(t *testing.T) {
	s := &Store{CacheDir: t.TempDir(), Progress: io.Discard}
	_, err := s.Path("austen/emma.txt")
	if err == nil {
		t.Fatal("Path(austen/emma.txt) without a mirror succeeded")
	}
	for _, part := range []string{"austen/emma.txt", "Debian package r-cran-janeaustenr", "TLKIT_DATA"} {
		if !strings.Contains(err.Error(), part) {
			t.Errorf("error %q does not contain %q", err, part)
		}
	}
}

func TestStoreConcurrentDownloads(t *testing.T) {
	srv, _ := storeTestServer(t, serveBytes(storeTestContent))
	f := storeTestFile(storeTestContent, srv.URL)
	s := &Store{CacheDir: t.TempDir(), Progress: io.Discard}
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() {
			var path string
			path, _, errs[i] = s.locate(context.Background(), f)
			if errs[i] == nil {
				if got, err := os.ReadFile(path); err != nil || !bytes.Equal(got, storeTestContent) {
					t.Errorf("goroutine %d read a bad file: %v", i, err)
				}
			}
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("goroutine %d: %v", i, err)
		}
	}
	if files := storeTestFilesIn(t, s.CacheDir); len(files) != 1 {
		t.Errorf("cache holds %v, want only the file", files)
	}
}

func TestDefaultStore(t *testing.T) {
	t.Setenv("TLKIT_DATA", "/some/mirror")
	t.Setenv("TLKIT_CACHE", "/some/cache")
	if s := DefaultStore(); s.Mirror != "/some/mirror" || s.CacheDir != "/some/cache" {
		t.Errorf("DefaultStore() = %+v, want the folders of TLKIT_DATA and TLKIT_CACHE", s)
	}
	t.Setenv("TLKIT_CACHE", "")
	root, err := RepoRoot()
	if err != nil {
		t.Fatal(err) // The tests run inside the repository.
	}
	if _, err := os.Stat(filepath.Join(root, "data", "store.go")); err != nil {
		t.Errorf("RepoRoot() = %q, which does not hold data/store.go", root)
	}
	if s := DefaultStore(); s.CacheDir != filepath.Join(root, ".cache") {
		t.Errorf("DefaultStore().CacheDir = %q, want %q", s.CacheDir, filepath.Join(root, ".cache"))
	}
}

func TestStoreFetch(t *testing.T) {
	mirror := storeTestMirror(t)
	s := &Store{Mirror: mirror, CacheDir: t.TempDir(), Offline: true}
	var out bytes.Buffer
	err := s.Fetch(context.Background(), &out, "sst2", "trec/raw/TREC.test", "no-such-thing")
	if err == nil || !strings.Contains(err.Error(), "no-such-thing") {
		t.Errorf("Fetch error = %v, want one naming no-such-thing", err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 5 {
		t.Fatalf("Fetch printed %d lines, want 5:\n%s", len(lines), out.String())
	}
	for i, line := range lines[:4] {
		if !strings.HasPrefix(line, "ok ") || !strings.Contains(line, string(FromMirror)) {
			t.Errorf("line %d = %q, want an ok line from the mirror", i, line)
		}
	}
	if !strings.HasPrefix(lines[4], "FAIL no-such-thing") {
		t.Errorf("last line = %q, want a FAIL line", lines[4])
	}
}
