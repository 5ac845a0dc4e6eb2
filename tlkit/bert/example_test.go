package bert_test

import (
	"fmt"
	"os"

	"github.com/nlp-transfer/gotl/tlkit"
	"github.com/nlp-transfer/gotl/tlkit/bert"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/wordpiece"
)

// Load a BERT checkpoint downloaded from the HuggingFace Hub, here
// google/bert_uncased_L-2_H-128_A-2 in the directory bert-tiny (config.json, model.safetensors,
// vocab.txt), and embed sentences with it.
func ExampleLoad() {
	m, err := bert.Load("bert-tiny")
	if err != nil {
		fmt.Println(err)
		return
	}
	backend, err := tlkit.Backend()
	if err != nil {
		fmt.Println(err)
		return
	}
	r := encoder.NewRunner(backend, m)
	vecs, err := r.Embed([]string{"The cat sat on the mat.", "A dog ran in the park."}, encoder.PoolMean)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(vecs), len(vecs[0])) // 2 128
}

// A randomly initialised BERT with the shape of google/bert_uncased_L-2_H-128_A-2 and the
// bert-base-uncased vocabulary, saved as a HuggingFace checkpoint.
func ExampleNew() {
	cfg := bert.BaseConfig()
	cfg.NumHiddenLayers, cfg.HiddenSize, cfg.NumAttentionHeads, cfg.IntermediateSize = 2, 128, 2, 512
	tok, err := wordpiece.NewBertUncased()
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := bert.New(cfg, tok.VocabPath(), 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Name(), m.Dim(), encoder.LayerNames(m))
	ids, _ := m.Tokenize([]string{"Hello, world!"})
	fmt.Println(ids[0])

	dir, _ := os.MkdirTemp("", "bert-example-")
	defer os.RemoveAll(dir)
	fmt.Println(m.Save(dir + "/ckpt"))
	// Output:
	// bert-random:L2-H128-A2-seed1 128 [embeddings layer_0 layer_1 pooler]
	// [101 7592 1010 2088 999 102]
	// <nil>
}
