// Package bert runs HuggingFace BERT checkpoints (and freshly initialised BERTs) as gotl
// encoders: a Model implements encoder.Encoder, with every weight a trainable GoMLX variable.
//
// # Using a downloaded checkpoint
//
// Download a BERT from the HuggingFace Hub on a machine with access (for instance with
// `huggingface-cli download google/bert_uncased_L-2_H-128_A-2 --local-dir bert-tiny`, or
// bert-base-uncased), keeping config.json, model.safetensors and vocab.txt (or
// tokenizer.json; tokenizer_config.json too if present). Then point Load at the directory:
//
//	m, err := bert.Load("bert-tiny")               // 2 layers, 128 wide: fast on a CPU.
//	r := encoder.NewRunner(backend, m)             // backend: tlkit.Backend()
//	vecs, err := r.Embed(texts, encoder.PoolMean)  // or PoolCLS, or PoolNative (the pooler)
//
// Only model.safetensors is read: a checkpoint that only has pytorch_model.bin must be converted
// first (in Python: `safetensors.torch.save_file(torch.load("pytorch_model.bin"),
// "model.safetensors")`). F16 and BF16 weights are widened to float32.
//
// # The model
//
// Build (or Encoder) builds HuggingFace's BertModel in inference mode: embeddings (word +
// position + token type 0) and LayerNorm; post-LN transformer layers (exact erf GELU for
// hidden_act "gelu"); the pooler, tanh(dense([CLS] state)), as the native pooling. Its outputs
// match an independent PyTorch implementation (testdata/torch_ref.py) to about 2e-6.
// There is no dropout yet: see Encoder for where it would go.
//
// The variables live in the scopes "embeddings", "layer_0".."layer_{n-1}" and "pooler" of the
// model's Store (Model.Layers), e.g. for freezing layers with encoder.SetTrainable before
// fine-tuning. Save writes the current (e.g. fine-tuned) values back as a HuggingFace checkpoint
// directory, which Load and HuggingFace's from_pretrained read.
//
// New creates a randomly initialised BERT of any size (start from BaseConfig), e.g. for
// experiments on pre-training or for tests.
package bert
