package probe

import (
	"reflect"
	"strings"
	"testing"
)

func TestPairFeatures(t *testing.T) {
	got, err := PairFeatures([][]float32{{1, -2}, {0, 3}}, [][]float32{{3, 1}, {0, -1}})
	if err != nil {
		t.Fatal(err)
	}
	// [u, v, |u−v|, u⊙v].
	want := [][]float32{{1, -2, 3, 1, 2, 3, 3, -2}, {0, 3, 0, -1, 0, 4, 0, -3}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("PairFeatures = %v, want %v", got, want)
	}
	if _, err := PairFeatures([][]float32{{1}}, nil); err == nil {
		t.Error("unequal counts: no error")
	}
	if _, err := PairFeatures([][]float32{{1}}, [][]float32{{1, 2}}); err == nil || !strings.Contains(err.Error(), "pair 0") {
		t.Errorf("unequal widths: err = %v, want one naming pair 0", err)
	}
}
