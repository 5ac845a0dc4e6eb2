package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit"
	"github.com/nlp-transfer/gotl/tlkit/metrics"
	"github.com/nlp-transfer/gotl/tlkit/multitask"
)

// runMultitask implements "tlkit multitask".
func runMultitask(args []string) error { return multitaskCommand(args, os.Stdout, os.Stderr) }

// filePairs is a repeatable flag of TRAIN,TEST file pairs.
type filePairs [][2]string

func (f *filePairs) String() string { return fmt.Sprint([][2]string(*f)) }

func (f *filePairs) Set(s string) error {
	train, test, ok := strings.Cut(s, ",")
	if !ok || train == "" || test == "" || strings.Contains(test, ",") {
		return fmt.Errorf("want TRAIN,TEST (two files separated by a comma), got %q", s)
	}
	*f = append(*f, [2]string{train, test})
	return nil
}

// taskJSON is one task's scores in "tlkit multitask --out".
type taskJSON struct {
	Name        string  `json:"name"`
	Kind        string  `json:"kind"`
	Metric      string  `json:"metric"`
	Weight      float64 `json:"weight"`
	Probability float64 `json:"probability"`
	Steps       int     `json:"steps"`
	NTrain      int     `json:"n_train"`
	NDev        int     `json:"n_dev"`
	NTest       int     `json:"n_test"`
	BestStep    int     `json:"best_step"`
	Dev         float64 `json:"dev"`
	Test        float64 `json:"test"`
	// Sentence tasks.
	Accuracy *float64 `json:"accuracy,omitempty"`
	MacroF1  *float64 `json:"macro_f1,omitempty"`
	// Entity tasks.
	F1        *float64                   `json:"f1,omitempty"`
	Precision *float64                   `json:"precision,omitempty"`
	Recall    *float64                   `json:"recall,omitempty"`
	PerType   []metrics.EntityTypeScores `json:"per_type,omitempty"`
}

// multitaskJSON is what "tlkit multitask --out" writes.
type multitaskJSON struct {
	Command     string         `json:"command"`
	Encoder     string         `json:"encoder"`
	Sampling    string         `json:"sampling"`
	Temperature float64        `json:"temperature,omitempty"`
	Steps       int            `json:"steps"`
	Seconds     float64        `json:"seconds"`
	Tasks       []taskJSON     `json:"tasks"`
	Options     map[string]any `json:"options,omitempty"`
}

