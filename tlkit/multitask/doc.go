// Package multitask fine-tunes one shared encoder on several tasks at once: sentence
// classification (a head on the pooled sentence vector), token classification (a head on
// each word's first sub-word piece, for named entities, chunks or part of speech) and
// relation classification (a head on the states of the markers put before two nominals,
// MarkEntities, scored as SemEval-2010 Task 8 is).
//
// A run (Run, or tlkit.MultiTask) takes the tasks (SentenceTask, TokenTask, RelationTask,
// each with a loss weight) and Options. Each training step takes one batch of one task, drawn by the
// Sampling: Proportional to the tasks' training-set sizes, with a Temperature (p ∝ n^(1/T))
// or RoundRobin; Probabilities and Schedule expose the draw. A step's loss is that task's
// cross-entropy times its weight, and the step updates the encoder and that task's head
// only: each task has its own step graph (see the loss's task marker). Training is the
// tlkit/train loop (AdamW, warmup and decay, clipping, resumable checkpoints, progress).
//
// Every Options.EvalEvery steps each task is scored on its dev split: accuracy for sentence
// tasks, entity-level F1 (metrics.EntityF1, conlleval's definition) for tagging tasks with
// IOB tags, token accuracy for other tags, the official macro-F1 (metrics.SemEvalRelations)
// for relation tasks. Each task keeps the weights of its own best
// evaluation (its best checkpoint, best-task-I.ckpt) and is tested with them; the Result
// has every task's dev curve, best step, test scores (per entity type for taggers) and test
// predictions, and is saved as JSON (Result.Save, LoadResult).
//
// One task is plain fine-tuning, so single-task baselines and multi-task runs go through the
// same code: notebook 05 compares them at equal steps per task. Tagging data in IOB1 or IOB2
// is learnt in IOB2 (metrics.Convert) and words are aligned to pieces by
// encoder.WordTokenizer.
package multitask
