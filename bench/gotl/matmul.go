package main

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/nlp-transfer/gotl/tlkit"
)

// matmulShape is one matrix product of the training step: batch products of [n, k] × [k, m].
type matmulShape struct {
	Name  string `json:"name"`
	Batch int    `json:"batch"`
	N     int    `json:"n"`
	K     int    `json:"k"`
	M     int    `json:"m"`
}

// matmulResult is the measured speed of one shape.
type matmulResult struct {
	matmulShape
	MsPerCall float64 `json:"ms_per_call"`
	GFLOPs    float64 `json:"gflop_per_s"`
}

// stepShapes lists the step's largest products at batch × length tokens: the attention
// projections, the two FFN layers (forward; the backward pass multiplies the same sizes in
// other orders) and attention's per-head scores (4 heads of width 128).
func stepShapes(batch, length int) []matmulShape {
	t := batch * length
	return []matmulShape{
		{"projection [t,512]x[512,512]", 1, t, 512, 512},
		{"ffn in [t,512]x[512,1536]", 1, t, 512, 1536},
		{"ffn out [t,1536]x[1536,512]", 1, t, 1536, 512},
		{"weight grad [512,t]x[t,1536]", 1, 512, t, 1536},
		{"scores [b·h,l,128]x[b·h,128,l]", batch * 4, length, 128, length},
	}
}

// timeMatMuls runs each shape's product through the backend (whatever runs its matrix
// multiplies: tlkit.MatMul) and reports ms per call and GFLOP/s (2·batch·n·k·m flops).
func timeMatMuls(shapes []matmulShape, calls int) ([]matmulResult, error) {
	backend, err := tlkit.Backend()
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(5, 6))
	random := func(n int) []float32 {
		x := make([]float32, n)
		for i := range x {
			x[i] = float32(rng.NormFloat64())
		}
		return x
	}
	var out []matmulResult
	for _, s := range shapes {
		exec, err := graph.NewExec(backend, func(a, b *graph.Node) *graph.Node {
			return graph.Einsum("bnk,bkm->bnm", a, b)
		})
		if err != nil {
			return nil, err
		}
		a := tensors.FromFlatDataAndDimensions(random(s.Batch*s.N*s.K), s.Batch, s.N, s.K)
		b := tensors.FromFlatDataAndDimensions(random(s.Batch*s.K*s.M), s.Batch, s.K, s.M)
		if _, err := exec.Exec(a, b); err != nil { // compiles
			return nil, fmt.Errorf("%s: %w", s.Name, err)
		}
		start := time.Now()
		for range calls {
			res, err := exec.Exec(a, b)
			if err != nil {
				return nil, err
			}
			res[0].FinalizeAll()
		}
		sec := time.Since(start).Seconds() / float64(calls)
		flops := 2 * float64(s.Batch) * float64(s.N) * float64(s.K) * float64(s.M)
		out = append(out, matmulResult{matmulShape: s, MsPerCall: sec * 1e3, GFLOPs: flops / sec / 1e9})
	}
	return out, nil
}
