package wordpiece_test

import (
	"fmt"

	"github.com/nlp-transfer/gotl/tlkit/wordpiece"
)

func ExampleTokenizer() {
	wp, err := wordpiece.NewBertUncased()
	if err != nil {
		panic(err)
	}
	enc, err := wp.EncodeWith("Héllo, unaffable world!", wordpiece.EncodeOptions{AddSpecial: true})
	if err != nil {
		panic(err)
	}
	fmt.Println(enc.Tokens)
	fmt.Println(enc.IDs)
	fmt.Println(enc.WordIDs)
	fmt.Println(wp.Decode(enc.IDs))
	// Output:
	// [[CLS] hello , una ##ffa ##ble world ! [SEP]]
	// [101 7592 1010 14477 20961 3468 2088 999 102]
	// [-1 0 1 2 2 2 3 4 -1]
	// hello, unaffable world!
}
