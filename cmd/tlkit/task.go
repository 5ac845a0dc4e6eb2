package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/internal/cachefile"
	"github.com/nlp-transfer/gotl/tlkit/metrics"
)

// devFraction is the share of the training examples moved to dev when the data has no dev
// split.
const devFraction = 0.1

// datasetNames lists the registry datasets that "tlkit features" and "tlkit finetune" accept.
var datasetNames = data.TextClassificationNames()

// taskFlags are the input flags shared by "tlkit features" and "tlkit finetune".
type taskFlags struct {
	dataset, train, dev, test string
}

// register adds the input flags to fs.
func (f *taskFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.dataset, "dataset", "", "a registry dataset: "+strings.Join(datasetNames, ", "))
	fs.StringVar(&f.train, "train", "", "your training `FILE`: lines `LABEL<TAB>text` or `LABEL text` (or a .tsv/.csv)")
	fs.StringVar(&f.test, "test", "", "your test `FILE`, same format; its labels must occur in --train")
	fs.StringVar(&f.dev, "dev", "", "your dev `FILE` (optional: else 10% of --train, stratified, chosen with --seed)")
}

// loadInput returns the data that the input flags name, with fromRegistry (--dataset) or
// fromFiles (--train, --dev, --test): exactly one of the two must be given. filesHint ends
// the message for missing data (e.g. " (CoNLL format)").
func loadInput[T any](dataset, train, dev, test, filesHint string, fromRegistry func(name string) (T, error),
	fromFiles func(train, dev, test string) (T, error)) (T, error) {
	var zero T
	switch {
	case dataset != "" && (train != "" || test != "" || dev != ""):
		return zero, errors.New("give either --dataset or --train/--test files, not both")
	case dataset != "":
		return fromRegistry(dataset)
	case train == "" || test == "":
		return zero, errors.New("no data: give --dataset NAME, or --train FILE and --test FILE" + filesHint)
	}
	return fromFiles(train, dev, test)
}

// inputHelp documents the input flags in the commands' usage.
const inputHelp = `Data: --dataset NAME (a registry dataset, found in $TLKIT_DATA, ../shared/data or the
cache), or your own files --train FILE --test FILE [--dev FILE]: one example a line,
"LABEL<TAB>text" or "LABEL text" (a .tsv or .csv file: label and text columns), or for
sentence pairs a .tsv of "LABEL<TAB>text_a<TAB>text_b" (features reads both texts as
[u, v, |u-v|, u*v]; finetune needs a two-segment encoder, bert:DIR). Labels are any strings.
Without a dev split, 10% of train (stratified, chosen with --seed) is held out as dev.`

// load returns the task the flags name, with a dev split (carved from train with seed when
// the data has none).
func (f *taskFlags) load(seed int64) (*data.TextClassification, error) {
	task, err := loadInput(f.dataset, f.train, f.dev, f.test, "", loadDataset, loadFiles)
	if err != nil {
		return nil, err
	}
	if len(task.Dev) == 0 {
		if err := task.CarveDev(devFraction, uint64(seed)); err != nil {
			return nil, err
		}
	}
	switch {
	case len(task.Labels) < 2:
		return nil, fmt.Errorf("%s: %d label(s) %q; a classifier needs at least 2", task.Name, len(task.Labels), task.Labels)
	case len(task.Train) == 0 || len(task.Test) == 0:
		return nil, fmt.Errorf("%s: %d training and %d test examples; both must be non-empty", task.Name, len(task.Train), len(task.Test))
	}
	return task, nil
}

// loadDataset loads a registry dataset by name (see datasetNames).
var loadDataset = registryLoader(data.LoadTextClassification, "")

// registryLoader returns load on the command line's store, with an error for an unknown name
// that also points at the flags for the user's own files (of format, e.g. " CoNLL").
func registryLoader[T any](load func(*data.Store, string) (T, error), format string) func(string) (T, error) {
	return func(name string) (T, error) {
		d, err := load(cliStore(), name)
		if err != nil {
			return d, fmt.Errorf("%w, or your own%s files with --train and --test", err, format)
		}
		return d, nil
	}
}

// loadFiles loads the user's train, dev (optional) and test files. Labels are train's; a dev
// or test label that train lacks is an error naming the file and line.
func loadFiles(trainPath, devPath, testPath string) (*data.TextClassification, error) {
	task, err := data.LoadTextFile(trainPath)
	if err != nil {
		return nil, err
	}
	if err := checkLabelled(task, trainPath); err != nil {
		return nil, err
	}
	index := make(map[string]int, len(task.Labels))
	for i, l := range task.Labels {
		index[l] = i
	}
	relabel := func(path string) ([]data.Example, error) {
		if path == "" {
			return nil, nil
		}
		other, err := data.LoadTextFile(path)
		if err != nil {
			return nil, err
		}
		out := make([]data.Example, len(other.Train))
		for i, ex := range other.Train {
			label := other.Labels[ex.Label]
			j, ok := index[label]
			if !ok {
				return nil, fmt.Errorf("%s:%d: label %q does not occur in the training file %s (its labels: %s)",
					path, exampleLine(path, i, len(other.Train)), label, trainPath, strings.Join(task.Labels, ", "))
			}
			out[i] = data.Example{Text: ex.Text, TextB: ex.TextB, Label: j}
		}
		return out, nil
	}
	if task.Dev, err = relabel(devPath); err != nil {
		return nil, err
	}
	if task.Test, err = relabel(testPath); err != nil {
		return nil, err
	}
	task.Name = strings.TrimSuffix(filepath.Base(trainPath), filepath.Ext(trainPath))
	return task, nil
}

