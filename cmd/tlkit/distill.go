package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit"
	"github.com/nlp-transfer/gotl/tlkit/bert"
	"github.com/nlp-transfer/gotl/tlkit/distill"
	"github.com/nlp-transfer/gotl/tlkit/train"
)

// loadPairs reads translation pairs: a SOURCE<TAB>TARGET file, or the registry's en_zh (its
// training split for "distill", its held-out test split for "retrieve").
func loadPairs(path, dataset string, test bool) ([]data.TranslationPair, error) {
	switch {
	case (path == "") == (dataset == ""):
		return nil, fmt.Errorf("give one of --pairs FILE (lines SOURCE<TAB>TARGET) and --dataset en_zh")
	case dataset != "" && dataset != "en_zh":
		return nil, fmt.Errorf("no translation dataset %q: want en_zh, or your own file with --pairs", dataset)
	case dataset != "":
		c, err := data.LoadEnZh(cliStore())
		if err != nil {
			return nil, err
		}
		if test {
			return c.Test, nil
		}
		return c.Train, nil
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--pairs: %w", err)
	}
	return data.ParseTranslationPairs(raw, path)
}

// runDistill implements "tlkit distill".
func runDistill(args []string) error { return distillCommand(args, os.Stdout, os.Stderr) }

// distillCommand runs "tlkit distill" with args: progress on stderr, a summary on stdout.
func distillCommand(args []string, stdout, stderr io.Writer) error {
	def := distill.DefaultOptions()
	fs := flag.NewFlagSet("distill", flag.ContinueOnError)
	fs.SetOutput(stderr)
	pairsPath := fs.String("pairs", "", "training pairs `FILE`, lines SOURCE<TAB>TARGET (e.g. English<TAB>Chinese)")
	dataset := fs.String("dataset", "", "or a registry dataset: en_zh (its training pairs; its 1000 test pairs are left for tlkit retrieve)")
	out := fs.String("out", "", "`DIR` for the student's HuggingFace checkpoint (required)")
	teacherSpec := fs.String("teacher", "use-lite", "the frozen teacher `ENCODER`, which reads the source sentences")
	from := fs.String("from", "", "start the student from the BERT checkpoint in `DIR` (its width must be the teacher's) instead of random weights over a character vocabulary")
	charVocab := fs.Int("char-vocab", 2, "the new student's vocabulary: the target sentences' characters seen at least `N` times")
	layers := fs.Int("layers", 2, "the new student's transformer layers")
	heads := fs.Int("heads", 8, "its attention heads (must divide the teacher's width)")
	inter := fs.Int("intermediate", 1024, "its feed-forward width")
	seqLen := fs.Int("seq-len", 64, "its longest input, in tokens ([CLS] and [SEP] included)")
	epochs := fs.Int("epochs", def.Epochs, "passes over the training pairs")
	maxSteps := fs.Int("max-steps", 0, "stop after this many steps (0: all the epochs)")
	batch := fs.Int("batch", def.BatchSize, "pairs per step")
	lr := fs.Float64("lr", def.LearningRate, "peak learning rate")
	devPairs := fs.Int("dev-pairs", def.DevPairs, "pairs held out (no sentence shared) to measure retrieval during training; the best weights are kept")
	seed := fs.Uint64("seed", def.Seed, "seed of the student's weights, the dev split and the data order")
	ckpt := fs.String("checkpoint", "", "`DIR` for the resumable training state, kept after training (default: OUT/train, removed once the student is saved)")
	resume := fs.Bool("resume", false, "continue an interrupted run from its checkpoint")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), `usage: tlkit distill (--pairs FILE | --dataset en_zh) --out DIR [--teacher ENCODER] [--from DIR]
                     [--layers N] [--epochs N] [--batch N] [--lr X] [--dev-pairs N] [--seed N] [--resume]

Multilingual knowledge distillation (Reimers & Gurevych 2020): a student BERT learns to put
each target sentence (e.g. Chinese) where the frozen teacher puts its source sentence
(English), by the mean squared error between the student's mean-pooled vector and the
teacher's. The new student reads characters (a vocabulary of the target sentences) and is as
wide as the teacher. Writes the student as a HuggingFace checkpoint, which "tlkit retrieve
--encoder bert:DIR" scores.

Flags:
`)
		fs.PrintDefaults()
	}
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	if *out == "" {
		return fmt.Errorf("--out DIR is required: the folder for the student's checkpoint")
	}
	pairs, err := loadPairs(*pairsPath, *dataset, false)
	if err != nil {
		return err
	}
	teacher, err := tlkit.LoadEncoder(*teacherSpec, cliStore())
	if err != nil {
		return err
	}
	var student *bert.Model
	if *from != "" {
		if student, err = bert.Load(*from); err != nil {
			return err
		}
	} else {
		so := distill.StudentOptions{MinCount: *charVocab, Layers: *layers, Heads: *heads, Intermediate: *inter, SeqLen: *seqLen, Seed: int64(*seed)}
		if student, err = distill.NewStudent(data.Targets(pairs), teacher.Dim(), so); err != nil {
			return err
		}
	}
	opts := def
	opts.Epochs, opts.MaxSteps, opts.BatchSize, opts.LearningRate, opts.DevPairs, opts.Seed = *epochs, *maxSteps, *batch, *lr, *devPairs, *seed
	opts.CheckpointDir, opts.Resume, opts.Progress = *ckpt, *resume, train.TerminalProgress(stderr)
	if opts.CheckpointDir == "" {
		opts.CheckpointDir = filepath.Join(*out, "train")
	}
	fmt.Fprintf(stderr, "distilling %s into %s (%d layers, %d wide) on %d pairs...\n", teacher.Name(), student.Name(),
		student.Config().NumHiddenLayers, student.Dim(), len(pairs))
	start := time.Now()
	res, err := distill.Run(teacher, student, pairs, opts)
	if err != nil {
		return err
	}
	if err := student.Save(*out); err != nil {
		return err
	}
	if *ckpt == "" { // the default training state has served its purpose: the student is saved
		if err := os.RemoveAll(opts.CheckpointDir); err != nil {
			return fmt.Errorf("removing the training state %s: %w", opts.CheckpointDir, err)
		}
	}
	fmt.Fprintf(stdout, "student: %s (bert:%s), %d training pairs, %d steps in %s; dev retrieval target→source %.1f%% on %d pairs\n",
		*out, *out, res.NTrain, len(res.History.Loss), time.Since(start).Round(time.Second), 100*res.DevAccuracy, res.NDev)
	return nil
}

