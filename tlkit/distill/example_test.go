package distill

import (
	"fmt"
	"os"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/probe"
	"github.com/nlp-transfer/gotl/tlkit/train"
)

// A student over the characters of the Chinese side learns to retrieve each sentence's English
// translation in the teacher's space. (The teacher here is a toy: a fixed random vector per
// English word; with the real one it is tlkit.LoadEncoder("use-lite", nil) and
// data.LoadEnZh(nil).Train.)
func ExampleRun() {
	dir, _ := os.MkdirTemp("", "distill-example")
	defer os.RemoveAll(dir)
	pairs := toyPairs(25) // "red cat" ↔ "红猫", ...
	teacher := newWordTeacher(toyWords)
	student, err := tinyBERTIn(dir, data.Targets(pairs), 2)
	if err != nil {
		fmt.Println(err)
		return
	}
	before, _, _ := Retrieval(teacher, student, pairs)

	opts := DefaultOptions()
	opts.Epochs, opts.BatchSize, opts.LearningRate, opts.DevPairs = 60, 5, 3e-3, 0
	opts.FeatureCacheDir, opts.Progress = probe.NoCache, train.NoProgress()
	if _, err := Run(teacher, student, pairs, opts); err != nil {
		fmt.Println(err)
		return
	}
	after, back, _ := Retrieval(teacher, student, pairs)
	fmt.Printf("zh→en retrieval %.0f%% before, %.0f%% after (en→zh %.0f%%)\n", 100*before, 100*after, 100*back)
	// Output: zh→en retrieval 0% before, 100% after (en→zh 100%)
}
