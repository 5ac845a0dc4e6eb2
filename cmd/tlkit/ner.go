package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit"
	"github.com/nlp-transfer/gotl/tlkit/metrics"
	"github.com/nlp-transfer/gotl/tlkit/multitask"
	"github.com/nlp-transfer/gotl/tlkit/train"
)

// taggingDatasets lists the registry token classification datasets that "tlkit ner" and
// "tlkit multitask" accept.
var taggingDatasets = data.TokenClassificationNames()

// loadTaggingDataset loads a registry token classification dataset by name.
var loadTaggingDataset = registryLoader(data.LoadTokenClassification, " CoNLL")

// loadCoNLLFiles loads the user's CoNLL train, dev (optional) and test files as a token
// classification dataset named after the training file.
func loadCoNLLFiles(trainPath, devPath, testPath string) (*data.TokenClassification, error) {
	d := &data.TokenClassification{Name: strings.TrimSuffix(filepath.Base(trainPath), filepath.Ext(trainPath))}
	for _, f := range []struct {
		path string
		dst  *[]data.TaggedSentence
	}{{trainPath, &d.Train}, {devPath, &d.Dev}, {testPath, &d.Test}} {
		if f.path == "" {
			continue
		}
		s, err := data.LoadCoNLLFile(f.path)
		if err != nil {
			return nil, err
		}
		*f.dst = s
	}
	return d, nil
}

// taggingFlags are the input flags of "tlkit ner".
type taggingFlags struct {
	dataset, train, dev, test string
}

func (f *taggingFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.dataset, "dataset", "", "a registry dataset: "+strings.Join(taggingDatasets, ", "))
	fs.StringVar(&f.train, "train", "", "your training `FILE` in CoNLL format: `token ... TAG` lines, a blank line between sentences")
	fs.StringVar(&f.test, "test", "", "your test `FILE`, same format")
	fs.StringVar(&f.dev, "dev", "", "your dev `FILE` (optional: else 10% of --train, chosen with --seed)")
}

// load returns the dataset the flags name.
func (f *taggingFlags) load() (*data.TokenClassification, error) {
	d, err := loadInput(f.dataset, f.train, f.dev, f.test, " (CoNLL format)", loadTaggingDataset, loadCoNLLFiles)
	if err != nil {
		return nil, err
	}
	if len(d.Train) == 0 || len(d.Test) == 0 {
		return nil, fmt.Errorf("%s: %d training and %d test sentences; both must be non-empty", d.Name, len(d.Train), len(d.Test))
	}
	return d, nil
}

// trainingFlags are the training flags shared by "tlkit ner" and "tlkit multitask".
type trainingFlags struct {
	spec                        string
	steps, epochs, batch        int
	lr, headLR, dropout         float64
	maxTokens, evalEvery, limit int
	devLimit                    int
	frozen, resume              bool
	seed                        int64
	checkpoint, out             string
}

func (f *trainingFlags) register(fs *flag.FlagSet, def multitask.Options) {
	fs.StringVar(&f.spec, "encoder", "use-lite", "the `encoder`: use-lite, use-lite-scratch[:SEED], glove[:N] or bert:DIR")
	fs.IntVar(&f.steps, "steps", 0, "training steps (0: --epochs passes over the training data)")
	fs.IntVar(&f.epochs, "epochs", 1, "passes over the training data, when --steps is 0")
	fs.IntVar(&f.batch, "batch", def.BatchSize, "sentences per step")
	fs.Float64Var(&f.lr, "lr", def.LearningRate, "peak learning rate of the encoder (warmup, then linear decay)")
	fs.Float64Var(&f.headLR, "head-lr", def.HeadLearningRate, "peak learning rate of the new heads")
	fs.Float64Var(&f.dropout, "dropout", def.Dropout, "dropout on the heads' inputs")
	fs.IntVar(&f.maxTokens, "max-tokens", def.MaxTokens, "clip every sentence to this many tokens (0: the encoder's limit)")
	fs.IntVar(&f.evalEvery, "eval-every", 0, "evaluate on dev every this many steps (0: once per epoch)")
	fs.IntVar(&f.devLimit, "dev-limit", 0, "evaluate on at most this many dev examples of each task during training (0: all)")
	fs.IntVar(&f.limit, "limit", 0, "use at most this many training examples of each task (0: all)")
	fs.BoolVar(&f.frozen, "freeze-encoder", false, "keep the encoder frozen: train the heads only")
	fs.Int64Var(&f.seed, "seed", 1, "seed of the heads, the sampling, the data order and the dev splits carved from train")
	fs.StringVar(&f.checkpoint, "checkpoint", "", "checkpoint `DIR` (default: a folder under .cache/multitask named by the run)")
	fs.BoolVar(&f.resume, "resume", false, "resume an interrupted run from its last checkpoint (a finished run is restored without training)")
	fs.StringVar(&f.out, "out", "", "write the results as JSON to `FILE`")
}

