package safetensors

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"

	"github.com/nlp-transfer/gotl/internal/atomicfile"
)

// Tensor is a named float32 tensor to write: Data holds the product of Shape values in
// row-major order.
type Tensor struct {
	Name  string
	Shape []int
	Data  []float32
}

// Write writes tensors to path as an F32 safetensors file, with the optional string metadata
// (e.g. {"format": "pt"}, which HuggingFace's loaders expect). Tensors are laid out sorted by
// name, so the same tensors always give the same bytes. The file is written to a temporary file
// in the same directory and renamed into place: on error, path is left untouched.
func Write(path string, tensors []Tensor, metadata map[string]string) (err error) {
	sorted := append([]Tensor(nil), tensors...)
	sort.Slice(sorted, func(a, b int) bool { return sorted[a].Name < sorted[b].Name })
	header := make(map[string]any, len(sorted)+1)
	if len(metadata) > 0 {
		header[metadataKey] = metadata
	}
	var offset int64
	for i, t := range sorted {
		if t.Name == "" || t.Name == metadataKey {
			return fmt.Errorf("safetensors: writing %s: invalid tensor name %q", path, t.Name)
		}
		if i > 0 && sorted[i-1].Name == t.Name {
			return fmt.Errorf("safetensors: writing %s: duplicate tensor name %q", path, t.Name)
		}
		n := 1
		for _, d := range t.Shape {
			if d < 0 {
				return fmt.Errorf("safetensors: writing %s: tensor %q has a negative dimension in shape %v", path, t.Name, t.Shape)
			}
			n *= d
		}
		if n != len(t.Data) {
			return fmt.Errorf("safetensors: writing %s: tensor %q has %d values, but shape %v needs %d",
				path, t.Name, len(t.Data), t.Shape, n)
		}
		shape := t.Shape
		if shape == nil {
			shape = []int{} // A scalar: "shape": [] rather than null.
		}
		size := 4 * int64(n)
		header[t.Name] = headerEntry{DType: F32, Shape: shape, DataOffsets: []int64{offset, offset + size}}
		offset += size
	}
	headerJSON, err := json.Marshal(header) // Map keys are sorted: deterministic.
	if err != nil {
		return fmt.Errorf("safetensors: writing %s: %w", path, err)
	}
	// Pad the header with spaces so the data starts 8-byte aligned, as the reference writer does.
	for len(headerJSON)%8 != 0 {
		headerJSON = append(headerJSON, ' ')
	}

	return atomicfile.Write(path, func(w io.Writer) error {
		var lenBuf [8]byte
		binary.LittleEndian.PutUint64(lenBuf[:], uint64(len(headerJSON)))
		if _, err := w.Write(lenBuf[:]); err != nil {
			return fmt.Errorf("safetensors: writing %s: %w", path, err)
		}
		if _, err := w.Write(headerJSON); err != nil {
			return fmt.Errorf("safetensors: writing %s: %w", path, err)
		}
		var buf [4]byte
		for _, t := range sorted {
			for _, v := range t.Data {
				binary.LittleEndian.PutUint32(buf[:], math.Float32bits(v))
				if _, err := w.Write(buf[:]); err != nil {
					return fmt.Errorf("safetensors: writing %s: tensor %q: %w", path, t.Name, err)
				}
			}
		}
		return nil
	})
}

// ReadAll reads every F32, F16 and BF16 tensor of the file at path as float32 (tensors of other
// dtypes are skipped), with the file's metadata.
func ReadAll(path string) (tensors []Tensor, metadata map[string]string, err error) {
	sf, err := Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer func() { _ = sf.Close() }()
	for _, info := range sf.tensors {
		if info.DType != F32 && info.DType != F16 && info.DType != BF16 {
			continue
		}
		data, err := sf.Float32(info.Name)
		if err != nil {
			return nil, nil, err
		}
		tensors = append(tensors, Tensor{Name: info.Name, Shape: append([]int{}, info.Shape...), Data: data})
	}
	return tensors, sf.Metadata, nil
}
