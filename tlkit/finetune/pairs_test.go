package finetune

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
)

// sideTask is a sentence-pair task: "red" occurs in one of the two texts, and the label says
// which (1: the second), which a model tells by the segment the word is in.
func sideTask(n int, seed uint64) *data.TextClassification {
	rng := rand.New(rand.NewPCG(seed, 5))
	text := func(red bool) string {
		words := make([]string, 2+rng.IntN(4))
		for j := range words {
			words[j] = ftWords[rng.IntN(len(ftWords))]
		}
		if red {
			words[rng.IntN(len(words))] = "red"
		}
		return strings.Join(words, " ")
	}
	split := func(n int) []data.Example {
		out := make([]data.Example, n)
		for i := range out {
			label := i % 2
			out[i] = data.Example{Text: text(label == 0), TextB: text(label == 1), Label: label}
		}
		return out
	}
	return &data.TextClassification{Name: "side", Labels: []string{"first", "second"}, Train: split(n), Dev: split(n / 2), Test: split(n / 2)}
}

// singleOnly hides an encoder's TokenizePairs.
type singleOnly struct{ encoder.Encoder }

func TestFineTunePairs(t *testing.T) {
	enc := tinyBERT(t)
	task := sideTask(256, 1)
	opts := quickOptions(t)
	opts.Epochs, opts.NoCheckpoint = 12, true
	res, err := Run(enc, task, opts)
	if err != nil {
		t.Fatal(err)
	}
	if res.TestAccuracy < 0.75 || len(res.TestProbabilities) != len(task.Test) {
		t.Errorf("pair task: test accuracy %.3f (want ≥ 0.75: the model reads both segments), %d probabilities for %d pairs",
			res.TestAccuracy, len(res.TestProbabilities), len(task.Test))
	}

	if _, err := Run(singleOnly{enc}, task, opts); err == nil || !strings.Contains(err.Error(), "sentence-pair task") || !strings.Contains(err.Error(), "bert:DIR") {
		t.Errorf("pairs on a one-text encoder: err = %v, want one naming the fix", err)
	}
	broken := sideTask(8, 2)
	broken.Dev[1].TextB = ""
	if _, err := Run(enc, broken, opts); err == nil || !strings.Contains(err.Error(), "dev example 1") {
		t.Errorf("a pair without its second text: err = %v, want one naming dev example 1", err)
	}
}
