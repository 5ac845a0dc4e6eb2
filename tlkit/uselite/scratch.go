package uselite

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strings"
)

// NewScratch returns a randomly initialised Universal Sentence Encoder Lite: the architecture,
// config and tokenizer of the package at dir (as for Load), with fresh weights. It is the
// "no pretraining" baseline of transfer-learning experiments. Its Name is
// "use-lite-scratch:seed=SEED", so that caches keyed by name keep seeds apart.
//
// The initialisation is that of common transformer code:
//
//   - token embeddings: normal with mean 0 and standard deviation EmbedDim^-0.5 (1/16), the
//     tensor2tensor default for embeddings, so that an embedding has about unit norm;
//   - dense and attention kernels: Glorot (Xavier) uniform, in ±sqrt(6/(fan_in+fan_out));
//   - biases and layer-norm offsets 0, layer-norm gains 1;
//   - timing-signal frequencies: those of model.json, a constant of the architecture (not
//     trainable, in no layer).
//
// The weights are filled on the host from math/rand/v2's PCG generator and depend only on seed:
// each variable draws from its own stream, seeded by seed and the variable's path.
func NewScratch(dir string, seed int64) (*Model, error) {
	initValues := func(spec weightSpec) []float32 { return scratchValues(spec, seed) }
	m, err := load(dir, fmt.Sprintf("use-lite-scratch:seed=%d", seed), initValues)
	if err != nil {
		return nil, fmt.Errorf("creating a from-scratch USE Lite with the config of %s: %w", dir, err)
	}
	return m, nil
}

// scratchValues returns the random initial value of the variable of spec, or nil for the
// timing frequencies, which keep their model.json values.
func scratchValues(spec weightSpec, seed int64) []float32 {
	path := spec.scope + "/" + spec.path
	if !spec.trainable {
		return nil
	}
	h := fnv.New64a()
	h.Write([]byte(path))
	rng := rand.New(rand.NewPCG(uint64(seed), h.Sum64()))
	values := make([]float32, product(spec.shape))
	name := path[strings.LastIndex(path, "/")+1:]
	switch {
	case spec.scope == LayerEmbeddings && name == "token_embeddings":
		std := 1 / math.Sqrt(float64(spec.shape[1]))
		for i := range values {
			values[i] = float32(rng.NormFloat64() * std)
		}
	case name == "weights":
		limit := math.Sqrt(6 / float64(spec.shape[0]+spec.shape[1]))
		for i := range values {
			values[i] = float32((2*rng.Float64() - 1) * limit)
		}
	case name == "gain":
		for i := range values {
			values[i] = 1
		}
	case name == "biases", name == "offset":
		// Zeros.
	default:
		panic(fmt.Sprintf("uselite: no scratch initialisation for variable %s", path))
	}
	return values
}
