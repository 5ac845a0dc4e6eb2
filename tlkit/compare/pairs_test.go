package compare

import (
	"testing"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/internal/testkit"
	"github.com/nlp-transfer/gotl/tlkit/bow"
	"github.com/nlp-transfer/gotl/tlkit/probe"
)

// sharedWordTask is a sentence-pair task: label 1 iff the second text (one word) occurs in
// the first, which pair features show in u⊙v.
func sharedWordTask() *data.TextClassification {
	task := &data.TextClassification{Name: "toy-pairs", Labels: []string{"no", "yes"}}
	words := []string{"red", "blue", "green", "cat", "dog", "sun", "moon", "tree"}
	add := func(split *[]data.Example, i int) {
		a := words[i%8] + " " + words[(i+3)%8]
		*split = append(*split, data.Example{Text: a, TextB: words[(i+3)%8], Label: 1},
			data.Example{Text: a, TextB: words[(i+5)%8], Label: 0})
	}
	for i := range 48 {
		add(&task.Train, i)
	}
	for i := range 8 {
		add(&task.Test, i+2)
	}
	return task
}

func TestPairMethods(t *testing.T) {
	task := sharedWordTask()
	head := probe.DefaultHeadOptions()
	head.Standardize, head.LearningRate, head.Epochs = false, 3e-2, 300
	opts := bow.DefaultOptions()
	opts.MinDF = 1
	c, err := Compare(task, []Method{BagOfWordsMethod("tf-idf pairs", opts, head)}, []int64{1}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if acc := c.Runs[0].Accuracy; acc < 0.9 {
		t.Errorf("TF-IDF pair features: accuracy %.3f on a shared-word task, want ≥ 0.9", acc)
	}

	enc := testkit.NewToyEncoder(t)
	m := FeaturesMethod("toy pairs", enc, probe.FeatureOptions{CacheDir: t.TempDir()}, probe.DefaultHeadOptions())
	if _, err := Compare(task, []Method{m}, []int64{1, 2}, Options{}); err != nil {
		t.Fatal(err)
	}
	unique := map[string]bool{}
	for _, ex := range task.All() {
		unique[ex.Text], unique[ex.TextB] = true, true
	}
	if got := enc.Texts.Load(); got != int64(len(unique)) {
		t.Errorf("the encoder embedded %d texts, want each of the %d distinct first and second texts once", got, len(unique))
	}

	broken := sharedWordTask()
	broken.Test[3].TextB = ""
	for _, m := range []Method{m, BagOfWordsMethod("tf-idf pairs", opts, head)} {
		if _, err := m.Run(broken, 1); err == nil {
			t.Errorf("%s: a pair without its second text gave no error", m.Name)
		}
	}
}
