package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit"
	"github.com/nlp-transfer/gotl/tlkit/metrics"
	"github.com/nlp-transfer/gotl/tlkit/qa"
	"github.com/nlp-transfer/gotl/tlkit/train"
)

// runQA implements "tlkit qa".
func runQA(args []string) error { return qaCommand(args, os.Stdout, os.Stderr) }

// runQAEval implements "tlkit qa-eval".
func runQAEval(args []string) error { return qaEvalCommand(args, os.Stdout, os.Stderr) }

// qaResult is the JSON that "tlkit qa --out" and "tlkit qa-eval --out" write: scores as
// the official script prints them (percentages).
type qaResult struct {
	Command    string  `json:"command"`
	Encoder    string  `json:"encoder,omitempty"`
	Data       string  `json:"data"`
	ExactMatch float64 `json:"exact_match"`
	F1         float64 `json:"f1"`
	NQuestions int     `json:"n_questions"`
	NAnswered  int     `json:"n_answered"`
	// DevExactMatch and DevF1 are the kept weights' dev scores; NTrain and NDev count questions.
	DevExactMatch *float64 `json:"dev_exact_match,omitempty"`
	DevF1         *float64 `json:"dev_f1,omitempty"`
	NTrain        int      `json:"n_train,omitempty"`
	NDev          int      `json:"n_dev,omitempty"`
	Seed          uint64   `json:"seed,omitempty"`
	Seconds       float64  `json:"seconds,omitempty"`
}

// parseQAFlags parses args and returns the answer rules of --lang (*lang after parsing);
// help is true when the user asked for the usage.
func parseQAFlags(fs *flag.FlagSet, args []string, lang *string) (rules metrics.AnswerRules, help bool, err error) {
	if help, err := parseFlags(fs, args); help || err != nil {
		return 0, help, err
	}
	switch *lang {
	case "en":
		return metrics.SQuADRules, false, nil
	case "zh":
		return metrics.ChineseRules, false, nil
	}
	return 0, false, fmt.Errorf("--lang %q: want en (SQuAD v1.1's rules) or zh (character-level, as MLQA's and CMRC's scripts)", *lang)
}

