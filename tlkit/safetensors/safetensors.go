// Package safetensors reads and writes the safetensors format used by HuggingFace checkpoints
// (model.safetensors), with the standard library only.
//
// A safetensors file is an 8-byte little-endian header length N, a JSON header of N bytes
// mapping each tensor name to {"dtype", "shape", "data_offsets": [begin, end]} (offsets into the
// data that follows the header) plus an optional "__metadata__" map of strings, then the raw
// little-endian tensor data.
//
// Open validates the whole header (offsets inside the file, byte sizes matching dtype and
// shape) without reading the data; File.Float32 then reads one tensor, converting F16 and BF16
// to float32. Write writes float32 tensors, sorted by name, atomically.
package safetensors

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
)

// DType names a safetensors element type, as spelled in the header ("F32", "BF16", ...).
type DType string

// Element types read by File.Float32. Others (I64, F64, ...) are listed by Open and
// skipped by readers that do not need them; reading them as float32 is an error.
const (
	F32  DType = "F32"
	F16  DType = "F16"
	BF16 DType = "BF16"
)

// dtypeSizes are the byte sizes of every dtype of the safetensors specification, used to
// validate the header.
var dtypeSizes = map[DType]int64{
	"BOOL": 1, "U8": 1, "I8": 1, "F8_E5M2": 1, "F8_E4M3": 1,
	"I16": 2, "U16": 2, "F16": 2, "BF16": 2,
	"I32": 4, "U32": 4, "F32": 4,
	"I64": 8, "U64": 8, "F64": 8,
}

// maxHeaderLen bounds the JSON header (the reference implementation's limit is 100 MB).
const maxHeaderLen = 100 << 20

// metadataKey is the header entry holding the free-form string metadata.
const metadataKey = "__metadata__"

// TensorInfo describes one tensor of a File, as its header lists it.
type TensorInfo struct {
	Name  string
	DType DType
	Shape []int
	// Begin and End are the byte offsets [Begin, End) of the tensor's data, relative to the
	// start of the data section (after the header).
	Begin, End int64
}

// NumElements returns the product of the shape's dimensions (1 for a scalar).
func (t TensorInfo) NumElements() int64 {
	n := int64(1)
	for _, d := range t.Shape {
		n *= int64(d)
	}
	return n
}

// File is an open safetensors file whose header has been read and validated.
// Close it when done.
type File struct {
	path      string
	f         *os.File
	dataStart int64
	tensors   []TensorInfo // Sorted by name.
	byName    map[string]int
	// Metadata is the header's "__metadata__" map (nil when absent), e.g. {"format": "pt"}.
	Metadata map[string]string
}

// headerEntry is one tensor of the JSON header.
type headerEntry struct {
	DType       DType   `json:"dtype"`
	Shape       []int   `json:"shape"`
	DataOffsets []int64 `json:"data_offsets"`
}

// Open opens a safetensors file and validates its header: every tensor must have a known
// dtype, non-negative dimensions and data offsets inside the file whose length matches its
// dtype and shape. Errors name the file and, where one is at fault, the tensor.
func Open(path string) (*File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("safetensors: %w", err)
	}
	sf, err := readHeader(path, f)
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	return sf, nil
}

