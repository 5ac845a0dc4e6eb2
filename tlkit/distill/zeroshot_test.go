package distill

import (
	"strings"
	"testing"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/bert"
	"github.com/nlp-transfer/gotl/tlkit/probe"
	"github.com/nlp-transfer/gotl/tlkit/train"
)

// colourTask classifies the toy pairs by their colour word (5 classes), the English side for
// training and the Chinese side as the target-language test.
func colourTask(pairs []data.TranslationPair) *data.CrossLingualClassification {
	var en, zh []data.Example
	for i, p := range pairs {
		en = append(en, data.Example{Text: p.Source, Label: i % 5})
		zh = append(zh, data.Example{Text: p.Target, Label: i % 5})
	}
	return &data.CrossLingualClassification{
		TextClassification: &data.TextClassification{Name: "colours", Labels: toyWords[:5], Train: en, Dev: en, Test: en},
		Source:             "en", Target: "zh", TargetTest: zh}
}

// A head trained on English teacher vectors classifies the Chinese side once the student is
// distilled, and not before; bad input is an error naming what is wrong.
func TestZeroShot(t *testing.T) {
	pairs := toyPairs(25)
	teacher := newWordTeacher(toyWords)
	student := tinyBERT(t, data.Targets(pairs), 2)
	task := colourTask(pairs)
	head := probe.DefaultHeadOptions()
	head.Progress = train.NoProgress()
	before, err := ZeroShot(teacher, student, task, head, 1e-2, 3e-2)
	if err != nil {
		t.Fatal(err)
	}
	opts := DefaultOptions()
	opts.Epochs, opts.BatchSize, opts.LearningRate, opts.DevPairs = 60, 5, 3e-3, 0
	opts.FeatureCacheDir, opts.Progress = probe.NoCache, train.NoProgress()
	if _, err := Run(teacher, student, pairs, opts); err != nil {
		t.Fatal(err)
	}
	after, err := ZeroShot(teacher, student, task, head, 1e-2, 3e-2)
	if err != nil {
		t.Fatal(err)
	}
	if after.Source.Accuracy != 1 || after.Target.Accuracy < 0.8 || before.Target.Accuracy >= after.Target.Accuracy {
		t.Errorf("English accuracy %.2f; Chinese zero-shot %.2f before distillation, %.2f after (want 1, and ≥ 0.8 after)",
			after.Source.Accuracy, before.Target.Accuracy, after.Target.Accuracy)
	}
	if after.LearningRate != 1e-2 && after.LearningRate != 3e-2 || len(after.TargetPred) != 25 {
		t.Errorf("learning rate %g, %d predictions", after.LearningRate, len(after.TargetPred))
	}

	noTarget := colourTask(pairs)
	noTarget.TargetTest = nil
	narrow, err := NewStudent(data.Targets(pairs), 8, StudentOptions{MinCount: 1, Layers: 1, Heads: 2, Intermediate: 32, SeqLen: 16, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		student *bert.Model
		task    *data.CrossLingualClassification
		want    string
	}{{student, noTarget, "target-language test"}, {narrow, task, "one width"}} {
		if _, err := ZeroShot(teacher, c.student, c.task, head); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want one about %q", err, c.want)
		}
	}
}