// options checks the flags and returns the training options.
func (f *trainingFlags) options(def multitask.Options, stderr io.Writer) (multitask.Options, error) {
	switch {
	case f.steps < 0:
		return def, fmt.Errorf("--steps %d: want 0 (use --epochs) or more", f.steps)
	case f.epochs < 1:
		return def, fmt.Errorf("--epochs %d: want at least 1", f.epochs)
	case f.batch < 1:
		return def, fmt.Errorf("--batch %d: want at least 1", f.batch)
	case !(f.lr > 0) || !(f.headLR > 0):
		return def, fmt.Errorf("--lr %g and --head-lr %g: want positive learning rates", f.lr, f.headLR)
	case f.dropout < 0 || f.dropout >= 1:
		return def, fmt.Errorf("--dropout %g: want a rate in [0, 1)", f.dropout)
	case f.maxTokens < 0 || f.evalEvery < 0 || f.devLimit < 0 || f.limit < 0:
		return def, errors.New("--max-tokens, --eval-every, --dev-limit and --limit must not be negative")
	}
	if err := checkOutPath(f.out); err != nil {
		return def, err
	}
	o := def
	o.Steps, o.Epochs, o.BatchSize, o.LearningRate, o.HeadLearningRate = f.steps, f.epochs, f.batch, f.lr, f.headLR
	o.Dropout, o.MaxTokens, o.EvalEvery, o.DevLimit, o.FreezeEncoder = f.dropout, f.maxTokens, f.evalEvery, f.devLimit, f.frozen
	o.Seed, o.CheckpointDir, o.Resume = uint64(f.seed), f.checkpoint, f.resume
	o.Progress = train.TerminalProgress(stderr)
	return o, nil
}

// runNER implements "tlkit ner".
func runNER(args []string) error { return nerCommand(args, os.Stdout, os.Stderr) }

