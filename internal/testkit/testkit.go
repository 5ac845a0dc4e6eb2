// Package testkit holds the fixtures that the tests of several gotl packages share: the data
// store of the tests (the mirror in $TLKIT_DATA or ../shared/data), the real pretrained
// encoders and SST-2, each skipping the test with the fix when it is unavailable. Only tests
// import it.
package testkit

import (
	"fmt"
	"testing"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/pretrained"
)

// Store returns data.DefaultStore with the mirror found by data.FindMirror when $TLKIT_DATA
// is unset, offline: a test never downloads.
func Store() *data.Store {
	store := data.DefaultStore()
	if store.Mirror == "" {
		store.Mirror = data.FindMirror()
	}
	store.Offline = true
	return store
}

// USELite returns Universal Sentence Encoder Lite, skipping the test when its npm files are
// not in the cache.
func USELite(t testing.TB) encoder.Encoder {
	t.Helper()
	return Encoder(t, "use-lite")
}

// GloVe returns the averaged-GloVe encoder of the n most frequent words, skipping the test
// when the vectors are not in the cache.
func GloVe(t testing.TB, n int) encoder.Encoder {
	t.Helper()
	return Encoder(t, fmt.Sprintf("glove:%d", n))
}

// Encoder returns pretrained.Load(spec), skipping the test when its files are unavailable.
func Encoder(t testing.TB, spec string) encoder.Encoder {
	t.Helper()
	enc, err := pretrained.Load(spec, Store())
	if err != nil {
		t.Skipf("%s unavailable (run make setup): %v", spec, err)
	}
	return enc
}

// SST2 returns SST-2 from the mirror, skipping the test when it is unavailable.
func SST2(t testing.TB) *data.TextClassification {
	t.Helper()
	task, err := data.LoadSST2(Store())
	if err != nil {
		t.Skipf("SST-2 unavailable: %v", err)
	}
	return task
}

// SST2Subset returns the first nTrain, nDev and nTest examples of SST-2's splits.
func SST2Subset(t testing.TB, nTrain, nDev, nTest int) *data.TextClassification {
	t.Helper()
	task := *SST2(t)
	task.Train, task.Dev, task.Test = task.Train[:nTrain], task.Dev[:nDev], task.Test[:nTest]
	return &task
}
