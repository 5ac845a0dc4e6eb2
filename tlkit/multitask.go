package tlkit

import (
	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/multitask"
)

// MultiTaskOptions configures MultiTask; start from DefaultMultiTaskOptions. See
// multitask.Options.
type MultiTaskOptions = multitask.Options

// MultiTaskResult is the outcome of MultiTask: per-task dev curves, best steps, test scores
// (entity-level for taggers) and predictions. See multitask.Result.
type MultiTaskResult = multitask.Result

// DefaultMultiTaskOptions returns multitask.DefaultOptions().
func DefaultMultiTaskOptions() MultiTaskOptions { return multitask.DefaultOptions() }

// SentenceTask is the task of classifying d's texts (multitask.SentenceTask).
func SentenceTask(d *data.TextClassification) multitask.Task { return multitask.SentenceTask(d) }

// TokenTask is the task of tagging d's words (multitask.TokenTask): IOB tags are scored at
// the entity level, as conlleval does.
func TokenTask(d *data.TokenClassification) multitask.Task { return multitask.TokenTask(d) }

// MultiTask fine-tunes enc on several tasks at once, sentence-level and token-level, with one
// shared encoder and one head per task, on Backend() (multitask.Run): each step trains
// one task's batch, sampled proportionally to the tasks' sizes, with a temperature, or
// round-robin; each task keeps its best checkpoint by its own dev metric. One task is plain
// fine-tuning (with a token-level head for a tagging task), so single-task baselines run
// through the same code. enc itself is unchanged.
func MultiTask(enc encoder.Encoder, tasks []multitask.Task, opts MultiTaskOptions) (*MultiTaskResult, error) {
	return multitask.Run(enc, tasks, opts)
}

// NER fine-tunes enc as a tagger on d (multitask.NER): named entities scored at the entity
// level as conlleval does, or chunks, or part of speech. The result's one task holds the
// scores and the test predictions (see multitask.WritePredictions).
func NER(enc encoder.Encoder, d *data.TokenClassification, opts MultiTaskOptions) (*MultiTaskResult, error) {
	return multitask.NER(enc, d, opts)
}

// RelationTask is the task of classifying the relation between two marked nominals
// (multitask.RelationTask): SemEval-2010 Task 8's format and official macro-F1.
func RelationTask(d *data.RelationClassification) multitask.Task { return multitask.RelationTask(d) }

// RelationExtraction fine-tunes enc as a relation classifier on d (multitask.Relations): the
// nominals are marked in the input (multitask.MarkEntities) and a head reads the states of the
// two opening markers. The result's one task holds the official scores and the test
// predictions (see multitask.WriteRelationPredictions).
func RelationExtraction(enc encoder.Encoder, d *data.RelationClassification, opts MultiTaskOptions) (*MultiTaskResult, error) {
	return multitask.Relations(enc, d, opts)
}
