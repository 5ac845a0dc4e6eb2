package train

import (
	"math"
	"slices"
	"testing"

	_ "github.com/gomlx/compute/gobackend"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/nlp-transfer/gotl/internal/backend"
)

func TestEpochBatchesDeterministicPermutation(t *testing.T) {
	a := epochBatches(103, 10, 7, 2, nil, 0)
	b := epochBatches(103, 10, 7, 2, nil, 0)
	if len(a) != 10 {
		t.Fatalf("%d batches of 10 from 103 examples, want 10 (the last 3 left out)", len(a))
	}
	seen := map[int]bool{}
	for i := range a {
		if !slices.Equal(a[i], b[i]) {
			t.Fatalf("batch %d differs between two calls with the same seed: %v vs %v", i, a[i], b[i])
		}
		for _, x := range a[i] {
			if seen[x] || x < 0 || x >= 103 {
				t.Fatalf("example %d repeated or out of range", x)
			}
			seen[x] = true
		}
	}
	if c := epochBatches(103, 10, 7, 3, nil, 0); slices.Equal(c[0], a[0]) {
		t.Errorf("epochs 2 and 3 start with the same batch %v: the order should change per epoch", c[0])
	}
	if c := epochBatches(103, 10, 8, 2, nil, 0); slices.Equal(c[0], a[0]) {
		t.Errorf("seeds 7 and 8 give the same first batch %v", c[0])
	}
}

func TestEpochBatchesBucketsByLength(t *testing.T) {
	n := 400
	lengths := make([]int, n)
	for i := range lengths {
		lengths[i] = 1 + (i*37)%64
	}
	batches := epochBatches(n, 16, 1, 0, lengths, 5)
	if len(batches) != 25 {
		t.Fatalf("%d batches, want 25", len(batches))
	}
	spread := func(bs [][]int) (total int) {
		for _, b := range bs {
			lo, hi := 1<<30, 0
			for _, x := range b {
				lo, hi = min(lo, lengths[x]), max(hi, lengths[x])
			}
			total += hi - lo
		}
		return total
	}
	bucketed, plain := spread(batches), spread(epochBatches(n, 16, 1, 0, nil, 0))
	if bucketed*3 > plain {
		t.Errorf("length spread within batches: %d bucketed vs %d unbucketed; want bucketing to cut it at least 3×", bucketed, plain)
	}
	seen := map[int]bool{}
	for _, b := range batches {
		for _, x := range b {
			if seen[x] {
				t.Fatalf("example %d twice", x)
			}
			seen[x] = true
		}
	}
	if len(seen) != n {
		t.Errorf("%d distinct examples, want %d", len(seen), n)
	}
}

func TestPadLength(t *testing.T) {
	for _, tc := range [][4]int{{1, 16, 64, 16}, {16, 16, 64, 16}, {17, 16, 64, 32}, {70, 16, 64, 64}, {0, 16, 64, 1}, {5, 0, 64, 5}} {
		if got := PadLength(tc[0], tc[1], tc[2]); got != tc[3] {
			t.Errorf("PadLength(%d, %d, %d) = %d, want %d", tc[0], tc[1], tc[2], got, tc[3])
		}
	}
}

func TestRsqrtGradient(t *testing.T) {
	b, err := backend.Get()
	if err != nil {
		t.Fatal(err)
	}
	out, err := graph.ExecOnce(b, func(x *graph.Node) *graph.Node {
		return graph.Gradient(graph.ReduceAllSum(graph.Rsqrt(x)), x)[0]
	}, tensors.FromValue([]float32{4, 0.25}))
	if err != nil {
		t.Fatal(err)
	}
	// -1/2 · x^(-3/2): -1/16 at 4, -4 at 1/4.
	got := out.Value().([]float32)
	if math.Abs(float64(got[0])+1.0/16) > 1e-6 || math.Abs(float64(got[1])+4) > 1e-5 {
		t.Errorf("gradient of rsqrt at [4, 0.25] = %v, want [-0.0625, -4]", got)
	}
}