// multitaskCommand runs "tlkit multitask" with args, printing results to stdout and progress
// to stderr.
func multitaskCommand(args []string, stdout, stderr io.Writer) error {
	def := multitask.DefaultOptions()
	fs := flag.NewFlagSet("multitask", flag.ContinueOnError)
	fs.SetOutput(stderr)
	taskList := fs.String("tasks", "", "comma-separated registry datasets, e.g. conll2003,conll2000,sst2,trec")
	var conll, text filePairs
	fs.Var(&conll, "conll", "a token task from your CoNLL files `TRAIN,TEST` (repeatable)")
	fs.Var(&text, "text", "a sentence task from your `TRAIN,TEST` files of LABEL<TAB>text lines (repeatable)")
	weightList := fs.String("weights", "", "comma-separated loss weights, one per task in order (default: all 1)")
	samplingName := fs.String("sampling", def.Sampling.String(), "task sampling: proportional, temperature or round-robin")
	temperature := fs.Float64("temperature", def.Temperature, "T of --sampling temperature: p ∝ n^(1/T)")
	var tf trainingFlags
	tf.register(fs, def)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), `usage: tlkit multitask [--tasks NAME,NAME,...] [--conll TRAIN,TEST]... [--text TRAIN,TEST]...
                       [--sampling proportional|temperature|round-robin] [--temperature T]
                       [--weights W,W,...] [--encoder SPEC] [--steps N | --epochs N]
                       [--limit N] [--out FILE] [--checkpoint DIR] [--resume]

Multi-task learning: fine-tunes one shared encoder with one head per task, sentence-level
(classification of the pooled vector) and token-level (tagging of each word's first piece).
Each step trains a batch of one task, drawn proportionally to the tasks' sizes, with a
temperature (p ∝ n^(1/T)), or round-robin. Every task is evaluated on dev every --eval-every
steps and keeps its best weights, with which its test split is scored: accuracy for sentence
tasks, conlleval's entity F1 for IOB-tagged token tasks. One task alone is plain fine-tuning.

Registry datasets: %s (token); %s (sentence). Datasets without a dev
split get 10%% of their training examples (chosen with --seed) as dev.

Encoders:
%s

Flags:
`, strings.Join(taggingDatasets, ", "), strings.Join(datasetNames, ", "), tlkit.EncoderSpecs)
		fs.PrintDefaults()
	}
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	opts, err := tf.options(def, stderr)
	if err != nil {
		return err
	}
	if opts.Sampling, err = multitask.ParseSampling(*samplingName); err != nil {
		return fmt.Errorf("--sampling: %w", err)
	}
	if opts.Sampling == multitask.Temperature && !(*temperature > 0) {
		return fmt.Errorf("--temperature %g: want a positive temperature", *temperature)
	}
	opts.Temperature = *temperature

	var tasks []multitask.Task
	if *taskList != "" {
		for _, name := range strings.Split(*taskList, ",") {
			name = strings.TrimSpace(name)
			var task multitask.Task
			if data.IsTokenClassification(name) {
				d, err := loadTaggingDataset(name)
				if err != nil {
					return err
				}
				task = multitask.TokenTask(d)
			} else {
				d, err := loadDataset(name)
				if err != nil {
					return fmt.Errorf("--tasks: %w (token tasks: %s)", err, strings.Join(taggingDatasets, ", "))
				}
				task = multitask.SentenceTask(d)
			}
			tasks = append(tasks, task)
		}
	}
	for _, p := range conll {
		d, err := loadCoNLLFiles(p[0], "", p[1])
		if err != nil {
			return err
		}
		tasks = append(tasks, multitask.TokenTask(d))
	}
	for _, p := range text {
		d, err := loadFiles(p[0], "", p[1])
		if err != nil {
			return err
		}
		tasks = append(tasks, multitask.SentenceTask(d))
	}
	if len(tasks) == 0 {
		return fmt.Errorf("no tasks: give --tasks NAME,NAME,... and/or --conll TRAIN,TEST and --text TRAIN,TEST")
	}
	if *weightList != "" {
		ws := strings.Split(*weightList, ",")
		if len(ws) != len(tasks) {
			return fmt.Errorf("--weights: %d weights for %d tasks", len(ws), len(tasks))
		}
		for i, w := range ws {
			v, err := strconv.ParseFloat(strings.TrimSpace(w), 64)
			if err != nil || !(v > 0) {
				return fmt.Errorf("--weights: %q is not a positive number", w)
			}
			tasks[i] = tasks[i].WithWeight(v)
		}
	}
	for i := range tasks {
		if tf.limit > 0 {
			tasks[i] = tasks[i].Subsample(tf.limit, 0, 0, uint64(tf.seed))
		}
		if tasks[i].Sentences != nil {
			fmt.Fprintf(stderr, "%s\n", tasks[i].Sentences)
		} else {
			fmt.Fprintf(stderr, "%s\n", tasks[i].Tokens)
		}
	}
	enc, err := tlkit.LoadEncoder(tf.spec, cliStore())
	if err != nil {
		return err
	}
	start := time.Now()
	res, err := tlkit.MultiTask(enc, tasks, opts)
	if err != nil {
		return err
	}
	out := multitaskJSON{Command: "multitask", Encoder: enc.Name(), Sampling: opts.Sampling.String(), Steps: res.Steps,
		Seconds: time.Since(start).Seconds(), Options: optionsMap(res)}
	if opts.Sampling == multitask.Temperature {
		out.Temperature = opts.Temperature
	}
	fmt.Fprintf(stdout, "\n%s\n", res.Markdown())
	for _, t := range res.Tasks {
		tj := taskJSON{Name: t.Name, Kind: t.Kind, Metric: t.Metric, Weight: t.Weight, Probability: t.Probability,
			Steps: t.Steps, NTrain: t.NTrain, NDev: t.NDev, NTest: t.NTest, BestStep: t.BestStep, Dev: t.Dev, Test: t.Test}
		if r := t.Report; r != nil {
			tj.Accuracy, tj.MacroF1 = ptr(r.Accuracy), ptr(r.MacroF1)
		}
		if e := t.Entities; e != nil {
			tj.F1, tj.Precision, tj.Recall, tj.PerType = ptr(e.F1), ptr(e.Precision), ptr(e.Recall), e.Types
			fmt.Fprintf(stdout, "%s test entities:\n\n%s\n", t.Name, e.Markdown())
		}
		out.Tasks = append(out.Tasks, tj)
	}
	if tf.out != "" {
		return writeJSON(tf.out, out)
	}
	return nil
}

func ptr(v float64) *float64 { return &v }