// retrievalResult is the JSON that "tlkit retrieve --out" writes.
type retrievalResult struct {
	Command string `json:"command"`
	Encoder string `json:"encoder"`
	Teacher string `json:"teacher"`
	// AccuracyZhToEn is the target→source accuracy (the student's Chinese finds the teacher's
	// English), AccuracyEnToZh the other way; named for en_zh, they hold any pair file's.
	AccuracyZhToEn float64 `json:"accuracy_zh_to_en"`
	AccuracyEnToZh float64 `json:"accuracy_en_to_zh"`
	NPairs         int     `json:"n_pairs"`
}

// runRetrieve implements "tlkit retrieve".
func runRetrieve(args []string) error { return retrieveCommand(args, os.Stdout, os.Stderr) }

// retrieveCommand runs "tlkit retrieve" with args.
func retrieveCommand(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("retrieve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	spec := fs.String("encoder", "", "the student `ENCODER`, which reads the target sentences (e.g. bert:DIR from tlkit distill)")
	teacherSpec := fs.String("teacher", "use-lite", "the `ENCODER` that reads the source sentences")
	pairsPath := fs.String("pairs", "", "test pairs `FILE`, lines SOURCE<TAB>TARGET")
	dataset := fs.String("dataset", "", "or a registry dataset: en_zh (its 1000 held-out test pairs)")
	out := fs.String("out", "", "write the result as JSON to `FILE`")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), `usage: tlkit retrieve --encoder SPEC [--teacher ENCODER] (--pairs FILE | --dataset en_zh) [--out FILE]

Translation retrieval as XTREME's Tatoeba task scores it: the student embeds each target
sentence (mean pooling), the teacher each source sentence, and every sentence must find its
translation as the cosine nearest neighbour among all the other side's. Prints the accuracy
both ways (an untrained student scores about 1/pairs).

Encoders:
%s

Flags:
`, tlkit.EncoderSpecs)
		fs.PrintDefaults()
	}
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	if *spec == "" {
		return fmt.Errorf("--encoder SPEC is required: the student, e.g. bert:DIR written by tlkit distill")
	}
	if err := checkOutPath(*out); err != nil {
		return err
	}
	pairs, err := loadPairs(*pairsPath, *dataset, true)
	if err != nil {
		return err
	}
	student, err := tlkit.LoadEncoder(*spec, cliStore())
	if err != nil {
		return err
	}
	teacher, err := tlkit.LoadEncoder(*teacherSpec, cliStore())
	if err != nil {
		return err
	}
	zhEn, enZh, err := distill.Retrieval(teacher, student, pairs)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d pairs: target→source %.2f%%, source→target %.2f%% (chance %.2f%%)\n", len(pairs), 100*zhEn, 100*enZh, 100/float64(len(pairs)))
	if *out != "" {
		return writeJSON(*out, retrievalResult{Command: "retrieve", Encoder: student.Name(), Teacher: teacher.Name(),
			AccuracyZhToEn: zhEn, AccuracyEnToZh: enZh, NPairs: len(pairs)})
	}
	return nil
}
