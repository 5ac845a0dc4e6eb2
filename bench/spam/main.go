// Command spam runs the spam-filtering comparison of the README on SpamAssassin (dataset
// "spam"): TF-IDF + logistic regression, frozen USE-lite features + logistic regression,
// fine-tuned USE-lite and the same network from scratch, each with its learning rate chosen
// on dev (BestOnDev), at 50 and 500 labels over seeds 1–3, then the two head-only methods on
// all 4732 labels. Runs are kept under $TMPDIR/spam/results and reused.
//
//	GOEXPERIMENT=simd GODEBUG=asyncpreemptoff=1 go run ./bench/spam
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit"
	"github.com/nlp-transfer/gotl/tlkit/bow"
	"github.com/nlp-transfer/gotl/tlkit/compare"
	"github.com/nlp-transfer/gotl/tlkit/finetune"
	"github.com/nlp-transfer/gotl/tlkit/probe"
	"github.com/nlp-transfer/gotl/tlkit/train"
)

func main() {
	task, err := data.LoadTextClassification(nil, "spam")
	check(err)
	enc, err := tlkit.LoadEncoder("use-lite", nil)
	check(err)
	bowHead := probe.DefaultHeadOptions()
	bowHead.Standardize = false
	methods := []compare.Method{
		compare.TunedBagOfWords("tf-idf + LR", bow.DefaultOptions(), bowHead, 3e-3, 1e-2, 3e-2),
		compare.TunedFeatures("frozen USE-lite + LR", enc, probe.FeatureOptions{}, probe.DefaultHeadOptions(), 3e-4, 1e-3, 3e-3),
	}
	o := finetune.DefaultOptions()
	o.Epochs, o.MinSteps, o.MaxTokens, o.EvalEvery = 2, 100, 128, 50
	o.Progress = train.NoProgress()
	scratch, err := tlkit.LoadEncoder("use-lite-scratch", nil)
	check(err)
	methods = append(methods, compare.TunedFineTune("fine-tuned USE-lite", enc, o, 3e-4, 1e-3),
		compare.TunedFineTune("scratch (same net)", scratch, o, 3e-4, 1e-3))
	opts := compare.Options{ResultsDir: filepath.Join(os.TempDir(), "spam", "results"), Log: os.Stdout}
	c, err := compare.Sweep(task, methods, []int{50, 500}, []int64{1, 2, 3}, opts)
	check(err)
	fmt.Println(c.Markdown())
	check(c.WriteJSON(filepath.Join(os.TempDir(), "spam", "small.json")))
	c, err = compare.Sweep(task, methods[:2], []int{4732}, []int64{1, 2, 3}, opts)
	check(err)
	fmt.Println(c.Markdown())
	check(c.WriteJSON(filepath.Join(os.TempDir(), "spam", "full.json")))
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
