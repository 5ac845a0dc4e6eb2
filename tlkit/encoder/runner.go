package encoder

import (
	"fmt"
	"sort"
	"sync"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// Batching defaults: see Runner.SetBatching.
const (
	DefaultMaxBatch   = 64
	DefaultLengthStep = 16
)

// maxCompiledShapes bounds the compiled graphs kept per executor: one per (batch, length)
// bucket, of which the defaults give at most 7 batch sizes × 32 lengths.
const maxCompiledShapes = 256

// Runner runs an Encoder for inference, in batches bucketed by token length: texts are sorted
// by length, each bucket is padded to a multiple of the length step (not to the longest text
// overall) and to a power-of-two batch size, so each compiled graph is reused across batches
// and calls. Outputs come back in input order.
//
// A Runner is safe for concurrent use; its calls are serialised.
type Runner struct {
	enc     Encoder
	backend compute.Backend

	mu         sync.Mutex
	execs      map[Pooling]*model.Exec // Sentence vectors, one executor per pooling.
	statesExec *model.Exec             // Token states and native sentence vectors.
	maxBatch   int
	lengthStep int
}

// NewRunner returns a Runner of enc on backend. Use one backend per process for an encoder:
// GoMLX variables, once used on one backend, can't be used on another (Runners of the same
// encoder on two backends fail).
func NewRunner(backend compute.Backend, enc Encoder) *Runner {
	return &Runner{enc: enc, backend: backend, execs: map[Pooling]*model.Exec{},
		maxBatch: DefaultMaxBatch, lengthStep: DefaultLengthStep}
}

// Encoder returns the encoder the Runner runs.
func (r *Runner) Encoder() Encoder { return r.enc }

// SetBatching sets the most texts per batch and the length step that padded lengths are
// multiples of (capped at the encoder's MaxTokens). Both must be positive.
func (r *Runner) SetBatching(maxBatch, lengthStep int) error {
	if maxBatch < 1 || lengthStep < 1 {
		return fmt.Errorf("encoder %s: SetBatching(%d, %d): both must be positive", r.enc.Name(), maxBatch, lengthStep)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.maxBatch, r.lengthStep = maxBatch, lengthStep
	return nil
}

// Embed returns one sentence vector per text, pooled with p, in input order.
func (r *Runner) Embed(texts []string, p Pooling) ([][]float32, error) {
	ids, err := r.enc.Tokenize(texts)
	if err != nil {
		return nil, err
	}
	return r.EmbedTokens(ids, p)
}

// EmbedTokens is like Embed, for texts already tokenized by the encoder's Tokenize: each row
// must hold 1 to MaxTokens non-negative ids, below VocabSize() if the encoder has that method
// (an embedding lookup would otherwise silently clamp them).
func (r *Runner) EmbedTokens(ids [][]int32, p Pooling) ([][]float32, error) {
	if err := r.checkTokens(ids); err != nil {
		return nil, err
	}
	pooled, _, err := r.run(ids, p, false)
	return pooled, err
}

// TokenStates returns, for each text, its token states (one Dim-wide vector per token of
// Tokenize's output) and its native sentence vector.
func (r *Runner) TokenStates(texts []string) (states [][][]float32, pooled [][]float32, err error) {
	ids, err := r.enc.Tokenize(texts)
	if err != nil {
		return nil, nil, err
	}
	if err := r.checkTokens(ids); err != nil {
		return nil, nil, err
	}
	pooled, states, err = r.run(ids, PoolNative, true)
	return states, pooled, err
}

// checkTokens validates token rows: 1 to MaxTokens non-negative ids each, below the
// encoder's VocabSize() if it has one.
func (r *Runner) checkTokens(ids [][]int32) error {
	maxTokens := r.enc.MaxTokens()
	vocabSize := -1
	if v, ok := r.enc.(interface{ VocabSize() int }); ok {
		vocabSize = v.VocabSize()
	}
	for i, row := range ids {
		if len(row) == 0 {
			return fmt.Errorf("encoder %s: text %d: %w", r.enc.Name(), i, ErrEmptyText)
		}
		if len(row) > maxTokens {
			return fmt.Errorf("encoder %s: text %d has %d tokens, more than the model's %d", r.enc.Name(), i, len(row), maxTokens)
		}
		for _, id := range row {
			if id < 0 {
				return fmt.Errorf("encoder %s: text %d: negative token id %d", r.enc.Name(), i, id)
			}
			if vocabSize >= 0 && int(id) >= vocabSize {
				return fmt.Errorf("encoder %s: text %d: token id %d out of the vocabulary [0, %d)", r.enc.Name(), i, id, vocabSize)
			}
		}
	}
	return nil
}

// exec returns (creating it on first use) the executor for pooling p, or for token states.
func (r *Runner) exec(p Pooling, withStates bool) (*model.Exec, error) {
	var e *model.Exec
	var err error
	switch {
	case withStates && r.statesExec != nil:
		return r.statesExec, nil
	case withStates:
		e, err = model.NewExec(r.backend, r.enc.Store(), func(scope *model.Scope, ids, mask *graph.Node) (*graph.Node, *graph.Node) {
			return r.enc.Build(scope, ids, mask)
		})
		r.statesExec = e
	case r.execs[p] != nil:
		return r.execs[p], nil
	default:
		e, err = model.NewExec(r.backend, r.enc.Store(), func(scope *model.Scope, ids, mask *graph.Node) *graph.Node {
			states, native := r.enc.Build(scope, ids, mask)
			return Pool(p, states, mask, native)
		})
		r.execs[p] = e
	}
	if err != nil {
		return nil, fmt.Errorf("encoder %s: creating the executor: %w", r.enc.Name(), err)
	}
	e.SetMaxCache(maxCompiledShapes)
	return e, nil
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
func (r *Runner) run(ids [][]int32, p Pooling, withStates bool) (pooled [][]float32, states [][][]float32, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	exec, err := r.exec(p, withStates)
	if err != nil {
		return nil, nil, err
	}
	lengths := make([]int, len(ids))
	for i, row := range ids {
		lengths[i] = len(row)
	}
	dim := r.enc.Dim()
	pooled = make([][]float32, len(ids))
	if withStates {
		states = make([][][]float32, len(ids))
	}
	for _, b := range planBuckets(lengths, r.maxBatch, r.lengthStep, r.enc.MaxTokens()) {
		flatIDs := make([]int32, b.batch*b.length)
		mask := make([]bool, b.batch*b.length)
		for i, row := range b.rows {
			copy(flatIDs[i*b.length:], ids[row])
			for t := range ids[row] {
				mask[i*b.length+t] = true
			}
		}
		idsT := tensors.FromFlatDataAndDimensions(flatIDs, b.batch, b.length)
		maskT := tensors.FromFlatDataAndDimensions(mask, b.batch, b.length)
		outputs, err := exec.Exec(idsT, maskT)
		_ = idsT.FinalizeAll()
		_ = maskT.FinalizeAll()
		if err != nil {
			return nil, nil, fmt.Errorf("encoder %s: running a batch of %d×%d tokens: %w", r.enc.Name(), b.batch, b.length, err)
		}
		flat, err := tensors.CopyFlatData[float32](outputs[len(outputs)-1])
		if err != nil {
			return nil, nil, fmt.Errorf("encoder %s: reading sentence vectors: %w", r.enc.Name(), err)
		}
		for i, row := range b.rows {
			pooled[row] = flat[i*dim : (i+1)*dim : (i+1)*dim]
		}
		if withStates {
			flatStates, err := tensors.CopyFlatData[float32](outputs[0])
			if err != nil {
				return nil, nil, fmt.Errorf("encoder %s: reading token states: %w", r.enc.Name(), err)
			}
			for i, row := range b.rows {
				states[row] = make([][]float32, len(ids[row]))
				for t := range ids[row] {
					off := (i*b.length + t) * dim
					states[row][t] = flatStates[off : off+dim : off+dim]
				}
			}
		}
		for _, t := range outputs {
			_ = t.FinalizeAll()
		}
	}
	return pooled, states, nil
}
