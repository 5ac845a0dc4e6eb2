package train_test

import (
	"fmt"
	"testing"

	"github.com/gomlx/gomlx/core/tensors"

	"github.com/nlp-transfer/gotl/tlkit/train"
)

// TestPadRows pads two rows to a batch of three: the length is rounded up to the step and
// capped, a longer row is cut, the missing row repeats the first, the mask marks real tokens.
func TestPadRows(t *testing.T) {
	rows := [][]int32{{1, 2, 3}, {4, 5, 6, 7, 8, 9}}
	ids, mask, length := train.PadRows(rows, 3, 4, 5)
	if length != 5 {
		t.Fatalf("length %d, want 5 (6 rounded up to 8, capped at 5)", length)
	}
	gotIDs := tensors.MustCopyFlatData[int32](ids)
	gotMask := tensors.MustCopyFlatData[bool](mask)
	if want := "[1 2 3 0 0 4 5 6 7 8 1 2 3 0 0]"; fmt.Sprint(gotIDs) != want {
		t.Errorf("ids %v, want %s", gotIDs, want)
	}
	if want := "[true true true false false true true true true true true true true false false]"; fmt.Sprint(gotMask) != want {
		t.Errorf("mask %v, want %s", gotMask, want)
	}
	if d := ids.Shape().Dimensions; fmt.Sprint(d) != "[3 5]" {
		t.Errorf("shape %v, want [3 5]", d)
	}
}
