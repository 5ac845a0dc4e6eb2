package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit"
	"github.com/nlp-transfer/gotl/tlkit/adapt"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/metrics"
	"github.com/nlp-transfer/gotl/tlkit/train"
)

// runAdapt implements "tlkit adapt".
func runAdapt(args []string) error {
	return adaptCommand(args, os.Stdout, os.Stderr)
}

// adaptResult is the JSON that "tlkit adapt --out" writes.
type adaptResult struct {
	Command string   `json:"command"`
	Source  string   `json:"source"`
	Target  string   `json:"target"`
	Labels  []string `json:"labels"`
	Method  string   `json:"method"`
	Encoder string   `json:"encoder"`
	Pooling string   `json:"pooling"`
	Seed    int64    `json:"seed"`
	// TargetAccuracy and TargetMacroF1 score the target test examples; SourceAccuracy the
	// held-out source (dev) examples.
	TargetAccuracy float64 `json:"target_accuracy"`
	TargetMacroF1  float64 `json:"target_macro_f1"`
	SourceAccuracy float64 `json:"source_accuracy"`
	// ADistanceBefore and ADistanceAfter are the proxy A-distances between the source and
	// target training vectors: encoder features, then the adapted feature layer.
	ADistanceBefore float64        `json:"a_distance_before"`
	ADistanceAfter  float64        `json:"a_distance_after"`
	NSourceTrain    int            `json:"n_source_train"`
	NSourceDev      int            `json:"n_source_dev"`
	NTargetTrain    int            `json:"n_target_train"`
	NTargetTest     int            `json:"n_target_test"`
	Confusion       [][]int        `json:"target_confusion"`
	Seconds         float64        `json:"seconds"`
	Options         map[string]any `json:"options"`
}

