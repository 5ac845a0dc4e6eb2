package uselite_test

import (
	"testing"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
)

// sst2Dev returns the sentences of the SST-2 dev split from the dataset mirror (data.FindMirror:
// $TLKIT_DATA, else ../shared/data); it skips if there is none.
func sst2Dev(tb testing.TB) []string {
	tb.Helper()
	mirror := data.FindMirror()
	if mirror == "" {
		tb.Skip("no dataset mirror for SST-2: set $TLKIT_DATA to the dataset mirror")
	}
	store := data.DefaultStore()
	store.Mirror, store.Offline = mirror, true
	d, err := data.LoadSST2(store)
	if err != nil {
		tb.Fatal(err)
	}
	sentences := make([]string, len(d.Dev))
	for i, e := range d.Dev {
		sentences[i] = e.Text
	}
	return sentences
}

// BenchmarkEmbed embeds the SST-2 dev sentences (872) per iteration with a Runner (default
// batching, native pooling) and reports sentences/s.
func BenchmarkEmbed(b *testing.B) {
	_, r := loadTestModel(b)
	sentences := sst2Dev(b)
	if _, err := r.Embed(sentences, encoder.PoolNative); err != nil { // Compile the graphs of every bucket.
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := r.Embed(sentences, encoder.PoolNative); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(sentences))/b.Elapsed().Seconds(), "sent/s")
}
