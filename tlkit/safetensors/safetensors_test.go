package safetensors

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// rawFile writes a safetensors file from a hand-written header and data.
func rawFile(t *testing.T, header map[string]any, data []byte) string {
	t.Helper()
	h, err := json.Marshal(header)
	if err != nil {
		t.Fatal(err)
	}
	buf := binary.LittleEndian.AppendUint64(nil, uint64(len(h)))
	buf = append(append(buf, h...), data...)
	path := filepath.Join(t.TempDir(), "model.safetensors")
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func entry(dtype string, shape []int, begin, end int) map[string]any {
	return map[string]any{"dtype": dtype, "shape": shape, "data_offsets": []int{begin, end}}
}

func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "w.safetensors")
	in := []Tensor{
		{Name: "b", Shape: []int{2, 3}, Data: []float32{1, -2, 3.5, float32(math.Inf(1)), 0, -1e-30}},
		{Name: "a", Shape: []int{4}, Data: []float32{0.25, 0.5, 0.75, 1}},
		{Name: "scalar", Shape: nil, Data: []float32{42}},
	}
	meta := map[string]string{"format": "pt"}
	if err := Write(path, in, meta); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if hl := binary.LittleEndian.Uint64(raw); (8+hl)%8 != 0 {
		t.Errorf("header length %d: data not 8-byte aligned", hl)
	}
	// Deterministic: writing the same tensors in another order gives the same bytes.
	path2 := filepath.Join(dir, "w2.safetensors")
	if err := Write(path2, []Tensor{in[2], in[0], in[1]}, meta); err != nil {
		t.Fatal(err)
	}
	raw2, _ := os.ReadFile(path2)
	if string(raw) != string(raw2) {
		t.Error("Write is not deterministic in the tensor order")
	}

	out, gotMeta, err := ReadAll(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(gotMeta, meta) {
		t.Errorf("metadata = %v, want %v", gotMeta, meta)
	}
	want := []Tensor{in[1], in[0], {Name: "scalar", Shape: []int{}, Data: []float32{42}}}
	if !reflect.DeepEqual(out, want) {
		t.Errorf("ReadAll = %v, want %v", out, want)
	}
	sf, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer sf.Close()
	info, ok := sf.Info("a")
	if !ok || info.Begin != 0 || info.End != 16 || info.DType != F32 {
		t.Errorf("Info(a) = %+v, %v: want the first 16 data bytes, F32", info, ok)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("directory holds %d files, want 2 (no temporary files left)", len(entries))
	}
}

func TestWriteErrorsLeaveNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "w.safetensors")
	err := Write(path, []Tensor{{Name: "x", Shape: []int{3}, Data: []float32{1, 2}}}, nil)
	if err == nil || !strings.Contains(err.Error(), `"x"`) {
		t.Errorf("Write with a short tensor: err = %v, want an error naming the tensor", err)
	}
	err = Write(path, []Tensor{{Name: "x", Data: []float32{1}}, {Name: "x", Data: []float32{1}}}, nil)
	if err == nil || !strings.Contains(err.Error(), "duplicate") {
		t.Errorf("Write with a duplicate name: err = %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("failed writes left %d files", len(entries))
	}
}

