package train_test

import (
	"strings"
	"testing"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/nlp-transfer/gotl/internal/backend"
	"github.com/nlp-transfer/gotl/tlkit/train"
)

// TestExecRows runs a graph (x ↦ [sum of x, 2·x₀]) on more rows than one chunk, standardized,
// and checks every row, the padded last chunk included, and the error on a ragged row.
func TestExecRows(t *testing.T) {
	store := model.NewStore()
	exec, err := model.NewExec(backend.MustGet(), store, func(scope *model.Scope, x *graph.Node) *graph.Node {
		sum := graph.InsertAxes(graph.ReduceSum(x, -1), -1)
		first := graph.MulScalar(graph.Slice(x, graph.AxisRange(), graph.AxisRange(0, 1)), 2)
		return graph.Concatenate([]*graph.Node{sum, first}, -1)
	})
	if err != nil {
		t.Fatal(err)
	}
	n := train.ExecChunk + 37
	x := make([][]float32, n)
	for i := range x {
		x[i] = []float32{float32(i), 1, -2}
	}
	s := train.IdentityStandardizer(3)
	s.Mean[1] = 1 // Row values become {i, 0, -2}.
	out, err := train.ExecRows(exec, s, x, 3, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != n {
		t.Fatalf("%d output rows for %d inputs", len(out), n)
	}
	for i, row := range out {
		if want := []float32{float32(i) - 2, 2 * float32(i)}; len(row) != 2 || row[0] != want[0] || row[1] != want[1] {
			t.Fatalf("row %d = %v, want %v", i, row, want)
		}
	}
	x[5] = []float32{1, 2}
	if _, err := train.ExecRows(exec, s, x, 3, 2); err == nil || !strings.Contains(err.Error(), "vector 5 has 2 values, want 3") {
		t.Errorf("ragged row: error %v, want one naming vector 5", err)
	}
}
