package bert_test

import (
	"testing"

	"github.com/nlp-transfer/gotl/tlkit/bert"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/wordpiece"
)

// BenchmarkEmbedL2H128 measures Runner.Embed throughput of a random BERT shaped like
// google/bert_uncased_L-2_H-128_A-2 (bert-base-uncased vocabulary), on 64 sentences of 10 to 30
// tokens per op; it reports sentences/s.
func BenchmarkEmbedL2H128(b *testing.B) {
	cfg := bert.BaseConfig()
	cfg.NumHiddenLayers, cfg.HiddenSize, cfg.NumAttentionHeads, cfg.IntermediateSize = 2, 128, 2, 512
	tok, err := wordpiece.NewBertUncased()
	if err != nil {
		b.Skip(err)
	}
	m, err := bert.New(cfg, tok.VocabPath(), 1)
	if err != nil {
		b.Fatal(err)
	}
	base := []string{
		"The quick brown fox jumps over the lazy dog.",
		"Transfer learning reuses a model trained on one task for another task.",
		"BERT encodes every token with the context of the whole sentence, in both directions at once.",
		"It was fine.",
	}
	var texts []string
	for i := range 64 {
		texts = append(texts, base[i%len(base)])
	}
	r := encoder.NewRunner(mustBackend(b), m)
	if _, err := r.Embed(texts, encoder.PoolMean); err != nil { // Compile the graphs.
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := r.Embed(texts, encoder.PoolMean); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(texts)*b.N)/b.Elapsed().Seconds(), "sentences/s")
}
