package distill

import (
	"errors"
	"fmt"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/metrics"
	"github.com/nlp-transfer/gotl/tlkit/probe"
)

// ZeroShotResult is the outcome of ZeroShot.
type ZeroShotResult struct {
	// LearningRate is the head's, chosen on the source-language dev split; DevScore its dev
	// score there (Head.DevScore).
	LearningRate, DevScore float64
	// Source is the report of the head on the teacher's vectors of the source-language test
	// (the in-language reference), Target on the student's vectors of the same test in the
	// target language (zero-shot: no target-language label was used).
	Source, Target metrics.Report
	// SourcePred and TargetPred are the predicted labels, in test order.
	SourcePred, TargetPred []int
}

// ZeroShot trains a classification head (probe.TrainHead with head) on the teacher's vectors
// of task's source-language training split, at each learning rate of lrs (none: head's own),
// keeps the one with the best score on the source-language dev split, and applies it
// unchanged to the teacher's vectors of the test split and to the student's vectors (mean
// pooling, as in Run and Retrieval) of task.TargetTest.
func ZeroShot(teacher, student encoder.Encoder, task *data.CrossLingualClassification, head probe.HeadOptions, lrs ...float64) (*ZeroShotResult, error) {
	switch {
	case teacher == nil || student == nil || task == nil || task.TextClassification == nil:
		return nil, errors.New("distill: zero-shot needs a teacher, a student and a task")
	case len(task.Train) == 0 || len(task.Dev) == 0 || len(task.Test) == 0 || len(task.TargetTest) != len(task.Test):
		return nil, fmt.Errorf("distill: zero-shot on %s: %d training, %d dev, %d test and %d target-language test examples (want all, and the test in both languages)",
			task.Name, len(task.Train), len(task.Dev), len(task.Test), len(task.TargetTest))
	case student.Dim() != teacher.Dim():
		return nil, fmt.Errorf("distill: zero-shot applies a head on %s's vectors (%d wide) to %s's (%d): they must have one width",
			teacher.Name(), teacher.Dim(), student.Name(), student.Dim())
	}
	x, err := probe.EmbedSplits(teacher, task.TextClassification, 0, probe.FeatureOptions{Pooling: encoder.PoolNative, CacheDir: probe.NoCache})
	if err != nil {
		return nil, fmt.Errorf("distill: zero-shot: the teacher's vectors of %w", err)
	}
	target, err := studentVectors(student, data.Texts(task.TargetTest), nil)
	if err != nil {
		return nil, fmt.Errorf("distill: zero-shot on %s: the student's vectors: %w", task.Name, err)
	}
	if len(lrs) == 0 {
		lrs = []float64{head.LearningRate}
	}
	head.NumClasses = len(task.Labels)
	var best *probe.Head
	var res ZeroShotResult
	for _, lr := range lrs {
		h := head
		h.LearningRate = lr
		trained, err := probe.TrainHead(x[0], data.Labels(task.Train), x[1], data.Labels(task.Dev), h)
		if err != nil {
			return nil, fmt.Errorf("distill: zero-shot on %s: %w", task.Name, err)
		}
		if best == nil || trained.DevScore > best.DevScore {
			best, res.LearningRate, res.DevScore = trained, lr, trained.DevScore
		}
	}
	if res.SourcePred, err = best.Predict(x[2]); err != nil {
		return nil, err
	}
	if res.TargetPred, err = best.Predict(target); err != nil {
		return nil, err
	}
	gold := data.Labels(task.Test)
	res.Source = metrics.Classification(res.SourcePred, gold, len(task.Labels))
	res.Target = metrics.Classification(res.TargetPred, gold, len(task.Labels))
	return &res, nil
}
