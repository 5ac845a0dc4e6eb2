package qa

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/internal/backend"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/train"
)

// headScope is the Store scope of the span head's variables.
const headScope = "/span_head"

// lengthStep is the multiple that padded window lengths are rounded up to.
const lengthStep = 16

// predictBatch is the number of windows a prediction graph runs at once.
const predictBatch = 32

// spanModel is a copy of an encoder's variables with a span head: one dense layer from each
// token state to a start and an end logit.
type spanModel struct {
	enc    encoder.Encoder
	tok    *encoder.WordTokenizer
	store  *model.Store
	opts   Options
	maxLen int
	exec   *model.Exec
}

func newSpanModel(enc encoder.Encoder, opts Options) (*spanModel, error) {
	maxLen := opts.Windows.MaxLen
	if maxLen <= 0 || maxLen > enc.MaxTokens() {
		maxLen = enc.MaxTokens()
	}
	tok, err := encoder.NewWordTokenizer(enc, maxLen)
	if err != nil {
		return nil, err
	}
	store, err := enc.Store().Clone()
	if err != nil {
		return nil, fmt.Errorf("copying the weights of %s: %w", enc.Name(), err)
	}
	m := &spanModel{enc: enc, tok: tok, store: store, opts: opts, maxLen: maxLen}
	rng := rand.New(rand.NewPCG(opts.Seed, 0x5fa2))
	if err := train.CreateDense(store, headScope, enc.Dim(), 2, rng); err != nil {
		return nil, err
	}
	if opts.Head == BilinearHead {
		if err := train.CreateDense(store, headScope+"/bilinear", enc.Dim(), 2*enc.Dim(), nil); err != nil {
			return nil, err
		}
		if err := train.CreateDense(store, headScope+"/attention", enc.Dim(), enc.Dim(), nil); err != nil {
			return nil, err
		}
	}
	b, err := backend.Get()
	if err != nil {
		return nil, err
	}
	if m.exec, err = model.NewExec(b, store, func(scope *model.Scope, ids, mask, questionLen *graph.Node) *graph.Node {
		return m.logits(scope, ids, mask, questionLen)
	}); err != nil {
		return nil, err
	}
	m.exec.SetMaxCache(16)
	return m, nil
}

// noAnswer is a very negative logit for padding.
const noAnswer = -1e9

// logits builds encoder and head: ids and mask [batch, length], questionLen [batch] (each
// window's ContextStart) → logits [batch, length, 2] (start, end), padding at noAnswer.
func (m *spanModel) logits(scope *model.Scope, ids, mask, questionLen *graph.Node) *graph.Node {
	states, _ := m.enc.Build(scope, ids, mask)
	states = train.Dropout(scope, states, m.opts.Dropout)
	logits := train.Dense(m.store, headScope, states)
	if m.opts.Head == BilinearHead {
		// q_t: an attention average of the question's token states for each token t, with
		// scores h_t·A·h_j over question tokens j (A starts at zero: q_t starts as the mean);
		// logits += h_t·W_k·q_t for k = start, end.
		g, d := ids.Graph(), m.enc.Dim()
		scale := 1 / math.Sqrt(float64(d)) // As in scaled dot-product attention, for both products.
		pos := graph.Iota(g, ids.Shape(), 1)
		inQuestion := graph.LessThan(pos, graph.BroadcastToShape(graph.InsertAxes(questionLen, -1), ids.Shape())) // [b, j]
		scores := graph.MulScalar(graph.Einsum("btd,bjd->btj", states, train.Dense(m.store, headScope+"/attention", states)), scale)
		scores = graph.Where(graph.BroadcastToShape(graph.InsertAxes(inQuestion, 1), scores.Shape()), scores,
			graph.Scalar(g, scores.DType(), noAnswer))
		q := graph.Einsum("btj,bjd->btd", graph.Softmax(scores, -1), states)
		wq := graph.Reshape(train.Dense(m.store, headScope+"/bilinear", q), ids.Shape().Dim(0), ids.Shape().Dim(1), 2, d)
		logits = graph.Add(logits, graph.MulScalar(graph.Einsum("btd,btkd->btk", states, wq), scale))
	}
	mask2 := graph.BroadcastToShape(graph.InsertAxes(mask, -1), logits.Shape())
	return graph.Where(mask2, logits, graph.Scalar(logits.Graph(), logits.DType(), noAnswer))
}