// qaCommand runs "tlkit qa".
func qaCommand(args []string, stdout, stderr io.Writer) error {
	def := qa.DefaultOptions()
	fs := flag.NewFlagSet("qa", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dataset := fs.String("dataset", "", "xquad: XQuAD split by article (2/3 train, 1/12 dev, 1/4 test, seeded), in --lang")
	trainPath := fs.String("train", "", "your training `FILE` in SQuAD v1.1 JSON")
	devPath := fs.String("dev", "", "your dev `FILE` (optional: else 10% of --train's articles, chosen with --seed)")
	testPath := fs.String("test", "", "your test `FILE` in SQuAD v1.1 JSON")
	lang := fs.String("lang", "en", "en or zh: the answer rules (and XQuAD's language)")
	spec := fs.String("encoder", "use-lite", "the `encoder`: use-lite, use-lite-scratch[:SEED], glove[:N] or bert:DIR")
	lr := fs.Float64("lr", def.LearningRate, "peak learning rate (warmup, then linear decay)")
	epochs := fs.Int("epochs", def.Epochs, "passes over the training windows")
	steps := fs.Int("steps", 0, "stop after this many steps (0: no cap)")
	batch := fs.Int("batch", def.BatchSize, "windows per step")
	maxLen := fs.Int("max-len", 0, "tokens a window (0: the encoder's limit)")
	stride := fs.Int("stride", def.Windows.Stride, "context tokens two consecutive windows share")
	maxAnswer := fs.Int("max-answer", def.MaxAnswer, "the most tokens of an answer")
	seed := fs.Uint64("seed", def.Seed, "seed of the head, the data order, the dropout and the dev articles carved from --train")
	checkpoint := fs.String("checkpoint", "", "checkpoint `DIR` (default: a folder under .cache/qa named by the run)")
	out := fs.String("out", "", "write the results as JSON to `FILE` (exact_match, f1, n_questions)")
	predPath := fs.String("predictions", "", "write the test answers as JSON `FILE` {id: answer}, as the official script reads")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), `usage: tlkit qa (--dataset xquad | --train FILE --test FILE [--dev FILE]) [--lang en|zh]
                [--encoder SPEC] [--lr X] [--epochs N] [--out FILE] [--predictions FILE]

Extractive question answering: question + context are cut into windows of the encoder's
tokens (with --stride tokens of overlap), a span head on the token states scores each token
as the answer's start and end, the best span over a context's windows is the answer. Keeps
the weights with the best dev F1 and prints the test exact match and F1 of SQuAD v1.1's
evaluate-v1.1.py (--lang zh: character-level, as MLQA's and CMRC's scripts).

Data: SQuAD v1.1 JSON ({"data": [{"title", "paragraphs": [{"context", "qas": [{"id",
"question", "answers": [{"text", "answer_start"}]}]}]}]}); v2.0's unanswerable questions
are refused. Every answer_start must point at its text.

Encoders:
%s

Flags:
`, tlkit.EncoderSpecs)
		fs.PrintDefaults()
	}
	rules, help, err := parseQAFlags(fs, args, lang)
	if help || err != nil {
		return err
	}
	switch {
	case !(*lr > 0):
		return fmt.Errorf("--lr %g: want a positive learning rate", *lr)
	case *epochs < 1 || *batch < 1 || *maxAnswer < 1:
		return fmt.Errorf("--epochs %d, --batch %d, --max-answer %d: want at least 1", *epochs, *batch, *maxAnswer)
	case *steps < 0 || *maxLen < 0 || *stride < 0:
		return errors.New("--steps, --max-len and --stride must not be negative")
	}
	for _, p := range []string{*out, *predPath} {
		if err := checkOutPath(p); err != nil {
			return err
		}
	}
	task, name, err := loadQAInput(*dataset, *trainPath, *devPath, *testPath, *lang, *seed)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "%s: %d training, %d dev, %d test questions\n", name, len(task.Train), len(task.Dev), len(task.Test))
	enc, err := tlkit.LoadEncoder(*spec, cliStore())
	if err != nil {
		return err
	}
	opts := def
	opts.Rules, opts.LearningRate, opts.Epochs, opts.MaxSteps, opts.BatchSize, opts.MaxAnswer = rules, *lr, *epochs, *steps, *batch, *maxAnswer
	opts.Windows.MaxLen, opts.Windows.Stride, opts.Seed, opts.CheckpointDir = *maxLen, *stride, *seed, *checkpoint
	opts.Progress = train.TerminalProgress(stderr)
	start := time.Now()
	res, err := tlkit.QuestionAnswering(enc, task, opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s test: exact match %.2f, F1 %.2f on %d questions (dev: %.2f, %.2f)\n",
		name, 100*res.Test.ExactMatch, 100*res.Test.F1, res.Test.Total, 100*res.Dev.ExactMatch, 100*res.Dev.F1)
	if *predPath != "" {
		if err := writeJSON(*predPath, res.TestPredictions); err != nil {
			return err
		}
	}
	if *out == "" {
		return nil
	}
	devEM, devF1 := 100*res.Dev.ExactMatch, 100*res.Dev.F1
	return writeJSON(*out, qaResult{Command: "qa", Encoder: enc.Name(), Data: name, ExactMatch: 100 * res.Test.ExactMatch,
		F1: 100 * res.Test.F1, NQuestions: res.Test.Total, NAnswered: res.Test.Answered, DevExactMatch: &devEM,
		DevF1: &devF1, NTrain: len(task.Train), NDev: len(task.Dev), Seed: *seed, Seconds: time.Since(start).Seconds()})
}