// adaptCommand runs "tlkit adapt" with args, printing results to stdout and progress to
// stderr.
func adaptCommand(args []string, stdout, stderr io.Writer) error {
	def := tlkit.DefaultAdaptOptions(adapt.DANN)
	fs := flag.NewFlagSet("adapt", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sourceTrain := fs.String("source-train", "", "labelled source data: a `FILE` or a dataset (its train split)")
	sourceDev := fs.String("source-dev", "", "labelled source dev `FILE` (default: the dataset's dev split, or 10% of --source-train)")
	targetTrain := fs.String("target-train", "", "unlabelled target texts: a `FILE` (labels, if any, are ignored) or a dataset (its train split)")
	targetTest := fs.String("target-test", "", "labelled target test data: a `FILE` or a dataset (its dev and test splits)")
	methodName := fs.String("method", "dann", "dann, mmd, coral, source-only or target-oracle (reads --target-train's labels)")
	spec := fs.String("encoder", "use-lite", "the frozen `encoder`: use-lite, use-lite-scratch[:SEED], glove[:N] or bert:DIR")
	poolName := fs.String("pool", "native", "pooling of the token states: native, mean or cls")
	chunk := fs.Int("chunk-words", tlkit.DefaultChunkWords, "embed texts in chunks of at most this many words and average them (0: whole texts, clipped by the encoder)")
	steps := fs.Int("steps", def.Train.Steps, "training steps")
	lr := fs.Float64("lr", def.Train.LearningRate, "peak learning rate (linear decay)")
	weight := fs.Float64("weight", -1, "adaptation weight: DANN's largest reversal factor, the MMD or CORAL trade-off (default: the method's)")
	kernel := fs.String("kernel", "gaussian", "MMD kernel: gaussian (5 bandwidths, scaled by the batch's mean distance) or linear")
	hidden := fs.Int("hidden", def.Train.Hidden, "width of the adapted feature layer")
	selectName := fs.String("select", "last", "kept weights: last (fixed step count) or source-dev (best source-dev accuracy)")
	seed := fs.Int64("seed", 1, "seed of the dev split (when carved), the weights and the data order")
	noCache := fs.Bool("no-cache", false, "always run the encoder (by default features are cached under .cache/features)")
	out := fs.String("out", "", "write the results as JSON to `FILE`")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), `usage: tlkit adapt --source-train FILE|DATASET --target-train FILE|DATASET --target-test FILE|DATASET
                   [--method dann|mmd|coral|source-only|target-oracle] [--encoder SPEC]
                   [--seed N] [--steps N] [--weight X] [--out FILE]

Unsupervised domain adaptation on frozen (cached) encoder features: trains a small network
(feature layer + classifier) on the labelled source examples while the method aligns the
unlabelled target texts' features with the source's, then prints the target test accuracy,
the source dev accuracy and the proxy A-distance between the domains before and after.
Target labels are never used for training or model selection (except by target-oracle,
the supervised reference).

Files: "LABEL<TAB>text" or "LABEL text" lines (or a .tsv/.csv), as for tlkit finetune; the
--target-train file may also hold plain unlabelled texts, one a line (used when its first
words are not the source's labels). Test labels must be the source's.
Datasets: %s
(a dataset given as --target-train contributes its train split, as --target-test its dev
and test splits, so the same dataset can be both).

Encoders:
%s

Flags:
`, strings.Join(datasetNames, ", "), tlkit.EncoderSpecs)
		fs.PrintDefaults()
	}
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	opts := def
	method, err := adapt.ParseMethod(*methodName)
	if err != nil {
		return fmt.Errorf("--method: %w", err)
	}
	opts.Train = adapt.DefaultTrainOptions(method)
	if opts.Features.Pooling, err = encoder.ParsePooling(*poolName); err != nil {
		return fmt.Errorf("--pool: %w", err)
	}
	switch *kernel {
	case "gaussian":
	case "linear":
		opts.Train.Kernel = adapt.Kernel{Kind: adapt.KernelLinear}
	default:
		return fmt.Errorf("--kernel %q: want gaussian or linear", *kernel)
	}
	switch *selectName {
	case "last":
		opts.Train.Select = adapt.SelectLast
	case "source-dev":
		opts.Train.Select = adapt.SelectSourceDev
	default:
		return fmt.Errorf("--select %q: want last or source-dev", *selectName)
	}
	switch {
	case *sourceTrain == "" || *targetTrain == "" || *targetTest == "":
		return fmt.Errorf("give --source-train, --target-train and --target-test (files or dataset names; run tlkit adapt -h)")
	case *steps < 1:
		return fmt.Errorf("--steps %d: want at least 1", *steps)
	case !(*lr > 0):
		return fmt.Errorf("--lr %g: want a positive learning rate", *lr)
	case *hidden < 1:
		return fmt.Errorf("--hidden %d: want at least 1", *hidden)
	case *chunk < 0:
		return fmt.Errorf("--chunk-words %d: want 0 (whole texts) or more", *chunk)
	case *weight < 0 && *weight != -1:
		return fmt.Errorf("--weight %g: want a non-negative weight", *weight)
	}
	opts.Train.Steps, opts.Train.LearningRate, opts.Train.Hidden, opts.Train.Seed = *steps, *lr, *hidden, uint64(*seed)
	if *weight >= 0 {
		opts.Train.Weight = *weight
	}
	opts.ChunkWords = *chunk
	if *noCache {
		opts.Features.CacheDir = tlkit.NoCache
	}
	opts.Train.Progress = train.TerminalProgress(stderr)
	if err := checkOutPath(*out); err != nil {
		return err
	}

	source, err := loadSource(*sourceTrain, *sourceDev, *seed)
	if err != nil {
		return fmt.Errorf("--source-train: %w", err)
	}
	targetTexts, targetLabels, targetName, err := loadTargetTrain(*targetTrain, source.Labels)
	if err != nil {
		return fmt.Errorf("--target-train: %w", err)
	}
	if method == adapt.TargetOracle {
		if targetLabels == nil {
			return fmt.Errorf("--method target-oracle needs labelled --target-train data with the source's labels (%s)", strings.Join(source.Labels, ", "))
		}
		opts.TargetLabels = targetLabels
	}
	test, testName, err := loadTargetTest(*targetTest, source.Labels)
	if err != nil {
		return fmt.Errorf("--target-test: %w", err)
	}
	fmt.Fprintf(stderr, "source %s: %d train, %d dev; target %s: %d unlabelled, %d test (%s)\n",
		source.Name, len(source.Train), len(source.Dev), targetName, len(targetTexts), len(test), testName)
	enc, err := tlkit.LoadEncoder(*spec, cliStore())
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "embedding with %s (cached), then %s...\n", enc.Name(), method)
	start := time.Now()
	res, err := tlkit.AdaptDomain(enc, source, targetTexts, opts)
	if err != nil {
		return err
	}
	texts := make([]string, len(test))
	gold := make([]int, len(test))
	for i, ex := range test {
		texts[i], gold[i] = ex.Text, ex.Label
	}
	pred, err := res.Predict(texts)
	if err != nil {
		return err
	}
	report := metrics.Classification(pred, gold, len(source.Labels))
	r := &adaptResult{Command: "adapt", Source: source.Name, Target: targetName, Labels: source.Labels,
		Method: method.String(), Encoder: enc.Name(), Pooling: opts.Features.Pooling.String(), Seed: *seed,
		TargetAccuracy: report.Accuracy, TargetMacroF1: report.MacroF1, SourceAccuracy: res.SourceDevAccuracy,
		ADistanceBefore: res.PADBefore.Distance, ADistanceAfter: res.PADAfter.Distance,
		NSourceTrain: len(source.Train), NSourceDev: len(source.Dev), NTargetTrain: len(targetTexts), NTargetTest: len(test),
		Confusion: report.Confusion, Seconds: time.Since(start).Seconds(),
		Options: map[string]any{"steps": opts.Train.Steps, "lr": opts.Train.LearningRate, "weight": opts.Train.Weight,
			"hidden": opts.Train.Hidden, "kernel": opts.Train.Kernel.String(), "select": opts.Train.Select.String(),
			"chunk_words": opts.ChunkWords, "batch": opts.Train.BatchSize, "dropout": opts.Train.Dropout}}
	fmt.Fprintf(stdout, "\n%s → %s, %s: target accuracy %.4f (macro-F1 %.4f, %d examples), source dev accuracy %.4f\n",
		source.Name, targetName, method, r.TargetAccuracy, r.TargetMacroF1, r.NTargetTest, r.SourceAccuracy)
	fmt.Fprintf(stdout, "proxy A-distance (source vs target): %.3f before, %.3f after adaptation\n\n", r.ADistanceBefore, r.ADistanceAfter)
	fmt.Fprint(stdout, report.Markdown(source.Labels))
	if *out != "" {
		return writeJSON(*out, r)
	}
	return nil
}

