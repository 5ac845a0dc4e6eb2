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
	cands := make([]Method, len(lrs))
	for i, lr := range lrs {
		h := head
		h.LearningRate = lr
		cands[i] = FeaturesMethod(candidateName(name, lr), enc, feat, h)
	}
	return BestOnDev(name, cands...)
}

// TunedBagOfWords is BestOnDev over BagOfWordsMethod with head at each learning rate of lrs.
func TunedBagOfWords(name string, opts bow.Options, head probe.HeadOptions, lrs ...float64) Method {
	cands := make([]Method, len(lrs))
	for i, lr := range lrs {
		h := head
		h.LearningRate = lr
		cands[i] = BagOfWordsMethod(candidateName(name, lr), opts, h)
	}
	return BestOnDev(name, cands...)
}

// TunedFineTune is BestOnDev over FineTuneMethod with opts at each (peak) learning rate of
// lrs; each candidate checkpoints into its own folder.
func TunedFineTune(name string, enc encoder.Encoder, opts finetune.Options, lrs ...float64) Method {
	cands := make([]Method, len(lrs))
	for i, lr := range lrs {
		o := opts
		o.LearningRate = lr
		cands[i] = FineTuneMethod(candidateName(name, lr), enc, o)
	}
	return BestOnDev(name, cands...)
}

// candidateName names one learning rate's candidate of a tuned method.
func candidateName(name string, lr float64) string { return fmt.Sprintf("%s lr=%g", name, lr) }
