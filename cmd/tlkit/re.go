package main

import (
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
)

// relationDatasets lists the registry relation classification datasets "tlkit re" accepts.
var relationDatasets = []string{"semeval2010_task8"}

// loadRelationDataset loads a registry relation classification dataset by name.
func loadRelationDataset(name string) (*data.RelationClassification, error) {
	if name != "semeval2010_task8" {
		return nil, fmt.Errorf("no relation dataset %q: want one of %s, or your own SemEval-format files with --train and --test",
			name, strings.Join(relationDatasets, ", "))
	}
	return data.LoadSemEval2010(cliStore())
}

// loadRelationFiles loads the user's SemEval-format train, dev (optional) and test files.
func loadRelationFiles(trainPath, devPath, testPath string) (*data.RelationClassification, error) {
	var splits [3][]data.RelationExample
	for i, path := range []string{trainPath, devPath, testPath} {
		if path == "" {
			continue
		}
		exs, err := data.LoadSemEvalRelations(path)
		if err != nil {
			return nil, err
		}
		splits[i] = exs
	}
	name := strings.TrimSuffix(filepath.Base(trainPath), filepath.Ext(trainPath))
	return data.NewRelationClassification(name, splits[0], splits[1], splits[2]), nil
}

// relationResult is the JSON that "tlkit re --out" writes.
type relationResult struct {
	Command string `json:"command"`
	Task    string `json:"task"`
	Encoder string `json:"encoder"`
	Seed    int64  `json:"seed"`
	NTrain  int    `json:"n_train"`
	NDev    int    `json:"n_dev"`
	NTest   int    `json:"n_test"`
	// MacroF1 is the official score (SemEval-2010 Task 8: macro-averaged F1 over the relations
	// but Other, direction taken into account); DevMacroF1 the best dev score during training.
	MacroF1    float64                 `json:"macro_f1"`
	MicroF1    float64                 `json:"micro_f1"`
	Accuracy   float64                 `json:"accuracy"`
	DevMacroF1 float64                 `json:"dev_macro_f1"`
	Relations  []metrics.RelationScore `json:"relations"`
	Steps      int                     `json:"steps"`
	Seconds    float64                 `json:"seconds"`
	Options    map[string]any          `json:"options,omitempty"`
}

// runRE implements "tlkit re".
func runRE(args []string) error { return reCommand(args, os.Stdout, os.Stderr) }

// reCommand runs "tlkit re" with args, printing results to stdout and progress to stderr.
func reCommand(args []string, stdout, stderr io.Writer) error {
	def := multitask.DefaultOptions()
	fs := flag.NewFlagSet("re", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var dataset, trainPath, devPath, testPath string
	fs.StringVar(&dataset, "dataset", "", "a registry dataset: "+strings.Join(relationDatasets, ", "))
	fs.StringVar(&trainPath, "train", "", "your training `FILE` in SemEval-2010 Task 8's format")
	fs.StringVar(&testPath, "test", "", "your test `FILE`, same format")
	fs.StringVar(&devPath, "dev", "", "your dev `FILE` (optional: else 10% of --train, stratified, chosen with --seed)")
	var tf trainingFlags
	tf.register(fs, def)
	predPath := fs.String("predictions", "", "write the test predictions as `FILE` lines `ID<TAB>LABEL` (the official scorer's input)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), `usage: tlkit re [--dataset NAME | --train FILE --test FILE [--dev FILE]]
                [--encoder SPEC] [--steps N | --epochs N] [--batch N] [--lr X]
                [--out FILE] [--predictions FILE] [--checkpoint DIR] [--resume]

Relation extraction: classifies the relation between two marked nominals. The input marks
them with punctuation (%s before and after e1, %s around e2), the encoder is fine-tuned with
a head on the states of the two opening markers, the weights with the best dev score are
kept, and the test split is scored as SemEval-2010 Task 8's official scorer does:
macro-averaged F1 over the relations except Other, a right relation in the wrong direction
counting as wrong.

Data: --dataset NAME (%s), or your own files in the task's format: blocks of
an ID<TAB>"sentence" line marking the nominals with <e1>…</e1> and <e2>…</e2>, a label line
(Other, or a directed relation such as Cause-Effect(e2,e1)), an optional Comment: line and a
blank line. Without --dev, 10%% of the training examples (stratified, chosen with --seed) are
held out.

Encoders:
%s

Flags:
`, multitask.E1Marker, multitask.E2Marker, strings.Join(relationDatasets, ", "), tlkit.EncoderSpecs)
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
	d, err := loadInput(dataset, trainPath, devPath, testPath, " (SemEval-2010 Task 8 format)", loadRelationDataset, loadRelationFiles)
	if err != nil {
		return err
	}
	if len(d.Train) == 0 || len(d.Test) == 0 {
		return fmt.Errorf("%s: %d training and %d test examples; both must be non-empty", d.Name, len(d.Train), len(d.Test))
	}
	if tf.limit > 0 {
		d = multitask.RelationTask(d).Subsample(tf.limit, 0, 0, uint64(tf.seed)).Relations
	}
	fmt.Fprintf(stderr, "%s\n", d)
	enc, err := tlkit.LoadEncoder(tf.spec, cliStore())
	if err != nil {
		return err
	}
	start := time.Now()
	res, err := tlkit.RelationExtraction(enc, d, opts)
	if err != nil {
		return err
	}
	tr := &res.Tasks[0]
	s := tr.Relations
	fmt.Fprintf(stdout, "\n%s test: macro-F1 %.4f (official: Other excluded, direction counted), micro-F1 %.4f, accuracy %.4f on %d examples\n\n%s",
		tr.Name, s.MacroF1, s.MicroF1, s.Accuracy, tr.NTest, s.Markdown())
	if *predPath != "" {
		if err := multitask.WriteRelationPredictions(*predPath, d.Test, tr.TestLabels); err != nil {
			return err
		}
	}
	if tf.out != "" {
		return writeJSON(tf.out, relationResult{Command: "re", Task: tr.Name, Encoder: enc.Name(), Seed: tf.seed,
			NTrain: tr.NTrain, NDev: tr.NDev, NTest: tr.NTest, MacroF1: s.MacroF1, MicroF1: s.MicroF1,
			Accuracy: s.Accuracy, DevMacroF1: tr.Dev, Relations: s.Relations, Steps: res.Steps,
			Seconds: time.Since(start).Seconds(), Options: optionsMap(res)})
	}
	return nil
}