// isDataset reports whether arg names a registry dataset rather than a file: no file of
// that name exists and it is one of datasetNames.
func isDataset(arg string) bool {
	if _, err := os.Stat(arg); err == nil {
		return false
	}
	return slices.Contains(datasetNames, arg)
}

// loadSource loads the labelled source data: a dataset (train and dev splits; dev carved
// from train when it has none) or a file (dev from devPath, or carved with seed).
func loadSource(arg, devPath string, seed int64) (*data.TextClassification, error) {
	var task *data.TextClassification
	var err error
	if isDataset(arg) {
		if task, err = loadDataset(arg); err != nil {
			return nil, err
		}
		if devPath != "" {
			return nil, fmt.Errorf("--source-dev goes with a --source-train file, not with the dataset %s (which has its own dev split)", arg)
		}
		task = &data.TextClassification{Name: task.Name, Labels: task.Labels, Train: task.Train, Dev: task.Dev}
	} else {
		if _, err := os.Stat(arg); err != nil {
			return nil, fmt.Errorf("%s is neither a file nor a dataset (%s)", arg, strings.Join(datasetNames, ", "))
		}
		if task, err = loadFiles(arg, devPath, ""); err != nil {
			return nil, err
		}
	}
	if len(task.Dev) == 0 {
		if err := task.CarveDev(devFraction, uint64(seed)); err != nil {
			return nil, err
		}
	}
	if len(task.Labels) < 2 {
		return nil, fmt.Errorf("%s: %d label(s) %q; a classifier needs at least 2", task.Name, len(task.Labels), task.Labels)
	}
	return task, nil
}

