package uselite

import (
	"errors"
	"fmt"
	"sort"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// Batching defaults: see Model.SetBatching.
const (
	DefaultMaxBatch   = 64
	DefaultLengthStep = 16
)

// maxCompiledShapes bounds the number of compiled graphs kept per executor: one per
// (batch, length) bucket, of which the defaults give at most 7 × 8.
const maxCompiledShapes = 128

// ErrEmptyText is returned (wrapped, naming the text's index) for an empty text, which has no
// tokens. TF.js gives such a text, when batched with others, the pooler's normalised
// tanh(biases) and fails on a batch of only empty texts; rather than return that meaningless
// vector, Embed refuses it: filter out empty texts first.
var ErrEmptyText = errors.New("empty text has no tokens")

// SetBatching sets how Embed and TokenStates batch their inputs: at most maxBatch sentences per
// batch, and sentence lengths padded up to a multiple of lengthStep tokens (capped at
// Config.MaxTokens). Batch sizes are padded up to a power of two (at most maxBatch), so that the
// compiled graphs, one per (batch, length) shape, are reused across calls.
func (m *Model) SetBatching(maxBatch, lengthStep int) error {
	if maxBatch < 1 || lengthStep < 1 {
		return fmt.Errorf("uselite: SetBatching(%d, %d): both must be positive", maxBatch, lengthStep)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.maxBatch, m.lengthStep = maxBatch, lengthStep
	return nil
}

// newExecs creates the executors for sentence vectors and token states.
func (m *Model) newExecs() error {
	cfg := m.Config
	var err error
	m.pooledExec, err = model.NewExec(m.backend, m.store, func(scope *model.Scope, ids, mask *graph.Node) *graph.Node {
		_, pooled := Encoder(scope, cfg, ids, mask)
		return pooled
	})
	if err != nil {
		return fmt.Errorf("creating the embedding executor: %w", err)
	}
	m.pooledExec.SetMaxCache(maxCompiledShapes)
	m.statesExec, err = model.NewExec(m.backend, m.store, func(scope *model.Scope, ids, mask *graph.Node) (*graph.Node, *graph.Node) {
		return Encoder(scope, cfg, ids, mask)
	})
	if err != nil {
		return fmt.Errorf("creating the token-states executor: %w", err)
	}
	m.statesExec.SetMaxCache(maxCompiledShapes)
	return nil
}

// Tokenize returns the token ids of each text, as the model sees them: the tokenizer's ids
// clipped to Config.MaxTokens. An empty text is an error wrapping ErrEmptyText.
func (m *Model) Tokenize(texts []string) ([][]int32, error) {
	out := make([][]int32, len(texts))
	for i, text := range texts {
		ids := m.tokenizer.Encode(text)
		if len(ids) == 0 {
			return nil, fmt.Errorf("uselite: text %d: %w", i, ErrEmptyText)
		}
		if len(ids) > m.Config.MaxTokens {
			ids = ids[:m.Config.MaxTokens]
		}
		out[i] = ids
	}
	return out, nil
}

// Embed returns the 512-d, L2-normalised sentence vector of each text, as the TF.js
// Universal Sentence Encoder Lite computes it. Texts are batched by token length (see
// SetBatching); the output is in input order. An empty text is an error wrapping ErrEmptyText.
func (m *Model) Embed(texts []string) ([][]float32, error) {
	ids, err := m.Tokenize(texts)
	if err != nil {
		return nil, err
	}
	pooled, _, err := m.run(ids, false)
	return pooled, err
}

// EmbedTokens is like Embed, for texts already tokenized (e.g. by Tokenize). Each row must
// hold 1 to Config.MaxTokens ids below Config.VocabSize.
func (m *Model) EmbedTokens(ids [][]int32) ([][]float32, error) {
	if err := m.checkTokens(ids); err != nil {
		return nil, err
	}
	pooled, _, err := m.run(ids, false)
	return pooled, err
}

// TokenStates returns, for each text, the encoder's final per-token states (one 512-d vector per
// token of Tokenize's output, before pooling) and its sentence vector (as Embed).
func (m *Model) TokenStates(texts []string) (states [][][]float32, pooled [][]float32, err error) {
	ids, err := m.Tokenize(texts)
	if err != nil {
		return nil, nil, err
	}
	pooled, states, err = m.run(ids, true)
	return states, pooled, err
}

// checkTokens validates pre-tokenized input for EmbedTokens.
func (m *Model) checkTokens(ids [][]int32) error {
	for i, row := range ids {
		if len(row) == 0 {
			return fmt.Errorf("uselite: token row %d: %w", i, ErrEmptyText)
		}
		if len(row) > m.Config.MaxTokens {
			return fmt.Errorf("uselite: token row %d has %d ids, more than the model's %d", i, len(row), m.Config.MaxTokens)
		}
		for _, id := range row {
			if id < 0 || int(id) >= m.Config.VocabSize {
				return fmt.Errorf("uselite: token row %d: id %d out of range [0, %d)", i, id, m.Config.VocabSize)
			}
		}
	}
	return nil
}

// bucket is one padded batch: the input rows it holds and its padded shape.
type bucket struct {
	rows          []int
	batch, length int
}

// planBuckets groups rows by padded length (a multiple of step, at most maxLength), shortest
// first, and splits each group into batches of at most maxBatch rows, each padded to a power
// of two (at most maxBatch) rows.
func planBuckets(lengths []int, maxBatch, step, maxLength int) []bucket {
	order := make([]int, len(lengths))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return lengths[order[a]] < lengths[order[b]] })
	padded := func(n int) int {
		p := (n + step - 1) / step * step
		return min(max(p, 1), maxLength)
	}
	var buckets []bucket
	for start := 0; start < len(order); {
		length := padded(lengths[order[start]])
		end := start
		for end < len(order) && end-start < maxBatch && padded(lengths[order[end]]) == length {
			end++
		}
		batch := 1
		for batch < end-start {
			batch *= 2
		}
		buckets = append(buckets, bucket{rows: order[start:end], batch: min(batch, maxBatch), length: length})
		start = end
	}
	return buckets
}

