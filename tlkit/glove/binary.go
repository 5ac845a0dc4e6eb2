package glove

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/nlp-transfer/gotl/internal/atomicfile"
)

// The binary format of WriteFile and LoadFile, all integers little-endian:
//
//	magic    8 bytes "GOTLGLV\n"
//	version  uint32 (1)
//	n        uint32, the number of words
//	dim      uint32, the vector width
//	source   uint32 length, then that many bytes of UTF-8
//	words    n times: uint32 length, then that many bytes of UTF-8
//	data     n×dim float32, row-major
//	sha256   32 bytes, the SHA-256 of everything before it
const (
	binaryMagic   = "GOTLGLV\n"
	binaryVersion = 1
)

// ErrCorrupt is wrapped by LoadFile's errors for a file that is truncated, fails its checksum or
// is otherwise malformed. Load rebuilds such a cache file.
var ErrCorrupt = errors.New("corrupt GloVe binary file")

// Encode returns v in the binary format that LoadFile reads.
func (v *Vectors) Encode() []byte {
	size := len(binaryMagic) + 4*4 + len(v.Source) + 4*len(v.Words) + 4*len(v.Data) + sha256.Size
	for _, w := range v.Words {
		size += len(w)
	}
	buf := make([]byte, 0, size)
	buf = append(buf, binaryMagic...)
	buf = binary.LittleEndian.AppendUint32(buf, binaryVersion)
	buf = binary.LittleEndian.AppendUint32(buf, uint32(len(v.Words)))
	buf = binary.LittleEndian.AppendUint32(buf, uint32(v.Dim))
	buf = binary.LittleEndian.AppendUint32(buf, uint32(len(v.Source)))
	buf = append(buf, v.Source...)
	for _, w := range v.Words {
		buf = binary.LittleEndian.AppendUint32(buf, uint32(len(w)))
		buf = append(buf, w...)
	}
	for _, x := range v.Data {
		buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(x))
	}
	sum := sha256.Sum256(buf)
	return append(buf, sum[:]...)
}

// WriteFile writes v to path in the binary format, atomically: to a temporary file in the same
// folder (created if missing), renamed into place.
func (v *Vectors) WriteFile(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("glove: writing %s: %w", path, err)
	}
	if err := atomicfile.WriteFile(path, v.Encode()); err != nil {
		return fmt.Errorf("glove: writing %s: %w", path, err)
	}
	return nil
}

// LoadFile reads Vectors from a file in the binary format of WriteFile. A truncated file, a
// failed checksum or malformed content is an error wrapping ErrCorrupt.
func LoadFile(path string) (*Vectors, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("glove: %w", err)
	}
	v, err := Decode(raw)
	if err != nil {
		return nil, fmt.Errorf("glove: reading %s: %w", path, err)
	}
	return v, nil
}

// Decode parses Vectors from the binary format of Encode. Errors about the content wrap
// ErrCorrupt.
func Decode(raw []byte) (*Vectors, error) {
	corrupt := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrCorrupt, fmt.Sprintf(format, args...))
	}
	if len(raw) < len(binaryMagic) || string(raw[:len(binaryMagic)]) != binaryMagic {
		return nil, corrupt("not a gotl GloVe file (bad magic)")
	}
	if len(raw) < len(binaryMagic)+4*4+sha256.Size {
		return nil, corrupt("truncated: %d bytes", len(raw))
	}
	body, trailer := raw[:len(raw)-sha256.Size], raw[len(raw)-sha256.Size:]
	if sum := sha256.Sum256(body); !bytes.Equal(sum[:], trailer) {
		return nil, corrupt("checksum mismatch (truncated or damaged file, %d bytes)", len(raw))
	}
	r := body[len(binaryMagic):]
	u32 := func() (uint32, error) {
		if len(r) < 4 {
			return 0, corrupt("truncated")
		}
		x := binary.LittleEndian.Uint32(r)
		r = r[4:]
		return x, nil
	}
	str := func() (string, error) {
		n, err := u32()
		if err != nil {
			return "", err
		}
		if uint64(n) > uint64(len(r)) {
			return "", corrupt("string of %d bytes past the end", n)
		}
		s := string(r[:n])
		r = r[n:]
		return s, nil
	}
	version, _ := u32()
	if version != binaryVersion {
		return nil, corrupt("version %d, want %d", version, binaryVersion)
	}
	n, _ := u32()
	dim, _ := u32()
	source, err := str()
	if err != nil {
		return nil, err
	}
	if dim == 0 || uint64(n)*uint64(dim)*4 > uint64(len(r)) {
		return nil, corrupt("%d words of width %d do not fit in %d bytes", n, dim, len(r))
	}
	words := make([]string, n)
	for i := range words {
		if words[i], err = str(); err != nil {
			return nil, err
		}
	}
	if uint64(len(r)) != uint64(n)*uint64(dim)*4 {
		return nil, corrupt("%d bytes of vector data, want %d", len(r), uint64(n)*uint64(dim)*4)
	}
	data := make([]float32, int(n)*int(dim))
	for i := range data {
		data[i] = math.Float32frombits(binary.LittleEndian.Uint32(r[4*i:]))
	}
	v, err := NewVectors(words, int(dim), data, source)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	return v, nil
}
