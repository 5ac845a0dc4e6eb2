package data

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/nlp-transfer/gotl/internal/atomicfile"
)

// cachePath is where the registry file f is kept in the cache.
func (s *Store) cachePath(f File) string {
	return filepath.Join(s.CacheDir, "datasets", filepath.FromSlash(f.Name))
}

// checkCached reports whether path holds f with the right sha256. A file there with the
// wrong content is deleted (and reported on the progress writer), so that it is fetched
// again and never used.
func (s *Store) checkCached(f File, path string) (bool, error) {
	sum, size, err := fileSha256(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err == nil && sum == f.Sha256 {
		return true, nil
	}
	if err == nil {
		fmt.Fprintf(s.progress(), "data: cached %s is corrupt (sha256 %s, %d bytes; want %s, %d bytes): deleting it and fetching it again\n",
			path, sum, size, f.Sha256, f.Size)
	} else {
		fmt.Fprintf(s.progress(), "data: cached %s is unreadable (%v): deleting it and fetching it again\n", path, err)
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return false, fmt.Errorf("data: deleting corrupt cached file %s: %w", path, err)
	}
	return false, nil
}

// fileSha256 returns the lower-case hex sha256 and the size of the file at path.
func fileSha256(path string) (sum string, size int64, err error) {
	file, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer file.Close()
	h := sha256.New()
	size, err = io.Copy(h, file)
	if err != nil {
		return "", size, fmt.Errorf("hashing %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), size, nil
}

// writeAtomic copies r into a temporary file next to path, lets check inspect what was
// written (its sha256 and size) before the file is published, and renames it to path. On
// any error nothing is left behind. Two processes writing the same path each publish a
// complete file; the last rename wins.
func writeAtomic(path string, r io.Reader, check func(sum string, size int64) error) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return atomicfile.Write(path, func(w io.Writer) error {
		h := sha256.New()
		size, err := io.Copy(io.MultiWriter(w, h), r)
		if err != nil {
			return err
		}
		return check(hex.EncodeToString(h.Sum(nil)), size)
	})
}
