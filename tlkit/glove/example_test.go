package glove_test

import (
	"fmt"

	"github.com/nlp-transfer/gotl/tlkit"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/glove"
)

func ExampleNewEncoder() {
	// Three 2-d word vectors; real ones come from glove.Load(data.DefaultStore(), 0).
	v, err := glove.NewVectors([]string{"the", "good", "film"}, 2, []float32{0, 0.5, 1, 0, 0, 1}, "toy")
	if err != nil {
		panic(err)
	}
	enc, err := glove.NewEncoder(v)
	if err != nil {
		panic(err)
	}
	ids, _ := enc.Tokenize([]string{"A good film!"}) // "a" and "!" are unknown: dropped.
	fmt.Println(enc.Name(), ids)

	backend, err := tlkit.Backend()
	if err != nil {
		panic(err)
	}
	vecs, err := encoder.NewRunner(backend, enc).Embed([]string{"A good film!", "the film"}, encoder.PoolNative)
	if err != nil {
		panic(err)
	}
	fmt.Println(vecs)
	// Output:
	// glove-2d-3 [[3 4]]
	// [[0.5 0.5] [0 0.75]]
}

func ExampleVectors_InitMatrix() {
	v, err := glove.NewVectors([]string{"good", "film"}, 2, []float32{1, 0, 0, 1}, "toy")
	if err != nil {
		panic(err)
	}
	matrix, found := v.InitMatrix([]string{"[PAD]", "Good", "film", "flim"}, 2, 42)
	fmt.Println(found, matrix[0], matrix[1], matrix[2], len(matrix[3]))
	// Output:
	// 2 [0 0] [1 0] [0 1] 2
}
