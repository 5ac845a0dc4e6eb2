package compare

import (
	"fmt"

	"github.com/nlp-transfer/gotl/tlkit/bow"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/finetune"
	"github.com/nlp-transfer/gotl/tlkit/probe"
)

// The Tuned methods give every method of a comparison the same care: each picks its learning
// rate from a grid by dev score (BestOnDev) at every label budget and seed, so that no
// baseline loses for want of tuning.

// TunedFeatures is BestOnDev over FeaturesMethod with head at each learning rate of lrs (its
// candidates named "NAME lr=LR").
func TunedFeatures(name string, enc encoder.Encoder, feat probe.FeatureOptions, head probe.HeadOptions, lrs ...float64) Method {
	return tuned(name, lrs, func(candidate string, lr float64) Method {
		h := head
		h.LearningRate = lr
		return FeaturesMethod(candidate, enc, feat, h)
	})
}

// TunedBagOfWords is BestOnDev over BagOfWordsMethod with head at each learning rate of lrs.
func TunedBagOfWords(name string, opts bow.Options, head probe.HeadOptions, lrs ...float64) Method {
	return tuned(name, lrs, func(candidate string, lr float64) Method {
		h := head
		h.LearningRate = lr
		return BagOfWordsMethod(candidate, opts, h)
	})
}

// TunedFineTune is BestOnDev over FineTuneMethod with opts at each (peak) learning rate of
// lrs; each candidate checkpoints into its own folder.
func TunedFineTune(name string, enc encoder.Encoder, opts finetune.Options, lrs ...float64) Method {
	return tuned(name, lrs, func(candidate string, lr float64) Method {
		o := opts
		o.LearningRate = lr
		return FineTuneMethod(candidate, enc, o)
	})
}

// tuned is BestOnDev named name over at(candidate name, lr) for each learning rate of lrs.
func tuned(name string, lrs []float64, at func(candidate string, lr float64) Method) Method {
	cands := make([]Method, len(lrs))
	for i, lr := range lrs {
		cands[i] = at(fmt.Sprintf("%s lr=%g", name, lr), lr)
	}
	return BestOnDev(name, cands...)
}