// readHeader parses and validates the header of the open file f.
func readHeader(path string, f *os.File) (*File, error) {
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("safetensors: %s: %w", path, err)
	}
	size := info.Size()
	var lenBuf [8]byte
	if _, err := io.ReadFull(f, lenBuf[:]); err != nil {
		return nil, fmt.Errorf("safetensors: %s: file of %d bytes is too short for the 8-byte header length; is it a safetensors file?", path, size)
	}
	headerLen := binary.LittleEndian.Uint64(lenBuf[:])
	if headerLen > maxHeaderLen || int64(headerLen) > size-8 {
		return nil, fmt.Errorf("safetensors: %s: bad header: header length %d does not fit in the file of %d bytes (truncated, or not a safetensors file)",
			path, headerLen, size)
	}
	header := make([]byte, headerLen)
	if _, err := io.ReadFull(f, header); err != nil {
		return nil, fmt.Errorf("safetensors: %s: reading the header: %w", path, err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(header, &raw); err != nil {
		return nil, fmt.Errorf("safetensors: %s: bad header: not a JSON object: %w", path, err)
	}
	sf := &File{
		path:      path,
		f:         f,
		dataStart: 8 + int64(headerLen),
		byName:    make(map[string]int, len(raw)),
	}
	dataLen := size - sf.dataStart
	for name, msg := range raw {
		if name == metadataKey {
			if err := json.Unmarshal(msg, &sf.Metadata); err != nil {
				return nil, fmt.Errorf("safetensors: %s: bad header: %s is not a map of strings: %w", path, metadataKey, err)
			}
			continue
		}
		var e headerEntry
		if err := json.Unmarshal(msg, &e); err != nil {
			return nil, fmt.Errorf("safetensors: %s: bad header entry for tensor %q: %w", path, name, err)
		}
		t, err := checkEntry(name, e, dataLen)
		if err != nil {
			return nil, fmt.Errorf("safetensors: %s: %w", path, err)
		}
		sf.tensors = append(sf.tensors, t)
	}
	sort.Slice(sf.tensors, func(a, b int) bool { return sf.tensors[a].Name < sf.tensors[b].Name })
	for i, t := range sf.tensors {
		sf.byName[t.Name] = i
	}
	return sf, nil
}

// checkEntry validates one header entry against the data section's length.
func checkEntry(name string, e headerEntry, dataLen int64) (TensorInfo, error) {
	t := TensorInfo{Name: name, DType: e.DType, Shape: e.Shape}
	elemSize, ok := dtypeSizes[e.DType]
	if !ok {
		return t, fmt.Errorf("tensor %q: unknown dtype %q", name, e.DType)
	}
	if len(e.DataOffsets) != 2 {
		return t, fmt.Errorf("tensor %q: data_offsets has %d values, want [begin, end]", name, len(e.DataOffsets))
	}
	t.Begin, t.End = e.DataOffsets[0], e.DataOffsets[1]
	n := int64(1)
	for _, d := range e.Shape {
		if d < 0 {
			return t, fmt.Errorf("tensor %q: negative dimension in shape %v", name, e.Shape)
		}
		if d > 0 && n > math.MaxInt64/int64(d)/elemSize {
			return t, fmt.Errorf("tensor %q: shape %v is too large", name, e.Shape)
		}
		n *= int64(d)
	}
	if t.Begin < 0 || t.End < t.Begin {
		return t, fmt.Errorf("tensor %q: bad data_offsets [%d, %d]", name, t.Begin, t.End)
	}
	if want := n * elemSize; t.End-t.Begin != want {
		return t, fmt.Errorf("tensor %q: data_offsets [%d, %d] hold %d bytes, but %s%v needs %d",
			name, t.Begin, t.End, t.End-t.Begin, e.DType, e.Shape, want)
	}
	if t.End > dataLen {
		return t, fmt.Errorf("tensor %q: data ends at byte %d but the file has only %d data bytes: the file is truncated",
			name, t.End, dataLen)
	}
	return t, nil
}

// Path returns the file's path.
func (sf *File) Path() string { return sf.path }

// Tensors lists the file's tensors, sorted by name.
func (sf *File) Tensors() []TensorInfo { return append([]TensorInfo(nil), sf.tensors...) }

// Info returns the header entry of the named tensor, and whether the file has it.
func (sf *File) Info(name string) (TensorInfo, bool) {
	i, ok := sf.byName[name]
	if !ok {
		return TensorInfo{}, false
	}
	return sf.tensors[i], true
}

// Close closes the file.
func (sf *File) Close() error { return sf.f.Close() }

// Float32 reads the named tensor as float32 values, in row-major order, converting F16 and
// BF16; other dtypes are an error naming the file, tensor and dtype.
func (sf *File) Float32(name string) ([]float32, error) {
	t, ok := sf.Info(name)
	if !ok {
		return nil, fmt.Errorf("safetensors: %s: no tensor %q", sf.path, name)
	}
	if t.DType != F32 && t.DType != F16 && t.DType != BF16 {
		return nil, fmt.Errorf("safetensors: %s: tensor %q has dtype %s; only F32, F16 and BF16 can be read as float32",
			sf.path, name, t.DType)
	}
	buf := make([]byte, t.End-t.Begin)
	if _, err := sf.f.ReadAt(buf, sf.dataStart+t.Begin); err != nil {
		return nil, fmt.Errorf("safetensors: %s: reading tensor %q: %w", sf.path, name, err)
	}
	n := t.NumElements()
	out := make([]float32, n)
	switch t.DType {
	case F32:
		for i := range out {
			out[i] = math.Float32frombits(binary.LittleEndian.Uint32(buf[4*i:]))
		}
	case F16:
		for i := range out {
			out[i] = HalfToFloat32(binary.LittleEndian.Uint16(buf[2*i:]))
		}
	case BF16:
		for i := range out {
			out[i] = math.Float32frombits(uint32(binary.LittleEndian.Uint16(buf[2*i:])) << 16)
		}
	}
	return out, nil
}

// HalfToFloat32 converts an IEEE 754 half-precision (F16) value, given by its bits, to
// float32 exactly (subnormals, infinities and NaNs included).
func HalfToFloat32(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	mant := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f: // Inf or NaN.
		return math.Float32frombits(sign | 0xff<<23 | mant<<13)
	case exp != 0: // Normal.
		return math.Float32frombits(sign | (exp+127-15)<<23 | mant<<13)
	case mant == 0: // ±0.
		return math.Float32frombits(sign)
	}
	// Subnormal: mant × 2^-24.
	v := float32(mant) * (1.0 / (1 << 24))
	if sign != 0 {
		v = -v
	}
	return v
}