func TestHalfPrecision(t *testing.T) {
	// F16 bits: 1.0 = 0x3c00, -2.0 = 0xc000, 0.5 = 0x3800, 65504 = 0x7bff (max),
	// smallest subnormal 2^-24 = 0x0001, +Inf = 0x7c00, -0 = 0x8000.
	f16 := []uint16{0x3c00, 0xc000, 0x3800, 0x7bff, 0x0001, 0x7c00, 0x8000, 0x3555}
	want16 := []float32{1, -2, 0.5, 65504, float32(math.Ldexp(1, -24)), float32(math.Inf(1)), float32(math.Copysign(0, -1)), 0.333251953125}
	// BF16 bits are the top half of float32: 1.0 = 0x3f80, -3.0 = 0xc040, pi ≈ 0x4049 = 3.140625.
	bf16 := []uint16{0x3f80, 0xc040, 0x4049}
	wantBF := []float32{1, -3, 3.140625}
	var data []byte
	for _, h := range f16 {
		data = binary.LittleEndian.AppendUint16(data, h)
	}
	for _, h := range bf16 {
		data = binary.LittleEndian.AppendUint16(data, h)
	}
	path := rawFile(t, map[string]any{
		"half":  entry("F16", []int{2, 4}, 0, 16),
		"brain": entry("BF16", []int{3}, 16, 22),
	}, data)
	sf, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer sf.Close()
	got, err := sf.Float32("half")
	if err != nil {
		t.Fatal(err)
	}
	for i := range want16 {
		if math.Float32bits(got[i]) != math.Float32bits(want16[i]) {
			t.Errorf("F16 %#04x → %g, want %g", f16[i], got[i], want16[i])
		}
	}
	if nan := HalfToFloat32(0x7e00); !math.IsNaN(float64(nan)) {
		t.Errorf("F16 NaN → %g", nan)
	}
	got, err = sf.Float32("brain")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, wantBF) {
		t.Errorf("BF16 → %v, want %v", got, wantBF)
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name   string
		header map[string]any
		data   []byte
		want   []string // Substrings of the error.
	}{
		{"truncated", map[string]any{"ok": entry("F32", []int{1}, 0, 4), "w": entry("F32", []int{2, 2}, 4, 20)},
			make([]byte, 12), []string{`"w"`, "truncated"}},
		{"size mismatch", map[string]any{"w": entry("F32", []int{3}, 0, 8)}, make([]byte, 8), []string{`"w"`, "needs 12"}},
		{"unknown dtype", map[string]any{"w": entry("F128", []int{1}, 0, 16)}, make([]byte, 16), []string{`"w"`, "F128"}},
		{"bad offsets", map[string]any{"w": entry("F32", []int{1}, 8, 4)}, make([]byte, 8), []string{`"w"`, "data_offsets"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := rawFile(t, tc.header, tc.data)
			_, err := Open(path)
			if err == nil {
				t.Fatal("Open succeeded")
			}
			for _, w := range append(tc.want, path) {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}

	t.Run("bad header", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "x.safetensors")
		buf := binary.LittleEndian.AppendUint64(nil, 5)
		_ = os.WriteFile(path, append(buf, "{nope"...), 0o644)
		if _, err := Open(path); err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "bad header") {
			t.Errorf("err = %v, want a bad-header error naming %s", err, path)
		}
		buf = binary.LittleEndian.AppendUint64(nil, 1000)
		_ = os.WriteFile(path, append(buf, "{}"...), 0o644)
		if _, err := Open(path); err == nil || !strings.Contains(err.Error(), "header length 1000") {
			t.Errorf("err = %v, want a header-length error", err)
		}
		_ = os.WriteFile(path, []byte{1, 2}, 0o644)
		if _, err := Open(path); err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("err = %v, want a too-short error naming %s", err, path)
		}
	})

	t.Run("unsupported dtype", func(t *testing.T) {
		path := rawFile(t, map[string]any{"ids": entry("I64", []int{2}, 0, 16)}, make([]byte, 16))
		sf, err := Open(path) // An I64 tensor (e.g. position_ids) is listed, not an error.
		if err != nil {
			t.Fatal(err)
		}
		defer sf.Close()
		_, err = sf.Float32("ids")
		for _, w := range []string{path, `"ids"`, "I64"} {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("Float32(ids): err = %v, want it to contain %q", err, w)
			}
		}
		if _, err := sf.Float32("missing"); err == nil || !strings.Contains(err.Error(), `"missing"`) {
			t.Errorf("Float32(missing): err = %v", err)
		}
		tensors, _, err := ReadAll(path)
		if err != nil || len(tensors) != 0 {
			t.Errorf("ReadAll = %v, %v: want the I64 tensor skipped", tensors, err)
		}
	})
}
