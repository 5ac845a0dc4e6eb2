// Package atomicfile writes files so that readers never see them half-written: the content
// goes to a temporary file in the destination's folder, which is renamed over the destination
// only when it is complete. On any error the temporary file is removed and the destination is
// left as it was. Two processes writing the same path each publish a complete file; the last
// rename wins.
package atomicfile

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Write creates path with mode 0644 from what fill writes; path's folder must exist. If fill
// returns an error, nothing is published and that error is returned.
func Write(path string, fill func(w io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	w := bufio.NewWriterSize(tmp, 1<<20)
	if err = fill(w); err != nil {
		return err
	}
	if err = w.Flush(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = tmp.Chmod(0o644); err != nil { // CreateTemp makes 0600 files.
		return fmt.Errorf("writing %s: %w", path, err)
	}
	// Flush to disk before the rename: after a power loss the rename may have reached the disk
	// while the content had not, leaving an empty or partial file under the final name.
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// WriteFile is Write for content already in memory.
func WriteFile(path string, data []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}