// loadTargetTrain loads the unlabelled target texts: a dataset's train split, or a file. A
// file whose labels are all among the source's labels is read as labelled (the labels are
// returned for target-oracle, and ignored otherwise); any other file is read as plain texts,
// one a non-blank line. labels is nil when the texts have no usable labels.
func loadTargetTrain(arg string, sourceLabels []string) (texts []string, labels []int, name string, err error) {
	var task *data.TextClassification
	if isDataset(arg) {
		if task, err = loadDataset(arg); err != nil {
			return nil, nil, "", err
		}
		name = task.Name
		task = &data.TextClassification{Name: task.Name, Labels: task.Labels, Train: task.Train}
	} else {
		raw, err := os.ReadFile(arg)
		if err != nil {
			return nil, nil, "", err
		}
		name = strings.TrimSuffix(filepath.Base(arg), filepath.Ext(arg))
		if t, err := data.LoadTextFile(arg); err == nil && subset(t.Labels, sourceLabels) {
			task = t
		} else {
			sc := bufio.NewScanner(bytes.NewReader(raw))
			sc.Buffer(nil, 64<<20)
			for sc.Scan() {
				if line := strings.TrimSpace(sc.Text()); line != "" {
					texts = append(texts, line)
				}
			}
			if len(texts) == 0 {
				return nil, nil, "", fmt.Errorf("%s holds no text", arg)
			}
			return texts, nil, name, nil
		}
	}
	relabelled, err := mapLabels(task, sourceLabels)
	for _, ex := range task.Train {
		texts = append(texts, ex.Text)
	}
	if err != nil {
		return texts, nil, name, nil // Unusable labels: ignored.
	}
	for _, ex := range relabelled {
		labels = append(labels, ex.Label)
	}
	return texts, labels, name, nil
}

// loadTargetTest loads the labelled target test examples, labels mapped to the source's: a
// dataset's dev and test splits, or a whole file.
func loadTargetTest(arg string, sourceLabels []string) ([]data.Example, string, error) {
	var task *data.TextClassification
	var err error
	if isDataset(arg) {
		if task, err = loadDataset(arg); err != nil {
			return nil, "", err
		}
		task = &data.TextClassification{Name: task.Name, Labels: task.Labels, Train: append(append([]data.Example{}, task.Dev...), task.Test...)}
	} else {
		if _, err := os.Stat(arg); err != nil {
			return nil, "", fmt.Errorf("%s is neither a file nor a dataset (%s)", arg, strings.Join(datasetNames, ", "))
		}
		if task, err = data.LoadTextFile(arg); err != nil {
			return nil, "", err
		}
	}
	examples, err := mapLabels(task, sourceLabels)
	if err != nil {
		return nil, "", err
	}
	if len(examples) == 0 {
		return nil, "", fmt.Errorf("%s has no test examples", arg)
	}
	return examples, task.Name, nil
}

// mapLabels returns task.Train with labels re-indexed into sourceLabels (matched by name); a
// label the source lacks is an error.
func mapLabels(task *data.TextClassification, sourceLabels []string) ([]data.Example, error) {
	out := make([]data.Example, len(task.Train))
	for i, ex := range task.Train {
		name := task.Labels[ex.Label]
		j := slices.Index(sourceLabels, name)
		if j < 0 {
			return nil, fmt.Errorf("%s: label %q is not one of the source's labels (%s)", task.Name, name, strings.Join(sourceLabels, ", "))
		}
		out[i] = data.Example{Text: ex.Text, Label: j}
	}
	return out, nil
}

// subset reports whether every element of a is in b.
func subset(a, b []string) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}
