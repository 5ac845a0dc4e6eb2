package train

import (
	"math/rand/v2"
	"slices"

	"github.com/gomlx/gomlx/core/tensors"
)

// epochBatches returns the batches of one epoch, as example indices: a permutation of
// [0, n) drawn from a PCG seeded by (seed, epoch), cut into batches of batchSize. With
// lengths, each window of windowBatches·batchSize shuffled examples is sorted by length
// (stably) before being cut, and the batches are then shuffled, so that a batch holds texts of
// similar length (little padding) while the order stays random. The examples that don't fill
// the last batch are left out of this epoch (a different few each epoch): every batch has
// batchSize examples, so the step graph is compiled for few shapes.
func epochBatches(n, batchSize int, seed uint64, epoch int, lengths []int, windowBatches int) [][]int {
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15^uint64(epoch)))
	numBatches := n / batchSize
	perm := rng.Perm(n)[:numBatches*batchSize]
	n = len(perm)
	if lengths != nil {
		window := max(windowBatches, 1) * batchSize
		for start := 0; start < n; start += window {
			chunk := perm[start:min(start+window, n)]
			slices.SortStableFunc(chunk, func(a, b int) int { return lengths[a] - lengths[b] })
		}
	}
	batches := make([][]int, 0, numBatches)
	for b := range numBatches {
		batches = append(batches, perm[b*batchSize:(b+1)*batchSize:(b+1)*batchSize])
	}
	if lengths != nil {
		rng.Shuffle(len(batches), func(i, j int) { batches[i], batches[j] = batches[j], batches[i] })
	}
	return batches
}

// PadLength returns the padded length of a batch whose longest row has n tokens: n rounded
// up to a multiple of step, at most maxLength (and at least 1). Batch functions use it so
// that batches come in few shapes.
func PadLength(n, step, maxLength int) int {
	if step < 1 {
		step = 1
	}
	p := (n + step - 1) / step * step
	return min(max(p, 1), maxLength)
}

// PadRows pads token rows into ids and mask tensors [batch, length]: length is
// PadLength(longest row, step, maxLength), rows longer than it are cut to it, and rows past
// len(rows) repeat the first row (their outputs are to be ignored). mask is true on real
// tokens.
func PadRows(rows [][]int32, batch, step, maxLength int) (ids, mask *tensors.Tensor, length int) {
	longest := 0
	for _, r := range rows {
		longest = max(longest, len(r))
	}
	length = PadLength(longest, step, maxLength)
	flatIDs := make([]int32, batch*length)
	flatMask := make([]bool, batch*length)
	for i := range batch {
		r := rows[0]
		if i < len(rows) {
			r = rows[i]
		}
		r = r[:min(len(r), length)]
		copy(flatIDs[i*length:], r)
		for t := range r {
			flatMask[i*length+t] = true
		}
	}
	return tensors.FromFlatDataAndDimensions(flatIDs, batch, length), tensors.FromFlatDataAndDimensions(flatMask, batch, length), length
}
