package bert_test

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/core/tensors"
	"github.com/nlp-transfer/gotl/tlkit/bert"
)

// pythonWithTorch is the interpreter the parity test runs testdata/torch_ref.py with: Debian's
// python3 with python3-torch (apt-get install python3-torch).
const pythonWithTorch = "/usr/bin/python3"

// perturb replaces every variable of m with random values of a useful scale for a parity test:
// weights and embeddings N(0, 0.2²) (so attention is far from uniform), biases and LayerNorm
// offsets N(0, 0.1²), LayerNorm scales 1 + N(0, 0.1²).
func perturb(t *testing.T, m *bert.Model, seed uint64) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	for _, l := range m.Layers() {
		for _, v := range l.Variables {
			n := v.Shape().Size()
			data := make([]float32, n)
			for i := range data {
				x := rng.NormFloat64()
				switch {
				case strings.HasSuffix(v.Path(), "/scale"):
					data[i] = float32(1 + 0.1*x)
				case strings.HasSuffix(v.Path(), "/offset"), strings.HasSuffix(v.Path(), "/biases"):
					data[i] = float32(0.1 * x)
				default:
					data[i] = float32(0.2 * x)
				}
			}
			if err := v.SetValue(tensors.FromFlatDataAndDimensions(data, v.Shape().Dimensions...)); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestPyTorchParity(t *testing.T) {
	if out, err := exec.Command(pythonWithTorch, "-c", "import torch").CombinedOutput(); err != nil {
		t.Skipf("PyTorch parity test skipped: %s -c \"import torch\" failed (install Debian's python3-torch: "+
			"apt-get install --no-install-recommends python3-torch): %v: %s", pythonWithTorch, err, bytes.TrimSpace(out))
	}
	script, err := filepath.Abs(filepath.Join("testdata", "torch_ref.py"))
	if err != nil {
		t.Fatal(err)
	}

	bigger := tinyConfig()
	bigger.NumHiddenLayers, bigger.HiddenSize, bigger.NumAttentionHeads, bigger.IntermediateSize = 3, 48, 4, 96
	bigger.LayerNormEps = 1e-5
	configs := map[string]bert.Config{"L2-H32-A2": tinyConfig(), "L3-H48-A4": bigger}
	rng := rand.New(rand.NewPCG(3, 4))
	for name, cfg := range configs {
		t.Run(name, func(t *testing.T) {
			m, err := bert.New(cfg, writeTinyVocab(t), 11)
			if err != nil {
				t.Fatal(err)
			}
			perturb(t, m, 12)
			dir := filepath.Join(t.TempDir(), "ckpt")
			if err := m.Save(dir); err != nil {
				t.Fatal(err)
			}

			// Rows of random ids of lengths 2..MaxPositionEmbeddings, padded to the longest.
			rows := append([][]int32{}, testRows...)
			for _, n := range []int{cfg.MaxPositionEmbeddings, 7, 2, 15} {
				row := []int32{2}
				for range n - 2 {
					row = append(row, int32(5+rng.IntN(cfg.VocabSize-5)))
				}
				rows = append(rows, append(row, 3))
			}
			states, pooled := forward(t, m, rows)

			ids, mask, length := pad(rows)
			input := map[string]any{"ids": reshape(ids, length), "mask": reshape(mask, length)}
			inputPath := filepath.Join(t.TempDir(), "input.json")
			data, _ := json.Marshal(input)
			if err := os.WriteFile(inputPath, data, 0o644); err != nil {
				t.Fatal(err)
			}
			var stderr bytes.Buffer
			cmd := exec.Command(pythonWithTorch, script, dir, inputPath)
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("%s: %v\n%s", script, err, stderr.String())
			}
			var ref struct {
				States [][][]float32 `json:"states"`
				Pooled [][]float32   `json:"pooled"`
			}
			if err := json.Unmarshal(out, &ref); err != nil {
				t.Fatalf("parsing %s's output: %v", script, err)
			}
			if len(ref.States) != len(rows) || len(ref.Pooled) != len(rows) {
				t.Fatalf("reference has %d state rows and %d pooled rows, want %d", len(ref.States), len(ref.Pooled), len(rows))
			}
			var worstStates, worstPooled float64
			for b := range rows {
				// Every position, padding included: both compute states for padding as HuggingFace does.
				worstStates = max(worstStates, maxAbsDiff(states[b], ref.States[b]))
			}
			worstPooled = maxAbsDiff(pooled, ref.Pooled)
			t.Logf("%d rows of up to %d tokens: max |Go - PyTorch| states %.3g, pooled %.3g", len(rows), length, worstStates, worstPooled)
			if worstStates > 1e-4 || worstPooled > 1e-4 {
				t.Errorf("max abs error states %g, pooled %g: want < 1e-4", worstStates, worstPooled)
			}
		})
	}
}

// reshape splits a flat row-major slice into rows of the given length.
func reshape(flat []int32, length int) [][]int32 {
	var rows [][]int32
	for i := 0; i < len(flat); i += length {
		rows = append(rows, flat[i:i+length])
	}
	return rows
}
