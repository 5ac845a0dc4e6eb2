package bert_test

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/nlp-transfer/gotl/tlkit/bert"
	"github.com/nlp-transfer/gotl/tlkit/safetensors"
)

// savedTiny saves a random tiny BERT and returns it with its checkpoint directory.
func savedTiny(t *testing.T) (*bert.Model, string) {
	t.Helper()
	m := newTiny(t, 5)
	dir := filepath.Join(t.TempDir(), "ckpt")
	if err := m.Save(dir); err != nil {
		t.Fatal(err)
	}
	return m, dir
}

// editConfig rewrites dir's config.json with edit applied to its fields.
func editConfig(t *testing.T, dir string, edit func(map[string]any)) {
	t.Helper()
	path := filepath.Join(dir, "config.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var fields map[string]any
	if err := json.Unmarshal(data, &fields); err != nil {
		t.Fatal(err)
	}
	edit(fields)
	data, _ = json.Marshal(fields)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// rawTensor is a tensor for writeRaw, in any dtype: F32, BF16 and F64 values are encoded from
// Data, I64 gets zeros.
type rawTensor struct {
	name  string
	dtype string
	shape []int
	data  []float32
}

// writeRaw writes a safetensors file with tensors in the given dtypes.
func writeRaw(t *testing.T, path string, tensors []rawTensor) {
	t.Helper()
	header := map[string]any{}
	var data []byte
	for _, rt := range tensors {
		begin := len(data)
		n := 1
		for _, d := range rt.shape {
			n *= d
		}
		for i := range n {
			switch rt.dtype {
			case "F32":
				data = binary.LittleEndian.AppendUint32(data, math.Float32bits(rt.data[i]))
			case "BF16":
				data = binary.LittleEndian.AppendUint16(data, uint16(math.Float32bits(rt.data[i])>>16))
			case "F64":
				data = binary.LittleEndian.AppendUint64(data, math.Float64bits(float64(rt.data[i])))
			case "I64":
				data = binary.LittleEndian.AppendUint64(data, uint64(i))
			}
		}
		header[rt.name] = map[string]any{"dtype": rt.dtype, "shape": rt.shape, "data_offsets": []int{begin, len(data)}}
	}
	h, _ := json.Marshal(header)
	buf := append(binary.LittleEndian.AppendUint64(nil, uint64(len(h))), h...)
	if err := os.WriteFile(path, append(buf, data...), 0o644); err != nil {
		t.Fatal(err)
	}
}

// readRaw returns dir's model.safetensors tensors as F32 rawTensors, sorted by name.
func readRaw(t *testing.T, dir string) []rawTensor {
	t.Helper()
	tensors, _, err := safetensors.ReadAll(filepath.Join(dir, "model.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	var out []rawTensor
	for _, ts := range tensors {
		out = append(out, rawTensor{ts.Name, "F32", ts.Shape, ts.Data})
	}
	sort.Slice(out, func(a, b int) bool { return out[a].name < out[b].name })
	return out
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string)
		want  []string // Substrings of the error; "$dir" stands for the checkpoint directory.
	}{
		{"config missing a field", func(t *testing.T, dir string) {
			editConfig(t, dir, func(f map[string]any) { delete(f, "hidden_size") })
		}, []string{"$dir/config.json", "hidden_size"}},
		{"unsupported activation", func(t *testing.T, dir string) {
			editConfig(t, dir, func(f map[string]any) { f["hidden_act"] = "swish" })
		}, []string{"$dir/config.json", "hidden_act", "swish"}},
		{"shape mismatch", func(t *testing.T, dir string) {
			editConfig(t, dir, func(f map[string]any) { f["intermediate_size"] = 48 })
		}, []string{"$dir/model.safetensors", `"bert.encoder.layer.0.intermediate.dense.weight"`, "[64 32]", "[48 32]"}},
		{"extra layer", func(t *testing.T, dir string) {
			editConfig(t, dir, func(f map[string]any) { f["num_hidden_layers"] = 1 })
		}, []string{"$dir/model.safetensors", "unexpected tensor", "encoder.layer.1."}},
		{"missing weights", func(t *testing.T, dir string) {
			_ = os.Remove(filepath.Join(dir, "model.safetensors"))
		}, []string{"$dir/model.safetensors"}},
		{"truncated weights", func(t *testing.T, dir string) {
			path := filepath.Join(dir, "model.safetensors")
			info, _ := os.Stat(path)
			_ = os.Truncate(path, info.Size()-100)
		}, []string{"$dir/model.safetensors", "truncated", `"bert.pooler.dense.weight"`}},
		{"unsupported dtype", func(t *testing.T, dir string) {
			raw := readRaw(t, dir)
			for i := range raw {
				if raw[i].name == "bert.encoder.layer.1.output.dense.bias" {
					raw[i].dtype = "F64"
				}
			}
			writeRaw(t, filepath.Join(dir, "model.safetensors"), raw)
		}, []string{"$dir/model.safetensors", `"bert.encoder.layer.1.output.dense.bias"`, "F64"}},
		{"missing tensor", func(t *testing.T, dir string) {
			var raw []rawTensor
			for _, rt := range readRaw(t, dir) {
				if rt.name != "bert.encoder.layer.1.attention.self.key.weight" {
					raw = append(raw, rt)
				}
			}
			writeRaw(t, filepath.Join(dir, "model.safetensors"), raw)
		}, []string{"$dir/model.safetensors", `"bert.encoder.layer.1.attention.self.key.weight"`}},
		{"no vocabulary", func(t *testing.T, dir string) {
			_ = os.Remove(filepath.Join(dir, "vocab.txt"))
		}, []string{"vocab.txt", "tokenizer.json"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, dir := savedTiny(t)
			tc.setup(t, dir)
			m, err := bert.Load(dir)
			if err == nil {
				t.Fatalf("Load succeeded: %s", m.Name())
			}
			if m != nil {
				t.Error("Load returned a model with its error")
			}
			for _, w := range tc.want {
				if w = strings.ReplaceAll(w, "$dir", dir); !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestLoadAlternativeNames(t *testing.T) {
	m, dir := savedTiny(t)
	wantStates, wantPooled := forward(t, m, testRows)

	// A BertModel-style save: no "bert." prefix, TF-era LayerNorm names, an MLM head, the I64
	// position_ids buffer, and BF16-exact weights stored as BF16.
	var raw []rawTensor
	for _, rt := range readRaw(t, dir) {
		name := strings.TrimPrefix(rt.name, "bert.")
		name = strings.Replace(name, "LayerNorm.weight", "LayerNorm.gamma", 1)
		name = strings.Replace(name, "LayerNorm.bias", "LayerNorm.beta", 1)
		raw = append(raw, rawTensor{name, rt.dtype, rt.shape, rt.data})
	}
	raw = append(raw,
		rawTensor{"embeddings.position_ids", "I64", []int{1, 24}, nil},
		rawTensor{"cls.predictions.bias", "F32", []int{40}, make([]float32, 40)},
		rawTensor{"cls.predictions.transform.dense.weight", "F64", []int{2, 2}, make([]float32, 4)},
	)
	writeRaw(t, filepath.Join(dir, "model.safetensors"), raw)
	loaded, err := bert.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	gotStates, gotPooled := forward(t, loaded, testRows)
	if !reflect.DeepEqual(gotPooled, wantPooled) || !reflect.DeepEqual(gotStates, wantStates) {
		t.Errorf("outputs differ after loading renamed weights: pooled max |diff| %g", maxAbsDiff(gotPooled, wantPooled))
	}

	// Without pooler weights (a BertForMaskedLM save), the pooler is freshly initialised.
	var noPooler []rawTensor
	for _, rt := range raw {
		if !strings.HasPrefix(rt.name, "pooler.") {
			noPooler = append(noPooler, rt)
		}
	}
	writeRaw(t, filepath.Join(dir, "model.safetensors"), noPooler)
	loaded, err = bert.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if loaded.PretrainedPooler() {
		t.Error("PretrainedPooler() is true for a checkpoint without pooler weights")
	}
	gotStates, _ = forward(t, loaded, testRows)
	if !reflect.DeepEqual(gotStates, wantStates) {
		t.Error("states differ without the pooler weights")
	}

	// BF16 weights are widened to float32.
	bf := readRaw(t, dir)
	for i := range bf {
		bf[i].dtype = "BF16"
	}
	writeRaw(t, filepath.Join(dir, "model.safetensors"), bf)
	loaded, err = bert.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	gotStates, _ = forward(t, loaded, testRows)
	if d := maxAbsDiff(gotStates[0], wantStates[0]); d == 0 || d > 0.05 {
		t.Errorf("BF16 checkpoint: states max |diff| %g from F32, want small but non-zero", d)
	} else {
		t.Logf("BF16 checkpoint: states max |diff| %.3g from F32", d)
	}
}

func TestLoadTokenizerJSON(t *testing.T) {
	m, dir := savedTiny(t)
	// Replace vocab.txt and tokenizer_config.json by a tokenizer.json with a cased normalizer.
	vocab := map[string]int{}
	for i, tok := range tinyVocab {
		vocab[tok] = i
	}
	tj := map[string]any{
		"normalizer": map[string]any{"type": "BertNormalizer", "lowercase": false},
		"model":      map[string]any{"type": "WordPiece", "unk_token": "[UNK]", "vocab": vocab},
	}
	data, _ := json.Marshal(tj)
	_ = os.WriteFile(filepath.Join(dir, "tokenizer.json"), data, 0o644)
	_ = os.Remove(filepath.Join(dir, "vocab.txt"))
	_ = os.Remove(filepath.Join(dir, "tokenizer_config.json"))

	loaded, err := bert.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !loaded.Config().Cased {
		t.Error("tokenizer.json's lowercase=false normalizer did not make the model cased")
	}
	got, err := loaded.Tokenize([]string{"the cat", "The cat"})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := m.Tokenize([]string{"the cat", "the cat"})
	if !reflect.DeepEqual(got[0], want[0]) || reflect.DeepEqual(got[1], want[1]) {
		t.Errorf("cased tokenizer: %v, want %v then a different row (\"The\" is unknown)", got, want)
	}
	// Saving writes vocab.txt back, with the casing in tokenizer_config.json.
	out := filepath.Join(t.TempDir(), "again")
	if err := loaded.Save(out); err != nil {
		t.Fatal(err)
	}
	reloaded, err := bert.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	if !reloaded.Config().Cased || reloaded.Tokenizer().VocabSize() != len(tinyVocab) {
		t.Errorf("re-saved model: cased %v, vocabulary %d", reloaded.Config().Cased, reloaded.Tokenizer().VocabSize())
	}
}

func TestSaveFailureLeavesNothing(t *testing.T) {
	m := newTiny(t, 1)
	parent := t.TempDir()
	file := filepath.Join(parent, "file")
	_ = os.WriteFile(file, []byte("x"), 0o644)
	if err := m.Save(file); err == nil {
		t.Error("Save onto a regular file succeeded")
	}
	if err := m.Save(filepath.Join(file, "sub")); err == nil {
		t.Error("Save under a regular file succeeded")
	}
	entries, _ := os.ReadDir(parent)
	if len(entries) != 1 {
		t.Errorf("failed saves left %d entries in %s, want only the file", len(entries), parent)
	}
}
