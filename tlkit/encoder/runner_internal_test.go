package encoder

import (
	"slices"
	"testing"
)

func TestPlanBuckets(t *testing.T) {
	lengths := []int{3, 40, 1, 16, 17, 128, 2, 5}
	got := planBuckets(lengths, 2, 16, 128)
	type b struct {
		rows          []int
		batch, length int
	}
	want := []b{
		{[]int{2, 6}, 2, 16}, // lengths 1, 2
		{[]int{0, 7}, 2, 16}, // 3, 5
		{[]int{3}, 1, 16},    // 16
		{[]int{4}, 1, 32},    // 17
		{[]int{1}, 1, 48},    // 40
		{[]int{5}, 1, 128},   // 128
	}
	if len(got) != len(want) {
		t.Fatalf("planBuckets = %+v, want %+v", got, want)
	}
	seen := map[int]bool{}
	for i := range want {
		if !slices.Equal(got[i].rows, want[i].rows) || got[i].batch != want[i].batch || got[i].length != want[i].length {
			t.Errorf("bucket %d = %+v, want %+v", i, got[i], want[i])
		}
		for _, r := range got[i].rows {
			seen[r] = true
		}
	}
	if len(seen) != len(lengths) {
		t.Errorf("buckets cover rows %v, want all %d", seen, len(lengths))
	}
	// Batches are padded to a power of two, capped at maxBatch.
	for _, bk := range planBuckets([]int{1, 1, 1, 1, 1}, 8, 16, 128) {
		if bk.batch != 8 || len(bk.rows) != 5 {
			t.Errorf("5 rows, maxBatch 8: got bucket %+v, want 5 rows in a batch of 8", bk)
		}
	}
	for _, bk := range planBuckets([]int{1, 1, 1, 1, 1}, 3, 16, 128) {
		if bk.batch > 3 {
			t.Errorf("maxBatch 3: got batch %d", bk.batch)
		}
	}
}
