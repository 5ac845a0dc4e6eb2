package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/nlp-transfer/gotl/tlkit/pretrain"
	"github.com/nlp-transfer/gotl/tlkit/train"
	"github.com/nlp-transfer/gotl/tlkit/wordpiece"
)

// runPretrain implements "tlkit pretrain".
func runPretrain(args []string) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return pretrainCommand(ctx, args, os.Stdout, os.Stderr)
}

// pretrainCommand runs "tlkit pretrain" with args: progress on stderr, a summary (and with
// --json the history) on stdout. Cancelling ctx (Ctrl-C) saves the training state for --resume.
func pretrainCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	def := pretrain.DefaultOptions()
	fs := flag.NewFlagSet("pretrain", flag.ContinueOnError)
	fs.SetOutput(stderr)
	corpora := fs.String("corpus", strings.Join(pretrain.Corpora, ","), "comma-separated `corpora` to train on: "+strings.Join(pretrain.Corpora, ", ")+
		" (the default), or the movie-review text "+strings.Join(pretrain.DomainCorpora, ", "))
	from := fs.String("from", "", "continue pretraining the BERT checkpoint in `DIR` (e.g. an earlier run's) instead of random weights; its architecture and vocabulary are kept")
	textFile := fs.String("text", "", "train on your own text `FILE` instead (one paragraph or sentence a line; blank lines separate documents)")
	maxTokens := fs.Int("max-tokens", 0, "read at most this many wordpieces, shared among the corpora (0: all)")
	vocab := fs.String("vocab", "", "an uncased WordPiece vocab.txt `FILE` (default: bert-base-uncased)")
	charVocab := fs.Int("char-vocab", 0, "with --text: a character vocabulary of the text instead, every character seen at least `N` times (for Chinese and other languages bert-base-uncased does not cover; see wordpiece.CharacterVocab)")
	layers := fs.Int("layers", def.Layers, "transformer layers")
	hidden := fs.Int("hidden", def.Hidden, "hidden size")
	heads := fs.Int("heads", def.Heads, "attention heads (must divide --hidden)")
	inter := fs.Int("intermediate", def.Intermediate, "feed-forward size")
	seqLen := fs.Int("seq-len", def.SeqLen, "tokens per training row, [CLS] and [SEP] included")
	initRange := fs.Float64("init-range", 0, "standard deviation of the random initial weights (0: BERT's 0.02)")
	batch := fs.Int("batch", def.BatchSize, "rows per step")
	steps := fs.Int("steps", def.Steps, "training steps")
	lr := fs.Float64("lr", def.LearningRate, "peak learning rate (after the warmup; then linear decay)")
	warmup := fs.Float64("warmup", def.Warmup, "fraction of the steps warming up")
	mask := fs.Float64("mask", def.MaskProb, "fraction of the tokens masked and predicted")
	evalEvery := fs.Int("eval-every", def.EvalEvery, "evaluate the held-out MLM loss every this many steps")
	ckptEvery := fs.Int("checkpoint-every", def.CheckpointEvery, "save the resumable training state every this many steps")
	seed := fs.Uint64("seed", def.Seed, "seed of the weights, the data order and the masks")
	out := fs.String("out", "", "`DIR` for the HuggingFace checkpoint and history.json (default: a folder under .cache/pretrain named by the options)")
	resume := fs.Bool("resume", false, "continue an interrupted run in --out (a finished one is reused without training)")
	keep := fs.Bool("keep-state", false, "keep the training state (DIR/train) after the run")
	asJSON := fs.Bool("json", false, "print the history as JSON on stdout")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), `usage: tlkit pretrain [--corpus LIST | --text FILE [--char-vocab N]] [--from DIR] [--steps N] [--layers N]
                      [--hidden N] [--heads N] [--seq-len N] [--batch N] [--lr X] [--out DIR] [--resume]

Masked-language-model pretraining of a BERT from random weights (or, with --from, from a
checkpoint: domain-adaptive pretraining on new text): 15%% of the tokens masked
(80%% [MASK], 10%% random, 10%% kept; new masks each time a row comes back), AdamW with warmup
and linear decay. Writes a HuggingFace checkpoint with its MLM head (config.json,
model.safetensors, vocab.txt) that "tlkit finetune --encoder bert:DIR" and "tlkit embed"
read, and history.json (losses, held-out perplexity, tokens/s). Ctrl-C saves the training
state: run again with --resume to continue where it stopped.

Flags:
`)
		fs.PrintDefaults()
	}
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	opts := def
	opts.Corpora = nil
	for _, c := range strings.Split(*corpora, ",") {
		if c = strings.TrimSpace(c); c != "" {
			opts.Corpora = append(opts.Corpora, c)
		}
	}
	if *textFile != "" {
		docs, err := readDocuments(*textFile)
		if err != nil {
			return err
		}
		opts.Documents = docs
	}
	opts.MaxTokens, opts.Vocab = *maxTokens, *vocab
	if *charVocab > 0 {
		path, err := writeCharVocab(opts.Documents, *charVocab, *vocab != "" || *from != "")
		if err != nil {
			return err
		}
		defer os.Remove(path)
		opts.Vocab = path
	}
	opts.Layers, opts.Hidden, opts.Heads, opts.Intermediate, opts.SeqLen = *layers, *hidden, *heads, *inter, *seqLen
	opts.InitRange = *initRange
	opts.BatchSize, opts.Steps, opts.LearningRate, opts.Warmup, opts.MaskProb = *batch, *steps, *lr, *warmup, *mask
	opts.EvalEvery, opts.CheckpointEvery, opts.Seed = *evalEvery, *ckptEvery, *seed
	opts.Dir, opts.Resume, opts.KeepTrainState = *out, *resume, *keep
	if opts.From = *from; opts.From != "" {
		// The checkpoint decides the architecture, unless a flag names it (then they must agree).
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		for name, v := range map[string]*int{"layers": &opts.Layers, "hidden": &opts.Hidden, "heads": &opts.Heads, "intermediate": &opts.Intermediate} {
			if !set[name] {
				*v = 0
			}
		}
	}
	opts.Store = cliStore()
	opts.Progress = train.TerminalProgress(stderr)
	if *ckptEvery < 1 {
		return fmt.Errorf("--checkpoint-every %d: want at least 1", *ckptEvery)
	}

	if opts.From != "" {
		fmt.Fprintf(stderr, "continuing the pretraining of %s for %d steps of %d×%d tokens...\n",
			opts.From, opts.Steps, opts.BatchSize, opts.SeqLen)
	} else {
		fmt.Fprintf(stderr, "pretraining a %d-layer, %d-wide BERT for %d steps of %d×%d tokens...\n",
			opts.Layers, opts.Hidden, opts.Steps, opts.BatchSize, opts.SeqLen)
	}
	res, err := pretrain.Run(ctx, opts)
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("interrupted; the training state is saved: run the same command with --resume to continue")
	}
	if err != nil {
		return err
	}
	h := res.History
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", " ")
		return enc.Encode(h)
	}
	status := "trained"
	if res.Cached {
		status = "reused (finished run of the same options)"
	}
	fmt.Fprintf(stdout, "checkpoint: %s (%s)\n", res.Dir, status)
	fmt.Fprintf(stdout, "model: %d layers, hidden %d, %d heads, %d weights; %d corpus tokens, %d training rows\n",
		h.Config.NumHiddenLayers, h.Config.HiddenSize, h.Config.NumAttentionHeads, h.Params, h.CorpusTokens, h.TrainRows)
	if first, ok := h.First(); ok {
		last, _ := h.Last()
		fmt.Fprintf(stdout, "held-out MLM loss %.3f → %.3f, perplexity %.1f → %.1f, accuracy %.1f%% → %.1f%% (steps 0 → %d)\n",
			first.Loss, last.Loss, first.Perplexity, last.Perplexity, 100*first.Accuracy, 100*last.Accuracy, last.Step)
	}
	if h.StepsThisRun > 0 {
		fmt.Fprintf(stdout, "speed: %.0f tokens/s (%d steps in %.0f s)\n", h.TokensPerSecond, h.StepsThisRun, h.TrainSeconds)
	}
	fmt.Fprintf(stdout, "use it: tlkit finetune --encoder bert:%s ...\n", res.Dir)
	return nil
}