// entityResult is the JSON that "tlkit ner --out" writes.
type entityResult struct {
	Command   string  `json:"command"`
	Task      string  `json:"task"`
	Encoder   string  `json:"encoder"`
	Scheme    string  `json:"scheme"`
	Seed      int64   `json:"seed"`
	NTrain    int     `json:"n_train"`
	NDev      int     `json:"n_dev"`
	NTest     int     `json:"n_test"`
	F1        float64 `json:"f1"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	// Accuracy is the token accuracy; DevF1 the best dev entity F1 during training.
	Accuracy float64                    `json:"accuracy"`
	DevF1    float64                    `json:"dev_f1"`
	PerType  []metrics.EntityTypeScores `json:"per_type"`
	Gold     int                        `json:"gold_entities"`
	Pred     int                        `json:"predicted_entities"`
	Correct  int                        `json:"correct_entities"`
	Steps    int                        `json:"steps"`
	Seconds  float64                    `json:"seconds"`
	Options  map[string]any             `json:"options,omitempty"`
}

// nerCommand runs "tlkit ner" with args, printing results to stdout and progress to stderr.
func nerCommand(args []string, stdout, stderr io.Writer) error {
	def := multitask.DefaultOptions()
	fs := flag.NewFlagSet("ner", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var in taggingFlags
	in.register(fs)
	var tf trainingFlags
	tf.register(fs, def)
	predPath := fs.String("predictions", "", "write the test sentences as `FILE` lines `token gold predicted` (conlleval's input)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), `usage: tlkit ner [--dataset NAME | --train FILE --test FILE [--dev FILE]]
                 [--encoder SPEC] [--steps N | --epochs N] [--batch N] [--lr X]
                 [--out FILE] [--predictions FILE] [--checkpoint DIR] [--resume]

Named entity recognition (or any tagging): fine-tunes the encoder with a token classification
head that reads each word's first sub-word piece, keeps the weights with the best dev entity
F1, and prints the test entity-level precision, recall and F1, overall and per entity type,
computed as conlleval does (an entity counts only if its span and type are exact; a stray I-
tag starts an entity). IOB1 and IOB2 tags are both read; the tagger learns IOB2.
Tags that are not IOB (part of speech) are scored by token accuracy instead.

Data: --dataset NAME (%s), or your own CoNLL files: one token a line as
"token ... TAG" (the first column is the word, the last the tag), a blank line between
sentences. Without --dev, 10%% of the training sentences (chosen with --seed) are held out.

Encoders:
%s

Flags:
`, strings.Join(taggingDatasets, ", "), tlkit.EncoderSpecs)
		fs.PrintDefaults()
	}
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	opts, err := tf.options(def, stderr)
	if err != nil {
		return err
	}
	if err := checkOutPath(*predPath); err != nil {
		return err
	}
	d, err := in.load()
	if err != nil {
		return err
	}
	if tf.limit > 0 {
		d = multitask.TokenTask(d).Subsample(tf.limit, 0, 0, uint64(tf.seed)).Tokens
	}
	fmt.Fprintf(stderr, "%s\n", d)
	enc, err := tlkit.LoadEncoder(tf.spec, cliStore())
	if err != nil {
		return err
	}
	start := time.Now()
	res, err := tlkit.NER(enc, d, opts)
	if err != nil {
		return err
	}
	tr := &res.Tasks[0]
	out := entityResult{Command: "ner", Task: tr.Name, Encoder: enc.Name(), Scheme: tr.Scheme, Seed: tf.seed,
		NTrain: tr.NTrain, NDev: tr.NDev, NTest: tr.NTest, DevF1: tr.Dev, Steps: res.Steps,
		Seconds: time.Since(start).Seconds(), Options: optionsMap(res)}
	if e := tr.Entities; e != nil {
		out.F1, out.Precision, out.Recall, out.Accuracy, out.PerType = e.F1, e.Precision, e.Recall, e.Accuracy, e.Types
		out.Gold, out.Pred, out.Correct = e.Gold, e.Predicted, e.Correct
		fmt.Fprintf(stdout, "\n%s test: entity F1 %.4f (precision %.4f, recall %.4f) on %d sentences, %d entities\n\n%s",
			tr.Name, e.F1, e.Precision, e.Recall, tr.NTest, e.Gold, e.Markdown())
	} else {
		out.Accuracy = tr.Test
		fmt.Fprintf(stdout, "\n%s test: token accuracy %.4f on %d sentences (the tags are not IOB: no entity scores)\n", tr.Name, tr.Test, tr.NTest)
	}
	if *predPath != "" {
		if err := multitask.WritePredictions(*predPath, d.Test, tr.TestTags); err != nil {
			return err
		}
	}
	if tf.out != "" {
		return writeJSON(tf.out, out)
	}
	return nil
}

// optionsMap lists a run's main options for the JSON results.
func optionsMap(res *multitask.Result) map[string]any {
	o := res.Options
	return map[string]any{"steps": res.Steps, "batch": o.BatchSize, "lr": o.LearningRate, "head_lr": o.HeadLearningRate,
		"max_tokens": o.MaxTokens, "dropout": o.Dropout, "freeze_encoder": o.FreezeEncoder, "sampling": o.Sampling.String(),
		"temperature": o.Temperature, "eval_every": o.EvalEvery, "dev_limit": o.DevLimit, "checkpoint": res.CheckpointDir,
		"train_seconds": res.TrainTime.Seconds()}
}
