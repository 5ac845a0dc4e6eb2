package bert_test

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/nlp-transfer/gotl/tlkit"
	"github.com/nlp-transfer/gotl/tlkit/bert"
)

// tinyVocab is a small uncased WordPiece vocabulary: ids 0..4 are the special tokens.
var tinyVocab = []string{
	"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
	"the", "cat", "sat", "on", "mat", "dog", "##s", "a", "hello", "world", ",", ".", "!",
	"run", "##ning", "play", "##ed", "blue", "red", "big", "small",
}

// writeTinyVocab writes tinyVocab as a vocab.txt in a temporary directory.
func writeTinyVocab(tb testing.TB) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "vocab.txt")
	if err := os.WriteFile(path, []byte(strings.Join(tinyVocab, "\n")+"\n"), 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

// tinyConfig is a 2-layer, 32-wide, 2-head BERT over a 40-token vocabulary.
func tinyConfig() bert.Config {
	cfg := bert.BaseConfig()
	cfg.VocabSize = 40
	cfg.HiddenSize = 32
	cfg.NumHiddenLayers = 2
	cfg.NumAttentionHeads = 2
	cfg.IntermediateSize = 64
	cfg.MaxPositionEmbeddings = 24
	return cfg
}

// newTiny returns a random tiny BERT.
func newTiny(tb testing.TB, seed int64) *bert.Model {
	tb.Helper()
	m, err := bert.New(tinyConfig(), writeTinyVocab(tb), seed)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// forward runs m on token rows padded to a common length (padding id 0), returning the states
// [batch][length][hidden] (padding positions included) and pooled vectors [batch][hidden].
func forward(tb testing.TB, m *bert.Model, rows [][]int32) (states [][][]float32, pooled [][]float32) {
	tb.Helper()
	backend, err := tlkit.Backend()
	if err != nil {
		tb.Fatal(err)
	}
	ids, mask, length := pad(rows)
	exec, err := model.NewExec(backend, m.Store(), func(scope *model.Scope, ids, mask *graph.Node) (*graph.Node, *graph.Node) {
		return m.Build(scope, ids, mask)
	})
	if err != nil {
		tb.Fatal(err)
	}
	defer exec.Finalize()
	boolMask := make([]bool, len(mask))
	for i, v := range mask {
		boolMask[i] = v == 1
	}
	out, err := exec.Exec(tensors.FromFlatDataAndDimensions(ids, len(rows), length),
		tensors.FromFlatDataAndDimensions(boolMask, len(rows), length))
	if err != nil {
		tb.Fatal(err)
	}
	flatStates := tensors.MustCopyFlatData[float32](out[0])
	flatPooled := tensors.MustCopyFlatData[float32](out[1])
	h := m.Dim()
	for b := range rows {
		row := make([][]float32, length)
		for t := range length {
			row[t] = flatStates[(b*length+t)*h : (b*length+t+1)*h]
		}
		states = append(states, row)
		pooled = append(pooled, flatPooled[b*h:(b+1)*h])
	}
	return states, pooled
}

// pad pads rows with id 0 to the longest row, returning flat ids, the 0/1 mask and the length.
func pad(rows [][]int32) (ids []int32, mask []int32, length int) {
	for _, r := range rows {
		length = max(length, len(r))
	}
	ids = make([]int32, len(rows)*length)
	mask = make([]int32, len(rows)*length)
	for b, r := range rows {
		copy(ids[b*length:], r)
		for t := range r {
			mask[b*length+t] = 1
		}
	}
	return ids, mask, length
}

// testRows are token rows of different lengths ([CLS] ... [SEP]), so that batches have padding.
var testRows = [][]int32{
	{2, 5, 6, 7, 8, 5, 9, 16, 3},
	{2, 13, 14, 17, 3},
	{2, 10, 11, 18, 19, 8, 12, 22, 9, 15, 20, 21, 3},
	{2, 3},
}

// maxAbsDiff returns the largest |a-b| over two equally shaped nested slices.
func maxAbsDiff(a, b [][]float32) float64 {
	var d float64
	for i := range a {
		for j := range a[i] {
			d = math.Max(d, math.Abs(float64(a[i][j])-float64(b[i][j])))
		}
	}
	return d
}

// mustBackend returns tlkit's process-wide backend.
func mustBackend(tb testing.TB) compute.Backend {
	tb.Helper()
	b, err := tlkit.Backend()
	if err != nil {
		tb.Fatal(err)
	}
	return b
}