// loss is the mean of the start and end cross-entropies of a batch: inputs are ids, mask,
// the windows' question lengths and the start and end labels [batch] (token indices).
func (m *spanModel) loss(scope *model.Scope, inputs []*graph.Node) *graph.Node {
	logits := m.logits(scope, inputs[0], inputs[1], inputs[2])
	start := graph.Squeeze(graph.Slice(logits, graph.AxisRange(), graph.AxisRange(), graph.AxisElem(0)), -1)
	end := graph.Squeeze(graph.Slice(logits, graph.AxisRange(), graph.AxisRange(), graph.AxisElem(1)), -1)
	return graph.DivScalar(graph.Add(train.SoftmaxCrossEntropy(start, inputs[3]), train.SoftmaxCrossEntropy(end, inputs[4])), 2)
}

// questionLens returns each window's ContextStart as an int32 tensor of batch values, the
// rows past len(ws) repeating the first (as train.PadRows pads).
func questionLens(ws []Window, batch int) *tensors.Tensor {
	out := make([]int32, batch)
	for i := range out {
		out[i] = int32(ws[0].ContextStart)
		if i < len(ws) {
			out[i] = int32(ws[i].ContextStart)
		}
	}
	return tensors.FromValue(out)
}

// windows cuts every example into windows; labelled windows that miss the answer (or a
// question without one) are labelled at token 0, the "not in this window" slot that BERT
// uses for SQuAD ([CLS]; here the window's first token, which is never a context token).
func (m *spanModel) windows(examples []data.QAExample) ([][]Window, error) {
	out := make([][]Window, len(examples))
	for i, ex := range examples {
		ws, err := Windows(m.tok, ex, m.opts.Windows)
		if err != nil {
			return nil, err
		}
		out[i] = ws
	}
	return out, nil
}

// label returns a window's training labels: its answer's first and last token, or 0 and 0.
func label(w Window) (start, end int32) {
	if w.Start < 0 {
		return 0, 0
	}
	return int32(w.Start), int32(w.End)
}

// spanLogits returns the start and end logits of every window (one row a window, one value
// a token), in batches of windows of similar length.
func (m *spanModel) spanLogits(ws []Window) (start, end [][]float32, err error) {
	order := make([]int, len(ws))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return len(ws[a].IDs) - len(ws[b].IDs) })
	start, end = make([][]float32, len(ws)), make([][]float32, len(ws))
	for lo := 0; lo < len(order); lo += predictBatch {
		idx := order[lo:min(lo+predictBatch, len(order))]
		rows := make([][]int32, len(idx))
		batch := make([]Window, len(idx))
		for i, w := range idx {
			rows[i], batch[i] = ws[w].IDs, ws[w]
		}
		ids, mask, length := train.PadRows(rows, predictBatch, lengthStep, m.maxLen)
		qlen := questionLens(batch, predictBatch)
		out, err := m.exec.Exec(ids, mask, qlen)
		_, _, _ = ids.FinalizeAll(), mask.FinalizeAll(), qlen.FinalizeAll()
		if err != nil {
			return nil, nil, fmt.Errorf("span logits: %w", err)
		}
		flat, err := tensors.CopyFlatData[float32](out[0])
		_ = out[0].FinalizeAll()
		if err != nil {
			return nil, nil, err
		}
		for i, w := range idx {
			n := len(ws[w].IDs)
			s, e := make([]float32, n), make([]float32, n)
			for t := range n {
				s[t], e[t] = flat[(i*length+t)*2], flat[(i*length+t)*2+1]
			}
			start[w], end[w] = s, e
		}
	}
	return start, end, nil
}

// predict decodes the best answer of each example.
func (m *spanModel) predict(examples []data.QAExample, ws [][]Window) ([]Prediction, error) {
	var flat []Window
	for _, w := range ws {
		flat = append(flat, w...)
	}
	start, end, err := m.spanLogits(flat)
	if err != nil {
		return nil, err
	}
	out := make([]Prediction, len(examples))
	k := 0
	for i, ex := range examples {
		n := len(ws[i])
		if out[i], err = Decode(ex.Context, ws[i], start[k:k+n], end[k:k+n], m.opts.MaxAnswer); err != nil {
			return nil, fmt.Errorf("question %s: %w", ex.ID, err)
		}
		k += n
	}
	return out, nil
}
