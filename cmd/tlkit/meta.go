package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit"
	"github.com/nlp-transfer/gotl/tlkit/meta"
	"github.com/nlp-transfer/gotl/tlkit/probe"
	"github.com/nlp-transfer/gotl/tlkit/train"
)

// metaDatasets lists the intent datasets "tlkit meta" accepts.
var metaDatasets = data.IntentClassificationNames()

// runMeta implements "tlkit meta": few-shot episodes, meta-learning and baselines.
func runMeta(args []string) error { return metaCommand(args, os.Stdout, os.Stderr) }

// metaScore is one method's score on one test set in the JSON results.
type metaScore struct {
	Test     string  `json:"test"`
	Mean     float64 `json:"mean"`
	CI95     float64 `json:"ci95"`
	Std      float64 `json:"std"`
	Episodes int     `json:"episodes"`
}

// metaMethodResult is one method's results in the JSON results.
type metaMethodResult struct {
	Method string `json:"method"`
	// TrainSeconds is the meta-training wall time (about 0 when restored from a checkpoint).
	TrainSeconds float64 `json:"train_seconds"`
	// BestValAccuracy is the meta-validation accuracy of the kept weights (meta-trained
	// methods only).
	BestValAccuracy *float64    `json:"best_val_accuracy,omitempty"`
	Scores          []metaScore `json:"scores"`
}

// metaResult is the JSON that "tlkit meta --out" writes.
type metaResult struct {
	Command      string             `json:"command"`
	Dataset      string             `json:"dataset"`
	Cross        []string           `json:"cross,omitempty"`
	Encoder      string             `json:"encoder"`
	Ways         int                `json:"ways"`
	Shots        int                `json:"shots"`
	Queries      int                `json:"queries"`
	Episodes     int                `json:"episodes"`
	Steps        int                `json:"steps"`
	Seed         uint64             `json:"seed"`
	TrainClasses int                `json:"train_classes"`
	ValClasses   int                `json:"val_classes"`
	TestClasses  int                `json:"test_classes"`
	TrainDomains []string           `json:"train_domains,omitempty"`
	ValDomains   []string           `json:"val_domains,omitempty"`
	TestDomains  []string           `json:"test_domains,omitempty"`
	Methods      []metaMethodResult `json:"methods"`
	Seconds      float64            `json:"seconds"`
}

