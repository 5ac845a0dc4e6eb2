package pretrain_test

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/nlp-transfer/gotl/tlkit/pretrain"
	"github.com/nlp-transfer/gotl/tlkit/wordpiece"
)

// Masking one sentence as pretraining does: 15% of its ordinary tokens are chosen (here 2 of
// 16), most become [MASK], and the model must predict the originals.
func ExampleMasker() {
	tok := wordpiece.MustNewBertUncased()
	enc, _ := tok.EncodeWith("The old man walked slowly along the river, and the children followed him home.",
		wordpiece.EncodeOptions{AddSpecial: true})
	row := make([]int32, enc.Len())
	for i, id := range enc.IDs {
		row[i] = int32(id)
	}
	masker, _ := pretrain.NewMasker(tok, 128, 0.15)
	m := masker.Mask(row, rand.New(rand.NewPCG(1, 2)))
	var words []string
	for _, id := range m.IDs {
		t, _ := tok.IDToToken(int(id))
		words = append(words, t)
	}
	fmt.Println(strings.Join(words, " "))
	for k, pos := range m.Positions {
		t, _ := tok.IDToToken(int(m.Labels[k]))
		fmt.Printf("position %d: %s\n", pos, t)
	}
	// Output:
	// [CLS] [MASK] old man walked slowly along the river , and [MASK] children followed him home . [SEP]
	// position 1: the
	// position 11: the
}
