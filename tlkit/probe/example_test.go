package probe_test

import (
	"fmt"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/pretrained"
	"github.com/nlp-transfer/gotl/tlkit/probe"
)

// Frozen USE-lite sentence vectors of SST-2 and a logistic regression on them: the
// feature-extraction baseline of notebook 02 (79.3 ± 0.6% test accuracy over 3 seeds).
func ExampleRun() {
	enc, err := pretrained.Load("use-lite", nil)
	if err != nil {
		panic(err)
	}
	task, err := data.LoadSST2(nil)
	if err != nil {
		panic(err)
	}
	opts := probe.DefaultOptions()
	opts.Features.Pooling = encoder.PoolNative
	res, err := probe.Run(enc, task, opts)
	if err != nil {
		panic(err)
	}
	fmt.Printf("dev %.1f%%, test %.1f%% (macro-F1 %.1f%%)\n", 100*res.DevAccuracy, 100*res.TestAccuracy, 100*res.TestMacroF1)
}