// metaCommand runs "tlkit meta" with args, printing results to stdout and progress to
// stderr.
func metaCommand(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("meta", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dataset := fs.String("dataset", "clinc150", "the meta-learning data: "+strings.Join(metaDatasets, " or "))
	cross := fs.String("cross", "", "comma-separated datasets tested across datasets (all their intents), e.g. banking77")
	spec := fs.String("encoder", "use-lite", "the frozen `encoder`: use-lite, use-lite-scratch[:SEED], glove[:N] or bert:DIR")
	ways := fs.Int("ways", 5, "classes an episode (N)")
	shots := fs.Int("shots", 1, "labelled support examples a class (K)")
	queries := fs.Int("queries", 15, "query examples a class")
	episodes := fs.Int("episodes", 600, "test episodes of each test set")
	methodList := fs.String("methods", "all", "comma-separated methods: centroid, logreg, protonet, maml, fomaml, reptile (or all)")
	steps := fs.Int("steps", 1000, "meta-training steps of each meta-learned method")
	perClass := fs.Int("per-class", 0, "keep the first N examples of each intent (0: all), for a quicker run")
	seed := fs.Uint64("seed", 1, "seed of the weights and of the episodes")
	noCache := fs.Bool("no-cache", false, "always extract features and meta-train (by default both are cached under .cache)")
	quiet := fs.Bool("quiet", false, "no progress bars")
	out := fs.String("out", "", "write the results as JSON to `FILE`")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), `usage: tlkit meta [--dataset clinc150|banking77] [--cross DATASETS] [--ways N] [--shots K]
                  [--queries Q] [--episodes E] [--methods LIST] [--steps S] [--out FILE]

Few-shot intent classification on frozen encoder features (cached): the dataset's intents
are split into meta-train, meta-validation and meta-test intents (CLINC150: by domain, 5
training, 2 validation and 3 test domains, so the test intents come from unseen domains;
Banking77: by intent), each meta-learning method is meta-trained on N-way K-shot episodes
of the meta-train intents, and every method is scored on the same test episodes: the mean
accuracy with its 95%% confidence interval (1.96·std/√episodes). Meta-trained weights are
checkpointed under .cache/meta, so a second run with the same settings only evaluates.

Methods: centroid (nearest class centroid, frozen features), logreg (a logistic-regression
head trained on each support set), protonet (Prototypical Networks), maml (second-order
MAML), fomaml (first-order MAML), reptile.

Flags:
`)
		fs.PrintDefaults()
	}
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	methods, err := meta.ParseMethods(*methodList)
	if err != nil {
		return fmt.Errorf("--methods: %w", err)
	}
	switch {
	case *ways < 2:
		return fmt.Errorf("--ways %d: want at least 2", *ways)
	case *shots < 1 || *queries < 1:
		return fmt.Errorf("--shots %d --queries %d: want at least 1 of each", *shots, *queries)
	case *episodes < 1:
		return fmt.Errorf("--episodes %d: want at least 1", *episodes)
	case *steps < 1:
		return fmt.Errorf("--steps %d: want at least 1", *steps)
	case *perClass < 0:
		return fmt.Errorf("--per-class %d: want 0 (all) or more", *perClass)
	}
	if err := checkOutPath(*out); err != nil {
		return err
	}
	source, err := loadIntents(*dataset)
	if err != nil {
		return fmt.Errorf("--dataset: %w", err)
	}
	var targets []*data.IntentClassification
	var crossNames []string
	for _, name := range strings.Split(*cross, ",") {
		if name = strings.TrimSpace(name); name == "" {
			continue
		}
		d, err := loadIntents(name)
		if err != nil {
			return fmt.Errorf("--cross: %w", err)
		}
		targets, crossNames = append(targets, d), append(crossNames, name)
	}
	enc, err := tlkit.LoadEncoder(*spec, cliStore())
	if err != nil {
		return err
	}
	start := time.Now()
	opts := meta.DefaultOptions()
	opts.Targets, opts.Methods = targets, methods
	opts.Spec = meta.Spec{Ways: *ways, Shots: *shots, Queries: *queries}
	opts.TestEpisodes, opts.Steps, opts.PerClass, opts.Seed = *episodes, *steps, *perClass, *seed
	opts.Features = probe.FeatureOptions{Progress: func(done, total int) { fmt.Fprintf(stderr, "features: %d/%d texts\n", done, total) }}
	if *noCache {
		opts.CheckpointDir = meta.NoCheckpoint
		opts.Features.CacheDir = probe.NoCache
	}
	opts.Progress = train.TerminalProgress(stderr)
	if *quiet {
		opts.Progress = train.NoProgress()
	}
	fmt.Fprintf(stderr, "%s, %s episodes, %d test episodes, methods %s\n", source, opts.Spec, *episodes, *methodList)
	res, err := meta.Run(enc, source, opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "%s\n", res.Split)
	r := metaResult{Command: "meta", Dataset: *dataset, Cross: crossNames, Encoder: enc.Name(), Ways: *ways, Shots: *shots,
		Queries: *queries, Episodes: *episodes, Steps: *steps, Seed: *seed, TrainClasses: len(res.Split.Train),
		ValClasses: len(res.Split.Val), TestClasses: len(res.Split.Test), TrainDomains: res.Split.TrainDomains,
		ValDomains: res.Split.ValDomains, TestDomains: res.Split.TestDomains}
	for i, m := range res.Methods {
		mr := metaMethodResult{Method: m.String(), TrainSeconds: res.Seconds[i]}
		if h := res.Learners[i].History; h != nil {
			if best, ok := h.BestEval(); ok {
				mr.BestValAccuracy = &best.Metric
			}
		}
		for _, t := range res.Tests {
			s := t.Scores[i]
			mr.Scores = append(mr.Scores, metaScore{Test: t.Name, Mean: s.Mean, CI95: s.CI95, Std: s.Std, Episodes: s.Episodes})
		}
		r.Methods = append(r.Methods, mr)
	}
	r.Seconds = time.Since(start).Seconds()
	fmt.Fprintf(stdout, "\nAccuracy (%%) with 95%% confidence intervals over %d episodes:\n\n%s", *episodes, res.Markdown())
	if *out == "" {
		return nil
	}
	return writeJSON(*out, r)
}

// loadIntents loads an intent dataset by name (see metaDatasets).
func loadIntents(name string) (*data.IntentClassification, error) {
	return data.LoadIntentClassification(cliStore(), name)
}