// readDocuments reads a text file as documents separated by blank lines.
// writeCharVocab writes the character vocabulary of docs (characters seen minCount times) to a
// temporary vocab.txt and returns its path (the checkpoint keeps its own copy).
func writeCharVocab(docs []string, minCount int, otherVocab bool) (string, error) {
	switch {
	case len(docs) == 0:
		return "", fmt.Errorf("--char-vocab builds the vocabulary from --text: give --text FILE")
	case otherVocab:
		return "", fmt.Errorf("--char-vocab builds a new vocabulary: leave out --vocab and --from")
	}
	tokens, err := wordpiece.CharacterVocab(docs, minCount, true)
	if err != nil {
		return "", fmt.Errorf("--char-vocab %d: %w", minCount, err)
	}
	f, err := os.CreateTemp("", "tlkit-char-vocab-*.txt")
	if err != nil {
		return "", fmt.Errorf("--char-vocab: %w", err)
	}
	f.Close()
	if err := wordpiece.WriteVocab(f.Name(), tokens); err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("--char-vocab: %w", err)
	}
	return f.Name(), nil
}

func readDocuments(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--text: %w", err)
	}
	var docs []string
	for _, d := range strings.Split(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n\n") {
		if strings.TrimSpace(d) != "" {
			docs = append(docs, d)
		}
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("--text %s: no text", path)
	}
	return docs, nil
}