// loadQAInput returns the splits the flags name and a name for them.
func loadQAInput(dataset, trainPath, devPath, testPath, lang string, seed uint64) (*data.QASplits, string, error) {
	if dataset != "" {
		if trainPath != "" || devPath != "" || testPath != "" {
			return nil, "", errors.New("--dataset and --train/--dev/--test: give one or the other")
		}
		if dataset != "xquad" {
			return nil, "", fmt.Errorf("--dataset %q: the registry's QA dataset is xquad (or give your own SQuAD files with --train and --test)", dataset)
		}
		ex, err := data.LoadXQuAD(cliStore(), lang)
		if err != nil {
			return nil, "", err
		}
		task, err := data.SplitQAByArticle(ex, data.DefaultSeed, 2.0/3, 1.0/12, 1.0/4)
		return task, "xquad." + lang, err
	}
	if trainPath == "" || testPath == "" {
		return nil, "", errors.New("give --dataset xquad, or --train FILE and --test FILE (SQuAD v1.1 JSON)")
	}
	train, err := data.LoadSQuAD(trainPath)
	if err != nil {
		return nil, "", err
	}
	test, err := data.LoadSQuAD(testPath)
	if err != nil {
		return nil, "", err
	}
	task := &data.QASplits{Train: train, Test: test}
	if devPath != "" {
		if task.Dev, err = data.LoadSQuAD(devPath); err != nil {
			return nil, "", err
		}
	} else {
		carved, err := data.SplitQAByArticle(train, seed, 0.9, 0.1, 0)
		if err != nil {
			return nil, "", fmt.Errorf("%s: carving a dev set from the training articles: %w (or give --dev FILE)", trainPath, err)
		}
		task.Train, task.Dev = carved.Train, carved.Dev
	}
	return task, strings.TrimSuffix(testPath, ".json"), nil
}

// qaEvalCommand runs "tlkit qa-eval".
func qaEvalCommand(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("qa-eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dataPath := fs.String("data", "", "the gold `FILE` in SQuAD v1.1 JSON")
	predPath := fs.String("predictions", "", "the predictions `FILE`: JSON {question id: answer text}")
	lang := fs.String("lang", "en", "en (SQuAD v1.1's rules) or zh (character-level, as MLQA's and CMRC's scripts)")
	out := fs.String("out", "", "also write the scores as JSON to `FILE`")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `usage: tlkit qa-eval --data FILE.json --predictions FILE.json [--lang en|zh] [--out FILE]

Scores a predictions file as SQuAD v1.1's evaluate-v1.1.py does: each answer normalised
(lower case, punctuation, the articles a/an/the and extra white space removed), exact match
and token F1 against every gold answer, the max over them, averaged over the gold questions
(an unanswered question scores 0). Prints {"exact_match": ..., "f1": ...} in percent.

Flags:
`)
		fs.PrintDefaults()
	}
	rules, help, err := parseQAFlags(fs, args, lang)
	if help || err != nil {
		return err
	}
	if *dataPath == "" || *predPath == "" {
		return errors.New("give --data FILE and --predictions FILE")
	}
	if err := checkOutPath(*out); err != nil {
		return err
	}
	gold, err := data.LoadSQuAD(*dataPath)
	if err != nil {
		return err
	}
	pred, err := readPredictions(*predPath)
	if err != nil {
		return err
	}
	r, err := metrics.QAScores(pred, qa.Gold(gold), rules)
	if err != nil {
		return fmt.Errorf("%s: %w", *dataPath, err)
	}
	if extra := len(pred) - r.Answered; extra > 0 {
		fmt.Fprintf(stderr, "%s: %d predictions for questions that %s does not have (ignored, as the official script does)\n", *predPath, extra, *dataPath)
	}
	if r.Answered < r.Total {
		fmt.Fprintf(stderr, "%s: %d of %d questions unanswered (scored 0)\n", *predPath, r.Total-r.Answered, r.Total)
	}
	res := qaResult{Command: "qa-eval", Data: *dataPath, ExactMatch: 100 * r.ExactMatch, F1: 100 * r.F1, NQuestions: r.Total, NAnswered: r.Answered}
	fmt.Fprintf(stdout, "{\"exact_match\": %v, \"f1\": %v}\n", res.ExactMatch, res.F1)
	if *out != "" {
		return writeJSON(*out, res)
	}
	return nil
}

// readPredictions reads a JSON object of question id → answer text.
func readPredictions(path string) (map[string]string, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading predictions: %w", err)
	}
	if !utf8.Valid(raw) {
		return nil, fmt.Errorf("predictions %s: not UTF-8 text; save it as UTF-8 JSON", path)
	}
	var pred map[string]string
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&pred); err != nil {
		return nil, fmt.Errorf("predictions %s: want a JSON object {\"question id\": \"answer\", ...}: %w", path, err)
	}
	if pred == nil {
		return nil, fmt.Errorf("predictions %s: null; want a JSON object {\"question id\": \"answer\", ...}", path)
	}
	return pred, nil
}