// run executes the encoder on validated token rows, bucket by bucket, and returns the
// sentence vectors and (if withStates) the token states, in input order.
func (m *Model) run(ids [][]int32, withStates bool) (pooled [][]float32, states [][][]float32, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	lengths := make([]int, len(ids))
	for i, row := range ids {
		lengths[i] = len(row)
	}
	hidden := m.Config.HiddenDim
	pooled = make([][]float32, len(ids))
	if withStates {
		states = make([][][]float32, len(ids))
	}
	for _, b := range planBuckets(lengths, m.maxBatch, m.lengthStep, m.Config.MaxTokens) {
		flatIDs := make([]int32, b.batch*b.length)
		mask := make([]bool, b.batch*b.length)
		for r, row := range b.rows {
			copy(flatIDs[r*b.length:], ids[row])
			for t := range ids[row] {
				mask[r*b.length+t] = true
			}
		}
		idsT := tensors.FromFlatDataAndDimensions(flatIDs, b.batch, b.length)
		maskT := tensors.FromFlatDataAndDimensions(mask, b.batch, b.length)
		var outputs []*tensors.Tensor
		if withStates {
			outputs, err = m.statesExec.Exec(idsT, maskT)
		} else {
			outputs, err = m.pooledExec.Exec(idsT, maskT)
		}
		_ = idsT.FinalizeAll()
		_ = maskT.FinalizeAll()
		if err != nil {
			return nil, nil, fmt.Errorf("uselite: running the encoder on a batch of %d×%d tokens: %w", b.batch, b.length, err)
		}
		pooledOut := outputs[len(outputs)-1]
		flat, err := tensors.CopyFlatData[float32](pooledOut)
		if err != nil {
			return nil, nil, fmt.Errorf("uselite: reading sentence vectors: %w", err)
		}
		for r, row := range b.rows {
			pooled[row] = flat[r*hidden : (r+1)*hidden : (r+1)*hidden]
		}
		if withStates {
			flatStates, err := tensors.CopyFlatData[float32](outputs[0])
			if err != nil {
				return nil, nil, fmt.Errorf("uselite: reading token states: %w", err)
			}
			for r, row := range b.rows {
				states[row] = make([][]float32, len(ids[row]))
				for t := range ids[row] {
					off := (r*b.length + t) * hidden
					states[row][t] = flatStates[off : off+hidden : off+hidden]
				}
			}
		}
		for _, t := range outputs {
			_ = t.FinalizeAll()
		}
	}
	return pooled, states, nil
}
