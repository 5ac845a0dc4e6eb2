package uselite

import (
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeModel writes a model.json with the given manifest JSON and shard files into a temp dir
// and returns the model.json path.
func writeModel(t *testing.T, manifest string, shards map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "model.json")
	if err := os.WriteFile(path, []byte(`{"format":"graph-model","modelTopology":{},"weightsManifest":`+manifest+`}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, data := range shards {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

// le32 encodes values as little-endian 32-bit words.
func le32(values ...uint32) []byte {
	b := make([]byte, 4*len(values))
	for i, v := range values {
		binary.LittleEndian.PutUint32(b[4*i:], v)
	}
	return b
}

const twoWeights = `[{"paths":["s1","s2"],"weights":[
	{"name":"w","shape":[2,2],"dtype":"float32"},
	{"name":"k","shape":[],"dtype":"int32"}]}]`

func TestReadWeights(t *testing.T) {
	f := func(x float32) uint32 { return math.Float32bits(x) }
	// The 5 words are split across the two shards mid-tensor.
	path := writeModel(t, twoWeights, map[string][]byte{
		"s1": le32(f(1), f(-2), f(3.5)),
		"s2": le32(f(4), uint32(0xFFFFFFFF)),
	})
	ws, err := ReadWeights(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(ws) != 2 || ws[0].Name != "w" || ws[1].Name != "k" {
		t.Fatalf("got weights %+v", ws)
	}
	if got := ws[0].F32; len(got) != 4 || got[0] != 1 || got[1] != -2 || got[2] != 3.5 || got[3] != 4 {
		t.Errorf("w = %v, want [1 -2 3.5 4]", got)
	}
	if ws[0].NumElements() != 4 || ws[1].NumElements() != 1 {
		t.Errorf("NumElements = %d, %d, want 4, 1", ws[0].NumElements(), ws[1].NumElements())
	}
	if got := ws[1].I32; len(got) != 1 || got[0] != -1 || ws[1].F32 != nil {
		t.Errorf("k = %v (F32 %v), want int32 [-1]", got, ws[1].F32)
	}
}

func TestReadWeightsErrors(t *testing.T) {
	full := map[string][]byte{"s1": le32(1, 2, 3), "s2": le32(4, 5)}
	tests := []struct {
		name     string
		manifest string
		shards   map[string][]byte
		want     []string // Substrings of the error.
	}{
		{"missing shard", twoWeights, map[string][]byte{"s1": le32(1, 2, 3)},
			[]string{"shard 2 of 2", "weightsManifest[0].paths", "s2"}},
		{"truncated shard", twoWeights, map[string][]byte{"s1": le32(1, 2, 3), "s2": le32(4)[:3]},
			[]string{"hold 15 bytes", "need 20", "truncated", "s2"}},
		{"too few shards listed", strings.Replace(twoWeights, `"s1","s2"`, `"s1"`, 1), full,
			[]string{"1 shards", "hold 12 bytes", "need 20"}},
		{"too many bytes for shapes", strings.Replace(twoWeights, `[2,2]`, `[3]`, 1), full,
			[]string{"hold 20 bytes", "need only 16", "shapes do not match"}},
		{"empty shard", twoWeights, map[string][]byte{"s1": le32(1, 2, 3, 4, 5), "s2": nil},
			[]string{"is empty", "s2"}},
		{"unsupported dtype", strings.Replace(twoWeights, `"int32"`, `"float16"`, 1), full,
			[]string{`weightsManifest[0].weights[1] ("k")`, `unsupported dtype "float16"`}},
		{"quantized", strings.Replace(twoWeights, `"dtype":"int32"`, `"dtype":"int32","quantization":{"dtype":"uint8"}`, 1), full,
			[]string{`("k")`, "quantized"}},
		{"no manifest", `[]`, nil, []string{`"weightsManifest" is missing or empty`}},
		{"no paths", `[{"paths":[],"weights":[]}]`, nil, []string{"weightsManifest[0].paths is empty"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeModel(t, tc.manifest, tc.shards)
			ws, err := ReadWeights(path)
			if err == nil {
				t.Fatalf("got %d weights and no error", len(ws))
			}
			if ws != nil {
				t.Errorf("got partial weights %v with the error", ws)
			}
			msg := err.Error()
			for _, w := range append(tc.want, path) {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not mention %q", msg, w)
				}
			}
		})
	}
	if _, err := ReadWeights(filepath.Join(t.TempDir(), "model.json")); err == nil || !os.IsNotExist(unwrapAll(err)) {
		t.Errorf("missing model.json: got %v, want a not-exist error", err)
	}
}

// unwrapAll returns the innermost wrapped error.
func unwrapAll(err error) error {
	for {
		u, ok := err.(interface{ Unwrap() error })
		if !ok || u.Unwrap() == nil {
			return err
		}
		err = u.Unwrap()
	}
}
