package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
)

// runFeatures implements "tlkit features": frozen encoder features and a classifier head.
func runFeatures(args []string) error {
	return featuresCommand(args, os.Stdout, os.Stderr)
}

// featuresCommand runs "tlkit features" with args, printing results to stdout and progress
// to stderr.
func featuresCommand(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("features", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var in taskFlags
	in.register(fs)
	spec := fs.String("encoder", "use-lite", "the `encoder`: use-lite, use-lite-scratch[:SEED], glove[:N] or bert:DIR")
	poolName := fs.String("pool", "native", "pooling of the token states: native (the encoder's own), mean or cls")
	headName := fs.String("head", "logistic", "the classifier on the features: logistic or mlp")
	l2 := fs.Float64("l2", tlkit.DefaultHeadOptions().L2, "L2 penalty of the head's weights")
	hidden := fs.Int("hidden", tlkit.DefaultHeadOptions().Hidden, "hidden units of the mlp head")
	epochs := fs.Int("epochs", tlkit.DefaultHeadOptions().Epochs, "most epochs of head training (early stopping on dev)")
	batch := fs.Int("batch", tlkit.DefaultHeadOptions().BatchSize, "examples per step of head training")
	patience := fs.Int("patience", tlkit.DefaultHeadOptions().Patience, "stop after this many epochs without a better dev accuracy (0: never)")
	seed := fs.Int64("seed", 1, "seed of the dev split (when carved from train) and of the head's training")
	noCache := fs.Bool("no-cache", false, "always run the encoder (by default features are cached under .cache/features)")
	out := fs.String("out", "", "write the results as JSON to `FILE`")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), `usage: tlkit features [--dataset NAME | --train FILE --test FILE [--dev FILE]]
                      [--encoder SPEC] [--pool native|mean|cls] [--head logistic|mlp]
                      [--l2 X] [--seed N] [--out FILE]

Feature extraction: embeds every text with the frozen encoder (features cached on disk, so a
second run is fast), trains a classifier head on the training features with early stopping
on dev, and prints its test accuracy, macro-F1 and per-class scores.

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
	pool, err := encoder.ParsePooling(*poolName)
	if err != nil {
		return fmt.Errorf("--pool: %w", err)
	}
	headOpts := tlkit.DefaultHeadOptions()
	switch *headName {
	case "logistic":
		headOpts.Kind = tlkit.HeadLogistic
	case "mlp":
		headOpts.Kind = tlkit.HeadMLP
	default:
		return fmt.Errorf("--head %q: want logistic or mlp", *headName)
	}
	switch {
	case *l2 < 0:
		return fmt.Errorf("--l2 %g: want a non-negative penalty", *l2)
	case *hidden < 1:
		return fmt.Errorf("--hidden %d: want at least 1", *hidden)
	case *epochs < 1:
		return fmt.Errorf("--epochs %d: want at least 1", *epochs)
	case *batch < 1:
		return fmt.Errorf("--batch %d: want at least 1", *batch)
	case *patience < 0:
		return fmt.Errorf("--patience %d: want 0 (never stop early) or more", *patience)
	}
	headOpts.L2, headOpts.Hidden, headOpts.Epochs, headOpts.Seed = *l2, *hidden, *epochs, uint64(*seed)
	headOpts.BatchSize, headOpts.Patience = *batch, *patience
	if err := checkOutPath(*out); err != nil {
		return err
	}

	task, err := in.load(*seed)
	if err != nil {
		return err
	}
	headOpts.NumClasses = len(task.Labels)
	fmt.Fprintf(stderr, "%s\n", task)
	enc, err := tlkit.LoadEncoder(*spec, cliStore())
	if err != nil {
		return err
	}
	if err := checkTexts(stderr, enc, task, 0, ""); err != nil {
		return err
	}
	start := time.Now()
	featOpts := tlkit.FeatureOptions{Pooling: pool}
	if *noCache {
		featOpts.CacheDir = tlkit.NoCache
	}
	fmt.Fprintf(stderr, "features: %s, %s pooling (%d texts)...\n", enc.Name(), pool, len(task.Train)+len(task.Dev)+len(task.Test))
	trainX, devX, testX, err := tlkit.ExtractSplits(enc, task, featOpts)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "features: %d-d, %.1fs\n", enc.Dim(), time.Since(start).Seconds())
	head, err := tlkit.TrainHead(trainX, labels(task.Train), devX, labels(task.Dev), headOpts)
	if err != nil {
		return err
	}
	pred, err := head.Predict(testX)
	if err != nil {
		return err
	}
	res, err := newResult("features", task, pred)
	if err != nil {
		return err
	}
	res.Encoder, res.Pooling, res.Head, res.Seed = enc.Name(), pool.String(), headOpts.Kind.String(), *seed
	res.Seconds = time.Since(start).Seconds()
	if dev := head.DevAccuracy; dev == dev { // Not NaN.
		res.DevAccuracy = &dev
	}
	res.Options = map[string]any{"l2": headOpts.L2, "epochs": headOpts.Epochs, "patience": headOpts.Patience,
		"learning_rate": headOpts.LearningRate, "batch": headOpts.BatchSize, "standardize": headOpts.Standardize}
	if headOpts.Kind == tlkit.HeadMLP {
		res.Options["hidden"], res.Options["dropout"] = headOpts.Hidden, headOpts.Dropout
	}
	res.print(stdout)
	if *out != "" {
		return writeJSON(*out, res)
	}
	return nil
}

// cliStore returns the data store of the commands: data.DefaultStore, with the mirror found
// by data.FindMirror when $TLKIT_DATA is unset.
func cliStore() *data.Store {
	store := data.DefaultStore()
	if store.Mirror == "" {
		store.Mirror = data.FindMirror()
	}
	return store
}
