package multitask

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/train"
)

// HeadsScope is the Store scope of the task heads: task i's layers are under
// HeadsScope/i/hidden (with Options.Hidden) and HeadsScope/i/output.
const HeadsScope = "/tasks"

// network is the shared encoder (a copy of its variables) with one head per task.
type network struct {
	enc       encoder.Encoder
	store     *model.Store
	tasks     []*prepared
	opts      Options
	maxTokens int
	exec      *model.Exec // Predictions: ids, mask, task marker → argmax.
	relExec   *model.Exec // Relation predictions: ids, mask, e1, e2, task marker → argmax.
}

func headScope(task int) string { return fmt.Sprintf("%s/%d", HeadsScope, task) }

// isHead reports whether a variable path belongs to a task head.
func isHead(path string) bool { return strings.HasPrefix(path, HeadsScope+"/") }

func newNetwork(backend compute.Backend, enc encoder.Encoder, tasks []*prepared, opts Options) (*network, error) {
	store, err := enc.Store().Clone()
	if err != nil {
		return nil, fmt.Errorf("multitask: copying the weights of %s: %w", enc.Name(), err)
	}
	n := &network{enc: enc, store: store, tasks: tasks, opts: opts, maxTokens: opts.MaxTokens}
	if opts.FreezeEncoder {
		for _, l := range enc.Layers() {
			for _, v := range l.Variables {
				if c := store.GetVariable(v.Path()); c != nil {
					c.SetTrainable(false)
				}
			}
		}
	}
	rng := rand.New(rand.NewPCG(opts.Seed, 0x4ead5))
	for i, p := range tasks {
		in := enc.Dim()
		if p.kind == RelationKind {
			in = 2 * enc.Dim() // The two opening markers' states, side by side.
		}
		if opts.Hidden > 0 {
			if err := train.CreateDense(store, headScope(i)+"/hidden", in, opts.Hidden, rng); err != nil {
				return nil, err
			}
			in = opts.Hidden
		}
		// The output layer starts at zero: every task starts from uniform predictions, whatever
		// the scale of the encoder's states.
		if err := train.CreateDense(store, headScope(i)+"/output", in, len(p.labels), nil); err != nil {
			return nil, err
		}
	}
	if n.exec, err = model.NewExec(backend, store, func(scope *model.Scope, ids, mask, marker *graph.Node) *graph.Node {
		return graph.ArgMax(n.logits(scope, ids, mask, nil, nil, taskOf(marker)), -1)
	}); err != nil {
		return nil, fmt.Errorf("multitask: %w", err)
	}
	n.exec.SetMaxCache(128)
	if n.relExec, err = model.NewExec(backend, store, func(scope *model.Scope, ids, mask, e1, e2, marker *graph.Node) *graph.Node {
		return graph.ArgMax(n.logits(scope, ids, mask, e1, e2, taskOf(marker)), -1)
	}); err != nil {
		return nil, fmt.Errorf("multitask: %w", err)
	}
	n.relExec.SetMaxCache(128)
	return n, nil
}

// Graphs are built per task: the task is given by the length of a marker input (task+1),
// so that each task's graph (its head, its loss) is compiled and cached apart, and a step
// only touches the shared encoder and that task's head.

// taskOf returns the task a marker input names.
func taskOf(marker *graph.Node) int { return marker.Shape().Dim(0) - 1 }

// marker returns the marker input of task.
func marker(task int) *tensors.Tensor { return tensors.FromShape(shapes.Make(dtypes.Bool, task+1)) }

// logits builds the encoder and task's head: [batch, classes] for sentence and relation
// tasks, [batch, length, tags] for token tasks. e1 and e2 are the relation tasks' int32 [batch]
// positions of the opening entity markers (nil for other tasks).
func (n *network) logits(scope *model.Scope, ids, mask, e1, e2 *graph.Node, task int) *graph.Node {
	states, pooled := n.enc.Build(scope, ids, mask)
	x := states
	switch n.tasks[task].kind {
	case SentenceKind:
		x = encoder.Pool(n.opts.Pooling, states, mask, pooled)
	case RelationKind:
		x = graph.Concatenate([]*graph.Node{stateAt(states, e1), stateAt(states, e2)}, -1)
	}
	x = train.Dropout(scope, x, n.opts.Dropout)
	if n.opts.Hidden > 0 {
		x = graph.Tanh(train.Dense(n.store, headScope(task)+"/hidden", x))
		x = train.Dropout(scope, x, n.opts.Dropout)
	}
	return train.Dense(n.store, headScope(task)+"/output", x)
}

