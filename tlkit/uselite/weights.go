package uselite

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
)

// Weight is one named tensor of a TF.js weights manifest, decoded from the binary shards.
//
// Exactly one of F32 and I32 is set, according to DType ("float32" or "int32").
// Shape may be empty for scalars; the number of elements is the product of Shape.
type Weight struct {
	Name  string
	Shape []int
	DType string
	F32   []float32
	I32   []int32
}

// NumElements returns the number of elements of w: the product of its Shape (1 for a scalar).
func (w *Weight) NumElements() int {
	n := 1
	for _, d := range w.Shape {
		n *= d
	}
	return n
}

// manifestGroup is one entry of model.json's "weightsManifest": a list of shard files and the
// weights packed, in order, into their concatenation.
type manifestGroup struct {
	Paths   []string `json:"paths"`
	Weights []struct {
		Name         string          `json:"name"`
		Shape        []int           `json:"shape"`
		DType        string          `json:"dtype"`
		Quantization json.RawMessage `json:"quantization,omitempty"`
	} `json:"weights"`
}

// modelJSON is the part of a TF.js model.json file that ReadWeights and Load use.
type modelJSON struct {
	Format          string          `json:"format"`
	ModelTopology   json.RawMessage `json:"modelTopology"`
	WeightsManifest []manifestGroup `json:"weightsManifest"`
}

// ReadWeights reads a TF.js model.json file and the binary weight shards it lists (looked up
// in the same directory), and returns every weight of its "weightsManifest", in manifest order.
//
// Only unquantized "float32" and "int32" weights are supported, stored little-endian, as
// TF.js writes them. The shards of each manifest group are read whole, concatenated in the
// listed order, and must hold exactly the bytes the manifest's shapes call for: a missing,
// short or over-long shard is an error naming the file. Nothing partial is returned on error.
func ReadWeights(modelJSONPath string) ([]Weight, error) {
	raw, err := os.ReadFile(modelJSONPath)
	if err != nil {
		return nil, fmt.Errorf("reading TF.js model: %w", err)
	}
	var m modelJSON
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("parsing TF.js model %s: %w", modelJSONPath, err)
	}
	if len(m.WeightsManifest) == 0 {
		return nil, fmt.Errorf("TF.js model %s: field \"weightsManifest\" is missing or empty", modelJSONPath)
	}
	dir := filepath.Dir(modelJSONPath)
	var weights []Weight
	for gi, group := range m.WeightsManifest {
		ws, err := readGroup(dir, modelJSONPath, gi, &group)
		if err != nil {
			return nil, err
		}
		weights = append(weights, ws...)
	}
	return weights, nil
}

// readGroup decodes the weights of one manifest group from its shards.
func readGroup(dir, modelJSONPath string, gi int, group *manifestGroup) ([]Weight, error) {
	field := fmt.Sprintf("weightsManifest[%d]", gi)
	if len(group.Paths) == 0 {
		return nil, fmt.Errorf("TF.js model %s: %s.paths is empty", modelJSONPath, field)
	}
	// Validate dtypes and sizes first, so a bad manifest fails before reading megabytes.
	want := 0
	for wi, w := range group.Weights {
		wfield := fmt.Sprintf("%s.weights[%d] (%q)", field, wi, w.Name)
		if len(w.Quantization) > 0 && string(w.Quantization) != "null" {
			return nil, fmt.Errorf("TF.js model %s: %s is quantized, which is not supported", modelJSONPath, wfield)
		}
		if w.DType != "float32" && w.DType != "int32" {
			return nil, fmt.Errorf("TF.js model %s: %s has unsupported dtype %q (want \"float32\" or \"int32\")",
				modelJSONPath, wfield, w.DType)
		}
		n := 1
		for _, d := range w.Shape {
			if d < 0 {
				return nil, fmt.Errorf("TF.js model %s: %s has negative dimension in shape %v", modelJSONPath, wfield, w.Shape)
			}
			n *= d
		}
		want += 4 * n
	}

	// Read the shards, concatenated in order.
	buf := make([]byte, 0, want)
	for pi, p := range group.Paths {
		shardPath := filepath.Join(dir, filepath.FromSlash(p))
		data, err := os.ReadFile(shardPath)
		if err != nil {
			return nil, fmt.Errorf("TF.js model %s: reading shard %d of %d listed in %s.paths: %w",
				modelJSONPath, pi+1, len(group.Paths), field, err)
		}
		if len(data) == 0 {
			return nil, fmt.Errorf("TF.js model %s: shard %s (%d of %d in %s.paths) is empty",
				modelJSONPath, shardPath, pi+1, len(group.Paths), field)
		}
		buf = append(buf, data...)
	}
	if len(buf) != want {
		last := filepath.Join(dir, filepath.FromSlash(group.Paths[len(group.Paths)-1]))
		if len(buf) < want {
			return nil, fmt.Errorf("TF.js model %s: the %d shards of %s hold %d bytes but its weights' shapes need %d: "+
				"a shard is truncated or missing from %s.paths (last shard %s); re-download the model",
				modelJSONPath, len(group.Paths), field, len(buf), want, field, last)
		}
		return nil, fmt.Errorf("TF.js model %s: the %d shards of %s hold %d bytes but its weights' shapes need only %d: "+
			"the manifest shapes do not match the shards (or %s.paths lists an extra file)",
			modelJSONPath, len(group.Paths), field, len(buf), want, field)
	}

	weights := make([]Weight, 0, len(group.Weights))
	off := 0
	for _, w := range group.Weights {
		out := Weight{Name: w.Name, Shape: append([]int{}, w.Shape...), DType: w.DType}
		n := out.NumElements()
		chunk := buf[off : off+4*n]
		switch w.DType {
		case "float32":
			out.F32 = make([]float32, n)
			for i := range out.F32 {
				out.F32[i] = math.Float32frombits(binary.LittleEndian.Uint32(chunk[4*i:]))
			}
		case "int32":
			out.I32 = make([]int32, n)
			for i := range out.I32 {
				out.I32[i] = int32(binary.LittleEndian.Uint32(chunk[4*i:]))
			}
		}
		off += 4 * n
		weights = append(weights, out)
	}
	return weights, nil
}
