// Package cachefile holds gotl's one way to name and write the files of its caches and
// results: Name turns any name (an encoder, a task, a method) into one path element, and
// WriteJSON, ReadJSON and WriteFile read and write files atomically (a reader never sees a
// half-written file), creating their folder when needed.
package cachefile

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/nlp-transfer/gotl/internal/atomicfile"
)

// MaxNameLen is the longest name Name keeps before it shortens it (and adds a hash).
const MaxNameLen = 60

// Name turns name into one path element that is safe on every file system: ASCII letters,
// digits, '-', '_', '+' and '.' (not leading) are kept and every other character becomes
// '_'. A name that had to change, or was longer than MaxNameLen (cut to it), gets a suffix
// "-" + an 8-digit hex hash of the original, so distinct names stay distinct. An unchanged
// name is returned as it is: "use-lite", "sst2" and "amazon_books" name themselves.
func Name(name string) string {
	var b strings.Builder
	changed := name == ""
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '+',
			r == '.' && b.Len() > 0:
			b.WriteRune(r)
		default:
			b.WriteByte('_')
			changed = true
		}
	}
	s := b.String()
	if len(s) > MaxNameLen {
		s, changed = s[:MaxNameLen], true
	}
	if !changed {
		return s
	}
	return s + "-" + fnvHex(name)
}

// fnvHex is the 32-bit FNV-1a hash of s in hex.
func fnvHex(s string) string {
	var sum uint32 = 2166136261
	for i := 0; i < len(s); i++ {
		sum ^= uint32(s[i])
		sum *= 16777619
	}
	return fmt.Sprintf("%08x", sum)
}

// WriteFile writes content to path atomically (atomicfile.WriteFile), creating path's folder
// first when it is missing.
func WriteFile(path string, content []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return atomicfile.WriteFile(path, content)
}

// WriteJSON writes v to path as indented JSON with a final newline, atomically, creating the
// folder when needed. NaN and infinite floats cannot be written (encoding/json refuses them);
// the error names path.
func WriteJSON(path string, v any) error {
	raw, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return WriteFile(path, append(raw, '\n'))
}

// ReadJSON decodes the JSON file at path into v. A missing file gives an error satisfying
// errors.Is(err, fs.ErrNotExist); a file that is not valid JSON for v an error naming path.
func ReadJSON(path string, v any) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("reading %s: %w", path, err)
	}
	return nil
}

// HashUint writes x to h as 8 little-endian bytes: a fixed-width field of a cache key.
func HashUint(h hash.Hash, x uint64) {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], x)
	h.Write(b[:])
}

// HashString writes s to h length-prefixed (HashUint of its length, then its bytes), so that
// consecutive strings cannot run into each other in a cache key.
func HashString(h hash.Hash, s string) {
	HashUint(h, uint64(len(s)))
	io.WriteString(h, s)
}
