package bert_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/nlp-transfer/gotl/tlkit/bert"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
)

func TestTokenizePairs(t *testing.T) {
	m := newTiny(t, 1)
	var _ encoder.PairTokenizer = m
	ids, err := m.TokenizePairs([]string{"the cat sat on the mat", "hello"}, []string{"a dog", "world !"}, 9)
	if err != nil {
		t.Fatal(err)
	}
	// [CLS]=2 [SEP]=3 the=5 cat=6 sat=7 on=8 mat=9 dog=10 a=12 hello=13 world=14 !=17. The first
	// pair has 6+2 wordpieces for 9-3 = 6 places: the longer text loses its last two.
	want := [][]int32{{2, 5, 6, 7, 8, 3, 12, 10, 3}, {2, 13, 3, 14, 17, 3}}
	if !reflect.DeepEqual(ids, want) {
		t.Errorf("TokenizePairs = %v, want %v", ids, want)
	}
	// Ties cut the first text; maxTokens 0 means MaxTokens.
	if ids, err := m.TokenizePairs([]string{"the cat sat"}, []string{"a dog run"}, 7); err != nil || !reflect.DeepEqual(ids, [][]int32{{2, 5, 6, 3, 12, 10, 3}}) {
		t.Errorf("tie: %v, %v; want [[2 5 6 3 12 10 3]]", ids, err)
	}
	if ids, err := m.TokenizePairs([]string{"the cat"}, []string{"a dog"}, 0); err != nil || len(ids[0]) != 7 {
		t.Errorf("no limit: %v, %v", ids, err)
	}
	if _, err := m.TokenizePairs([]string{"cat", "dog"}, []string{"mat", " "}, 0); !errors.Is(err, encoder.ErrEmptyText) || !strings.Contains(err.Error(), "pair 1") {
		t.Errorf("empty second text: err = %v, want ErrEmptyText naming pair 1", err)
	}
	if _, err := m.TokenizePairs([]string{"cat"}, nil, 0); err == nil {
		t.Error("mismatched lengths: no error")
	}
	if _, err := m.TokenizePairs([]string{"cat"}, []string{"dog"}, 4); err == nil || !strings.Contains(err.Error(), "5") {
		t.Errorf("maxTokens 4: err = %v, want one saying a pair needs 5", err)
	}
}

// TestSegments checks that Build gives a pair's second segment token type 1 (the same states
// as EncoderSegments with the types written out), and a single text type 0 (Encoder's states,
// bit for bit).
func TestSegments(t *testing.T) {
	m := newTiny(t, 3)
	b := mustBackend(t)
	types, err := graph.ExecOnce(b, func(ids, mask *graph.Node) *graph.Node { return bert.SegmentsFromSep(ids, mask, 3) },
		tensors.FromValue([][]int32{{2, 5, 3, 6, 7, 3, 0}, {2, 5, 6, 3, 0, 0, 0}}),
		tensors.FromValue([][]bool{{true, true, true, true, true, true, false}, {true, true, true, true, false, false, false}}))
	if err != nil {
		t.Fatal(err)
	}
	if got := types.Value(); !reflect.DeepEqual(got, [][]int32{{0, 0, 0, 1, 1, 1, 0}, {0, 0, 0, 0, 0, 0, 0}}) {
		t.Errorf("SegmentsFromSep = %v", got)
	}

	pair := []int32{2, 5, 6, 3, 10, 3}
	built, _ := forward(t, m, [][]int32{pair})
	// Both outputs returned: see the note on the [CLS] slice in bert.EncoderSegments.
	exec, err := model.NewExec(b, m.Store(), func(scope *model.Scope, ids, mask, types *graph.Node) (*graph.Node, *graph.Node) {
		return bert.EncoderSegments(scope, m.Config(), ids, mask, types)
	})
	if err != nil {
		t.Fatal(err)
	}
	defer exec.Finalize()
	out, err := exec.Exec(tensors.FromValue([][]int32{pair}), tensors.FromValue([][]bool{{true, true, true, true, true, true}}),
		tensors.FromValue([][]int32{{0, 0, 0, 0, 1, 1}}))
	if err != nil {
		t.Fatal(err)
	}
	explicit := tensors.MustCopyFlatData[float32](out[0])
	var flat []float32
	for _, s := range built[0] {
		flat = append(flat, s...)
	}
	if d := maxAbsDiff([][]float32{flat}, [][]float32{explicit}); d > 1e-5 {
		t.Errorf("Build vs EncoderSegments with types 0,0,0,0,1,1: max |diff| %g", d)
	}

	exec0, err := model.NewExec(b, m.Store(), func(scope *model.Scope, ids, mask *graph.Node) (*graph.Node, *graph.Node) {
		return bert.Encoder(scope, m.Config(), ids, mask)
	})
	if err != nil {
		t.Fatal(err)
	}
	defer exec0.Finalize()
	for _, row := range testRows {
		got, _ := forward(t, m, [][]int32{row})
		mask := make([]bool, len(row))
		for i := range mask {
			mask[i] = true
		}
		out, err := exec0.Exec(tensors.FromValue([][]int32{row}), tensors.FromValue([][]bool{mask}))
		if err != nil {
			t.Fatal(err)
		}
		want := tensors.MustCopyFlatData[float32](out[0])
		var flat []float32
		for _, s := range got[0] {
			flat = append(flat, s...)
		}
		if !reflect.DeepEqual(flat, want) {
			t.Errorf("single text %v: Build's states differ from Encoder's (type 0)", row)
		}
	}
	// Type 1 embeddings differ from type 0 (random init), so the second segment's states move.
	out, err = exec0.Exec(tensors.FromValue([][]int32{pair}), tensors.FromValue([][]bool{{true, true, true, true, true, true}}))
	if err != nil {
		t.Fatal(err)
	}
	if d := maxAbsDiff([][]float32{flat}, [][]float32{tensors.MustCopyFlatData[float32](out[0])}); d < 1e-4 {
		t.Errorf("a pair read as one segment gives the same states (max |diff| %g): the types are ignored", d)
	}
}
