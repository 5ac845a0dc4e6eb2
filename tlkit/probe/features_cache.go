package probe

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"

	"github.com/gomlx/gomlx/ml/model"

	"github.com/nlp-transfer/gotl/internal/cachefile"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
)

// Feature cache file format, version featureFormatVersion:
//
//	magic "TLKFEAT\n" (8 bytes)
//	version uint32, n uint64, dim uint32        (little-endian)
//	key: 64 hex bytes (the file's FeatureKey)
//	n·dim float32, little-endian, row after row
//	sha256 of every byte above (32 bytes)
const (
	featureMagic         = "TLKFEAT\n"
	featureFormatVersion = 1
	featureFileExt       = ".f32"
	featureHeaderSize    = len(featureMagic) + 4 + 8 + 4 + sha256.Size*2
)

// errCorruptFeatures is wrapped by the errors of cache files that fail their checks.
var errCorruptFeatures = errors.New("corrupt feature cache file")

// FeatureKey returns the cache key of the features of texts under enc and pooling: the
// hex sha256 of the cache format version, the encoder's Name, Dim and MaxTokens, the
// fingerprint of its weights (WeightsFingerprint), the pooling and every text
// (length-prefixed, in order).
func FeatureKey(enc encoder.Encoder, texts []string, pooling encoder.Pooling) (string, error) {
	weights, err := WeightsFingerprint(enc.Store())
	if err != nil {
		return "", fmt.Errorf("features of %s: %w", enc.Name(), err)
	}
	h := sha256.New()
	cachefile.HashString(h, fmt.Sprintf("gotl features v%d", featureFormatVersion))
	cachefile.HashString(h, enc.Name())
	cachefile.HashUint(h, uint64(enc.Dim()))
	cachefile.HashUint(h, uint64(enc.MaxTokens()))
	h.Write(weights[:])
	cachefile.HashString(h, pooling.String())
	cachefile.HashUint(h, uint64(len(texts)))
	for _, t := range texts {
		cachefile.HashString(h, t)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// WeightsFingerprint returns a sha256 of every variable of store: its path, dtype, shape and
// current value, in path order. Two stores with the same fingerprint hold the same weights.
// A variable without a value (not yet initialised) counts by its path and shape alone.
func WeightsFingerprint(store *model.Store) ([sha256.Size]byte, error) {
	var sum [sha256.Size]byte
	vars := slices.Collect(store.IterVariables())
	slices.SortFunc(vars, func(a, b *model.Variable) int { return strings.Compare(a.Path(), b.Path()) })
	h := sha256.New()
	for _, v := range vars {
		cachefile.HashString(h, v.Path())
		cachefile.HashString(h, v.Shape().String())
		if !v.HasValue() {
			cachefile.HashString(h, "no value")
			continue
		}
		value, err := v.Value()
		if err != nil {
			return sum, fmt.Errorf("reading variable %s: %w", v.Path(), err)
		}
		cachefile.HashString(h, "value")
		if err := value.ConstBytes(func(b []byte) {
			cachefile.HashUint(h, uint64(len(b)))
			h.Write(b)
		}); err != nil {
			return sum, fmt.Errorf("reading variable %s: %w", v.Path(), err)
		}
	}
	h.Sum(sum[:0])
	return sum, nil
}

// readFeatureFile reads the cache file at path, checking that it is complete and intact and
// holds n vectors of width dim under key. A missing file gives an error satisfying
// os.IsNotExist; any other failed check an error wrapping errCorruptFeatures.
func readFeatureFile(path, key string, n, dim int) ([][]float32, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	corrupt := func(why string, args ...any) error {
		return fmt.Errorf("%s: %w: %s", path, errCorruptFeatures, fmt.Sprintf(why, args...))
	}
	want := featureHeaderSize + n*dim*4 + sha256.Size
	if len(raw) != want {
		return nil, corrupt("%d bytes, want %d", len(raw), want)
	}
	body, trailer := raw[:len(raw)-sha256.Size], raw[len(raw)-sha256.Size:]
	if sum := sha256.Sum256(body); !bytes.Equal(sum[:], trailer) {
		return nil, corrupt("checksum mismatch")
	}
	header := body[:featureHeaderSize]
	if string(header[:len(featureMagic)]) != featureMagic {
		return nil, corrupt("bad magic")
	}
	header = header[len(featureMagic):]
	version := binary.LittleEndian.Uint32(header)
	fileN := binary.LittleEndian.Uint64(header[4:])
	fileDim := binary.LittleEndian.Uint32(header[12:])
	fileKey := string(header[16:])
	if version != featureFormatVersion || fileN != uint64(n) || fileDim != uint32(dim) || fileKey != key {
		return nil, corrupt("header (version %d, %d×%d, key %.12s…) does not match (version %d, %d×%d, key %.12s…)",
			version, fileN, fileDim, fileKey, featureFormatVersion, n, dim, key)
	}
	flat := make([]float32, n*dim)
	data := body[featureHeaderSize:]
	for i := range flat {
		flat[i] = math.Float32frombits(binary.LittleEndian.Uint32(data[4*i:]))
	}
	features := make([][]float32, n)
	for i := range features {
		features[i] = flat[i*dim : (i+1)*dim : (i+1)*dim]
	}
	return features, nil
}

// writeFeatureFile writes features (each of width dim) to path atomically: to a temporary
// file in the same folder, renamed over path once complete. Concurrent writers of the same
// key each rename a complete file, so the last rename wins with identical contents.
func writeFeatureFile(path, key string, features [][]float32, dim int) error {
	buf := make([]byte, 0, featureHeaderSize+len(features)*dim*4+sha256.Size)
	buf = append(buf, featureMagic...)
	buf = binary.LittleEndian.AppendUint32(buf, featureFormatVersion)
	buf = binary.LittleEndian.AppendUint64(buf, uint64(len(features)))
	buf = binary.LittleEndian.AppendUint32(buf, uint32(dim))
	buf = append(buf, key...)
	for i, row := range features {
		if len(row) != dim {
			return fmt.Errorf("writing the feature cache: vector %d has width %d, want %d", i, len(row), dim)
		}
		for _, x := range row {
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(x))
		}
	}
	sum := sha256.Sum256(buf)
	buf = append(buf, sum[:]...)
	return cachefile.WriteFile(path, buf)
}
