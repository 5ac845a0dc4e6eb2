package distill

import (
	"fmt"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/probe"
	"github.com/nlp-transfer/gotl/tlkit/train"
)

// A student over the characters of the Chinese side learns to retrieve each sentence's English
// translation in the teacher's space. (The teacher here is a toy: a fixed random vector per
// English word; with the real one it is tlkit.LoadEncoder("use-lite", nil) and
// data.LoadEnZh(nil).Train.)
func ExampleRun() {
	pairs := toyPairs(25) // "red cat" ↔ "红猫", ...
	teacher := newWordTeacher(toyWords)
	// A tiny student over the Chinese characters (the default is 2 layers of the teacher's width).
	so := StudentOptions{MinCount: 1, Layers: 1, Heads: 2, Intermediate: 32, SeqLen: 16, Seed: 2}
	student, err := NewStudent(data.Targets(pairs), teacher.Dim(), so)
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