// exampleLine returns the 1-based line of the file at path where its i-th example (of n, in
// data.LoadTextFile's order) starts: the i-th non-blank line (the i-th CSV record for a .csv
// file), after a header if the file has one more line than examples. It returns 0 if the
// file can't be read again.
func exampleLine(path string, i, n int) int {
	content, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	var lines []int
	if strings.EqualFold(filepath.Ext(path), ".csv") {
		r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(content, []byte("\xef\xbb\xbf"))))
		r.FieldsPerRecord = -1
		for {
			if _, err := r.Read(); err != nil {
				if !errors.Is(err, io.EOF) {
					return 0
				}
				break
			}
			line, _ := r.FieldPos(0)
			lines = append(lines, line)
		}
	} else {
		sc := bufio.NewScanner(bytes.NewReader(content))
		sc.Buffer(nil, 64<<20)
		for no := 1; sc.Scan(); no++ {
			if strings.TrimSpace(sc.Text()) != "" {
				lines = append(lines, no)
			}
		}
	}
	if len(lines) == n+1 { // A header.
		lines = lines[1:]
	}
	if i >= len(lines) {
		return 0
	}
	return lines[i]
}

// labels returns the labels of examples.
func labels(examples []data.Example) []int {
	out := make([]int, len(examples))
	for i, ex := range examples {
		out[i] = ex.Label
	}
	return out
}

// classResult is one class's scores in the JSON results.
type classResult struct {
	Label     string  `json:"label"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	Support   int     `json:"support"`
}

// result is the JSON that --out writes.
type result struct {
	Command  string   `json:"command"`
	Task     string   `json:"task"`
	Labels   []string `json:"labels"`
	Encoder  string   `json:"encoder"`
	Head     string   `json:"head,omitempty"`
	Pooling  string   `json:"pooling,omitempty"`
	Freeze   string   `json:"freeze,omitempty"`
	Seed     int64    `json:"seed"`
	NTrain   int      `json:"n_train"`
	NDev     int      `json:"n_dev"`
	NTest    int      `json:"n_test"`
	Accuracy float64  `json:"accuracy"`
	MacroF1  float64  `json:"macro_f1"`
	// DevAccuracy is the dev accuracy of the kept model (omitted when unknown).
	DevAccuracy *float64       `json:"dev_accuracy,omitempty"`
	PerClass    []classResult  `json:"per_class"`
	Confusion   [][]int        `json:"confusion"`
	Seconds     float64        `json:"seconds"`
	Options     map[string]any `json:"options,omitempty"`
}

// newResult scores the test predictions of task.
func newResult(command string, task *data.TextClassification, pred []int) (*result, error) {
	gold := labels(task.Test)
	if err := metrics.Check(pred, gold, len(task.Labels)); err != nil {
		return nil, fmt.Errorf("scoring the test predictions: %w", err)
	}
	report := metrics.Classification(pred, gold, len(task.Labels))
	r := &result{Command: command, Task: task.Name, Labels: task.Labels,
		NTrain: len(task.Train), NDev: len(task.Dev), NTest: len(task.Test),
		Accuracy: report.Accuracy, MacroF1: report.MacroF1, Confusion: report.Confusion}
	for c, s := range report.Classes {
		r.PerClass = append(r.PerClass, classResult{Label: task.Labels[c], Precision: s.Precision, Recall: s.Recall, F1: s.F1, Support: s.Support})
	}
	return r, nil
}

// print writes the test metrics: a summary line, the per-class table and, for up to 10
// classes, the confusion matrix.
func (r *result) print(w io.Writer) {
	fmt.Fprintf(w, "\n%s test: accuracy %.4f, macro-F1 %.4f on %d examples\n\n", r.Task, r.Accuracy, r.MacroF1, r.NTest)
	report := metrics.Report{Accuracy: r.Accuracy, MacroF1: r.MacroF1, N: r.NTest, Confusion: r.Confusion}
	for _, c := range r.PerClass {
		report.Classes = append(report.Classes, metrics.ClassScores{Precision: c.Precision, Recall: c.Recall, F1: c.F1, Support: c.Support})
		report.MacroPrecision += c.Precision / float64(len(r.PerClass))
		report.MacroRecall += c.Recall / float64(len(r.PerClass))
	}
	fmt.Fprint(w, report.Markdown(r.Labels))
	if len(r.Labels) <= 10 {
		fmt.Fprintf(w, "\n%s", report.ConfusionMarkdown(r.Labels))
	}
}

// writeJSON writes v as indented JSON to path atomically: the results of every command's
// --out.
func writeJSON(path string, v any) error {
	if err := cachefile.WriteJSON(path, v); err != nil {
		return fmt.Errorf("writing the results: %w", err)
	}
	return nil
}

// checkOutPath fails early, before any training, when --out's folder does not exist.
func checkOutPath(path string) error {
	if path == "" {
		return nil
	}
	dir := filepath.Dir(path)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return fmt.Errorf("--out %s: folder %s does not exist", path, dir)
	}
	return nil
}

// parseFlags parses a command's flags and rejects positional arguments. help is true when
// -h asked for the usage (already printed): the command then does nothing and succeeds.
func parseFlags(fs *flag.FlagSet, args []string) (help bool, err error) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return true, nil
		}
		return false, err
	}
	if fs.NArg() > 0 {
		return false, fmt.Errorf("unexpected arguments %q (run tlkit %s -h)", fs.Args(), fs.Name())
	}
	return false, nil
}