// stateAt returns states[b, pos[b], :] for each row b: states [batch, length, dim], pos int32
// [batch] → [batch, dim] (a one-hot weighted sum, so the gradient flows to that state only).
func stateAt(states, pos *graph.Node) *graph.Node {
	oneHot := graph.OneHot(pos, states.Shape().Dim(1), states.DType()) // [batch, length]
	return graph.Einsum("bl,bld->bd", oneHot, states)
}

// loss is the training loss of one batch: inputs are ids, mask, labels (for token tasks, then
// the weight of each position: 1 at each word's first piece; for relation tasks, the two
// opening markers' positions) and the task marker.
func (n *network) loss(scope *model.Scope, inputs []*graph.Node) *graph.Node {
	task := taskOf(inputs[len(inputs)-1])
	p := n.tasks[task]
	var loss *graph.Node
	switch p.kind {
	case SentenceKind:
		loss = train.SoftmaxCrossEntropy(n.logits(scope, inputs[0], inputs[1], nil, nil, task), inputs[2])
	case RelationKind:
		loss = train.SoftmaxCrossEntropy(n.logits(scope, inputs[0], inputs[1], inputs[3], inputs[4], task), inputs[2])
	default:
		logits := n.logits(scope, inputs[0], inputs[1], nil, nil, task)
		labels, weights := inputs[2], inputs[3]
		oneHot := graph.OneHot(labels, len(p.labels), logits.DType())
		ce := graph.Neg(graph.ReduceSum(graph.Mul(oneHot, graph.LogSoftmax(logits, -1)), -1)) // [batch, length]
		loss = graph.Div(graph.ReduceAllSum(graph.Mul(ce, weights)), graph.MaxScalar(graph.ReduceAllSum(weights), 1))
	}
	if p.Weight != 1 {
		loss = graph.MulScalar(loss, p.Weight)
	}
	return loss
}

// lengthStep is the multiple that padded lengths are rounded up to.
const lengthStep = 16

// batch returns the input tensors of a training batch of task.
func (n *network) batch(task int, examples []int) []*tensors.Tensor {
	p := n.tasks[task]
	rows := make([][]int32, len(examples))
	for i, e := range examples {
		rows[i] = p.train[e].ids
	}
	ids, mask, length := train.PadRows(rows, len(rows), lengthStep, n.maxTokens)
	if p.kind == SentenceKind {
		ys := make([]int32, len(examples))
		for i, e := range examples {
			ys[i] = int32(p.train[e].label)
		}
		return []*tensors.Tensor{ids, mask, tensors.FromValue(ys), marker(task)}
	}
	if p.kind == RelationKind {
		ys, e1, e2 := make([]int32, len(examples)), make([]int32, len(examples)), make([]int32, len(examples))
		for i, e := range examples {
			ex := p.train[e]
			ys[i], e1[i], e2[i] = int32(ex.label), int32(ex.e1), int32(ex.e2)
		}
		return []*tensors.Tensor{ids, mask, tensors.FromValue(ys), tensors.FromValue(e1), tensors.FromValue(e2), marker(task)}
	}
	labels := make([]int32, len(examples)*length)
	weights := make([]float32, len(examples)*length)
	for i, e := range examples {
		ex := p.train[e]
		for w, pos := range ex.first {
			if pos >= 0 && pos < length {
				labels[i*length+pos] = int32(ex.tags[w])
				weights[i*length+pos] = 1
			}
		}
	}
	return []*tensors.Tensor{ids, mask, tensors.FromFlatDataAndDimensions(labels, len(examples), length),
		tensors.FromFlatDataAndDimensions(weights, len(examples), length), marker(task)}
}

// evalBatch is the batch size of predictions.
const evalBatch = 64

