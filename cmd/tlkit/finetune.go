package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/nlp-transfer/gotl/tlkit"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/train"
)

// runFinetune implements "tlkit finetune".
func runFinetune(args []string) error {
	return finetuneCommand(args, os.Stdout, os.Stderr)
}

// parseFreeze parses a freeze policy: none, embeddings, bottom:K (or bottom-K) or
// all-but-head.
func parseFreeze(s string) (tlkit.Freeze, error) {
	switch s {
	case "none", "":
		return tlkit.FreezeNone, nil
	case "embeddings":
		return tlkit.FreezeEmbeddings, nil
	case "all-but-head":
		return tlkit.FreezeAllButHead, nil
	}
	for _, prefix := range []string{"bottom:", "bottom-"} {
		if k, ok := strings.CutPrefix(s, prefix); ok {
			n, err := strconv.Atoi(k)
			if err != nil || n < 0 {
				return tlkit.Freeze{}, fmt.Errorf("--freeze %q: K must be a non-negative integer (bottom:1 freezes the embeddings and the lowest layer)", s)
			}
			return tlkit.FreezeBottom(n), nil
		}
	}
	return tlkit.Freeze{}, fmt.Errorf("--freeze %q: want none, embeddings, bottom:K or all-but-head", s)
}

// finetuneCommand runs "tlkit finetune" with args, printing results to stdout and progress
// to stderr.
func finetuneCommand(args []string, stdout, stderr io.Writer) error {
	def := tlkit.DefaultFineTuneOptions()
	fs := flag.NewFlagSet("finetune", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var in taskFlags
	in.register(fs)
	spec := fs.String("encoder", "use-lite", "the `encoder`: use-lite, use-lite-scratch[:SEED], glove[:N] or bert:DIR")
	freezeName := fs.String("freeze", "none", "freeze policy: none, embeddings, bottom:K (embeddings and the K lowest layers) or all-but-head")
	poolName := fs.String("pool", def.Pooling.String(), "pooling of the token states: native, mean or cls")
	epochs := fs.Int("epochs", def.Epochs, "passes over the training data")
	maxSteps := fs.Int("max-steps", 0, "stop after this many steps (0: no cap)")
	lr := fs.Float64("lr", def.LearningRate, "peak learning rate (warmup, then linear decay)")
	batch := fs.Int("batch", def.BatchSize, "examples per step")
	maxTokens := fs.Int("max-tokens", def.MaxTokens, "clip every text to this many tokens (0: the encoder's limit)")
	dropout := fs.Float64("dropout", def.Dropout, "dropout on the pooled vector")
	layerDecay := fs.Float64("layer-decay", 0, "discriminative learning rates: each layer down trains at this factor of the one above (0: one rate)")
	gradual := fs.Bool("gradual", false, "gradual unfreezing: the head first, then one more layer each epoch")
	patience := fs.Int("patience", 0, "stop after this many dev evaluations without improvement (0: never)")
	seed := fs.Int64("seed", 1, "seed of the dev split (when carved from train), the head and the data order")
	checkpoint := fs.String("checkpoint", "", "checkpoint `DIR` (default: a folder under .cache/finetune named by the run)")
	resume := fs.Bool("resume", false, "resume an interrupted run from its last checkpoint (a finished run is restored without training)")
	out := fs.String("out", "", "write the results as JSON to `FILE`")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), `usage: tlkit finetune [--dataset NAME | --train FILE --test FILE [--dev FILE]]
                      [--encoder SPEC] [--freeze none|embeddings|bottom:K|all-but-head]
                      [--epochs N] [--lr X] [--batch N] [--seed N] [--max-tokens N]
                      [--out FILE] [--checkpoint DIR] [--resume]

Fine-tuning: puts a new classification head on the encoder and trains both (the layers the
freeze policy leaves trainable) on the training split, keeping the weights with the best dev
accuracy, and prints the test accuracy, macro-F1 and per-class scores.

%s

Encoders:
%s

Flags:
`, inputHelp, tlkit.EncoderSpecs)
		fs.PrintDefaults()
	}
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	opts := def
	var err error
	if opts.Freeze, err = parseFreeze(*freezeName); err != nil {
		return err
	}
	if opts.Pooling, err = encoder.ParsePooling(*poolName); err != nil {
		return fmt.Errorf("--pool: %w", err)
	}
	switch {
	case *epochs < 1:
		return fmt.Errorf("--epochs %d: want at least 1", *epochs)
	case *maxSteps < 0:
		return fmt.Errorf("--max-steps %d: want 0 (no cap) or more", *maxSteps)
	case !(*lr > 0):
		return fmt.Errorf("--lr %g: want a positive learning rate", *lr)
	case *batch < 1:
		return fmt.Errorf("--batch %d: want at least 1", *batch)
	case *maxTokens < 0:
		return fmt.Errorf("--max-tokens %d: want 0 (the encoder's limit) or more", *maxTokens)
	case *dropout < 0 || *dropout >= 1:
		return fmt.Errorf("--dropout %g: want a rate in [0, 1)", *dropout)
	case *layerDecay < 0 || *layerDecay > 1:
		return fmt.Errorf("--layer-decay %g: want a factor in (0, 1], or 0 for one rate", *layerDecay)
	case *patience < 0:
		return fmt.Errorf("--patience %d: want 0 (never stop early) or more", *patience)
	}
	opts.Epochs, opts.MaxSteps, opts.LearningRate, opts.BatchSize = *epochs, *maxSteps, *lr, *batch
	opts.MaxTokens, opts.Dropout, opts.LayerDecay, opts.GradualUnfreezing = *maxTokens, *dropout, *layerDecay, *gradual
	opts.Patience, opts.Seed, opts.CheckpointDir, opts.Resume = *patience, uint64(*seed), *checkpoint, *resume
	opts.Progress = train.TerminalProgress(stderr)
	if err := checkOutPath(*out); err != nil {
		return err
	}

	task, err := in.load(*seed)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "%s\n", task)
	enc, err := tlkit.LoadEncoder(*spec, cliStore())
	if err != nil {
		return err
	}
	if err := checkTexts(stderr, enc, task, opts.MaxTokens, "--max-tokens"); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "fine-tuning %s (freeze %s) on %s...\n", enc.Name(), opts.Freeze, task.Name)
	start := time.Now()
	ft, err := tlkit.FineTune(enc, task, opts)
	if err != nil {
		return err
	}
	res, err := newResult("finetune", task, ft.TestPredictions)
	if err != nil {
		return err
	}
	res.Encoder, res.Pooling, res.Freeze, res.Seed = enc.Name(), opts.Pooling.String(), opts.Freeze.String(), *seed
	res.Seconds = time.Since(start).Seconds()
	if dev := ft.DevAccuracy; dev == dev { // Not NaN.
		res.DevAccuracy = &dev
	}
	res.Options = map[string]any{"epochs": opts.Epochs, "max_steps": opts.MaxSteps, "lr": opts.LearningRate,
		"batch": opts.BatchSize, "max_tokens": opts.MaxTokens, "dropout": opts.Dropout, "layer_decay": opts.LayerDecay,
		"gradual_unfreezing": opts.GradualUnfreezing, "patience": opts.Patience, "warmup": opts.Warmup,
		"weight_decay": opts.WeightDecay, "checkpoint": ft.CheckpointDir}
	if ft.History != nil {
		res.Options["steps"] = len(ft.History.Loss)
	}
	res.print(stdout)
	if *out != "" {
		return writeJSON(*out, res)
	}
	return nil
}
