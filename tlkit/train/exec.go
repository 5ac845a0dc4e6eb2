package train

import (
	"fmt"

	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// ExecChunk is the most rows ExecRows hands to one graph execution.
const ExecChunk = 1024

// ExecRows runs exec, a graph from one [n, dim] float32 input to one [n, width] float32
// output (a head's probabilities, a feature layer), on the rows of x standardized by s, and
// returns one width-long output row per input row. It runs in chunks of ExecChunk rows; when
// there are several chunks, the last one is padded with zero rows so that every execution
// has the same shape (one compiled graph). A row whose length is not dim is an error.
func ExecRows(exec *model.Exec, s Standardizer, x [][]float32, dim, width int) ([][]float32, error) {
	for i, row := range x {
		if len(row) != dim {
			return nil, fmt.Errorf("vector %d has %d values, want %d", i, len(row), dim)
		}
	}
	out := make([][]float32, 0, len(x))
	for start := 0; start < len(x); start += ExecChunk {
		rows := x[start:min(start+ExecChunk, len(x))]
		n := len(rows)
		if len(x) > ExecChunk {
			n = ExecChunk // One shape for every chunk, the last one padded.
		}
		flat := append(s.Flat(rows), make([]float32, (n-len(rows))*dim)...)
		in := tensors.FromFlatDataAndDimensions(flat, n, dim)
		res, err := exec.Exec(in)
		_ = in.FinalizeAll()
		if err != nil {
			return nil, err
		}
		values, err := tensors.CopyFlatData[float32](res[0])
		_ = res[0].FinalizeAll()
		if err != nil {
			return nil, err
		}
		for i := range rows {
			out = append(out, values[i*width:(i+1)*width:(i+1)*width])
		}
	}
	return out, nil
}
