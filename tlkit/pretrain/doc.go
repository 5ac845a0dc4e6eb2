// Package pretrain trains a BERT from random weights with the masked-language-model objective
// (Devlin et al. 2019), on a CPU: the recipe behind tlkit.Pretrain, notebook 01 and
// "tlkit pretrain".
//
//	opts := pretrain.DefaultOptions()        // 4 layers, 128 wide, 2000 steps of 32×128 tokens
//	opts.Corpora = []string{"brown", "austen"}
//	res, err := pretrain.Pretrain(opts)      // res.Dir: a HuggingFace checkpoint with its MLM head
//	enc, err := tlkit.LoadEncoder("bert:"+res.Dir, nil)
//
// The text comes from the registry's unlabelled corpora (Corpora, LoadCorpus) or from
// Options.Documents; it is tokenized with a WordPiece vocabulary (bert-base-uncased by
// default), concatenated and cut into rows of SeqLen tokens. Masker chooses 15% of each row's
// ordinary tokens (never a special token) and replaces 80% of them with [MASK], 10% with a
// random token and leaves 10%; the masks of a step are drawn from a generator seeded by (seed,
// step), new at every pass (dynamic masking) and the same when a run resumes. The encoder runs
// on every token and the MLM head (bert.MLMLogits, tied to the word embeddings) on the masked
// positions only; the loss is bert.CrossEntropy. The loop is tlkit/train's: AdamW, warmup and
// linear decay, gradient clipping, resumable checkpoints (bit-identical after an
// interruption), held-out evaluation with the best weights kept.
//
// Options.From continues the pretraining of an existing checkpoint on other text: the second,
// domain-adaptive stage of Gururangan et al. (2020), for example on the movie reviews of
// DomainCorpora before a sentiment task.
//
// A run writes bert.Model.Save's checkpoint (config.json, model.safetensors with the
// cls.predictions.* weights, vocab.txt, tokenizer_config.json) and history.json (History: the
// loss of every step, held-out loss, perplexity and accuracy, tokens/s). FillMask and
// FormatBlanks show what the model guesses for [MASK]s in a sentence.
package pretrain