// predict returns, for each example of task, its predicted class (sentence tasks: [i][0]) or
// the predicted tag index of each word (token tasks; -1 for a word without a piece).
func (n *network) predict(task int, exs []example) ([][]int, error) {
	p := n.tasks[task]
	order := make([]int, len(exs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return len(exs[a].ids) - len(exs[b].ids) })
	out := make([][]int, len(exs))
	for start := 0; start < len(order); start += evalBatch {
		idx := order[start:min(start+evalBatch, len(order))]
		rows := make([][]int32, len(idx))
		for i, r := range idx {
			rows[i] = exs[r].ids
		}
		ids, mask, length := train.PadRows(rows, evalBatch, lengthStep, n.maxTokens)
		inputs := []any{ids, mask}
		exec := n.exec
		if p.kind == RelationKind {
			// Padding rows (and clipped markers) read position 0.
			e1, e2 := make([]int32, evalBatch), make([]int32, evalBatch)
			for i, r := range idx {
				e1[i], e2[i] = int32(max(exs[r].e1, 0)), int32(max(exs[r].e2, 0))
			}
			inputs, exec = append(inputs, tensors.FromValue(e1), tensors.FromValue(e2)), n.relExec
		}
		inputs = append(inputs, marker(task))
		res, err := exec.Exec(inputs...)
		for _, t := range inputs {
			_ = t.(*tensors.Tensor).FinalizeAll()
		}
		if err != nil {
			return nil, fmt.Errorf("multitask: predicting %s: %w", p.Name, err)
		}
		flat, err := tensors.CopyFlatData[int32](res[0])
		_ = res[0].FinalizeAll()
		if err != nil {
			return nil, fmt.Errorf("multitask: predicting %s: %w", p.Name, err)
		}
		for i, r := range idx {
			switch {
			case p.kind == RelationKind && (exs[r].e1 < 0 || exs[r].e2 < 0) && p.other >= 0:
				out[r] = []int{p.other} // A marker clipped off: predicted Other.
				continue
			case p.kind != TokenKind:
				out[r] = []int{int(flat[i])}
				continue
			}
			tags := make([]int, len(exs[r].first))
			for w, pos := range exs[r].first {
				tags[w] = -1
				if pos >= 0 && pos < length {
					tags[w] = int(flat[i*length+pos])
				}
			}
			out[r] = tags
		}
	}
	return out, nil
}

// tagStrings turns predicted tag indices into tags ("O" for -1, a word without a piece).
func (p *prepared) tagStrings(pred [][]int) [][]string {
	out := make([][]string, len(pred))
	for i, row := range pred {
		out[i] = make([]string, len(row))
		for w, t := range row {
			if t < 0 {
				out[i][w] = "O"
			} else {
				out[i][w] = p.labels[t]
			}
		}
	}
	return out
}

// snapshot copies the values of the model's variables (not the optimizer's).
func (n *network) snapshot() (map[string]*tensors.Tensor, error) {
	snap := map[string]*tensors.Tensor{}
	for v := range n.store.IterVariables() {
		if !v.HasValue() || train.IsOptimizerVariable(v) {
			continue
		}
		value, err := v.Value()
		if err != nil {
			return nil, fmt.Errorf("multitask: reading %s: %w", v.Path(), err)
		}
		clone, err := value.LocalClone()
		if err != nil {
			return nil, fmt.Errorf("multitask: copying %s: %w", v.Path(), err)
		}
		snap[v.Path()] = clone
	}
	return snap, nil
}

// restore puts a snapshot's values back (copies of them: the snapshot stays usable).
func (n *network) restore(snap map[string]*tensors.Tensor) error {
	for path, value := range snap {
		v := n.store.GetVariable(path)
		if v == nil {
			continue
		}
		clone, err := value.LocalClone()
		if err != nil {
			return fmt.Errorf("multitask: restoring %s: %w", path, err)
		}
		if err := v.SetValue(clone); err != nil {
			return fmt.Errorf("multitask: restoring %s: %w", path, err)
		}
	}
	return nil
}

// saveSnapshot writes a snapshot as a checkpoint file (variables only, no loop state), which
// train.LoadCheckpoint reads back into the model's Store.
func saveSnapshot(path string, snap map[string]*tensors.Tensor, state *train.State) error {
	store := model.NewStore()
	for p, value := range snap {
		if _, err := store.CreateVariable(p, value); err != nil {
			return fmt.Errorf("multitask: saving %s: %w", path, err)
		}
	}
	return train.SaveCheckpoint(path, store, state)
}
