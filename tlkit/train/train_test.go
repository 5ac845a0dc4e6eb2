package train_test

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gomlx/compute"
	_ "github.com/gomlx/compute/gobackend" // Registers the pure-Go backend ("go").
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/nlp-transfer/gotl/internal/backend"
	"github.com/nlp-transfer/gotl/tlkit/train"
)

func testBackend(t *testing.T) compute.Backend {
	t.Helper()
	b, err := backend.Get()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const (
	toyDim     = 4
	toyHidden  = 8
	toyClasses = 3
)

// toyData is a separable 3-class problem: the class is the argmax of the first 3 features.
func toyData(n int, seed uint64) (x [][]float32, y []int) {
	rng := rand.New(rand.NewPCG(seed, 1))
	for range n {
		row := make([]float32, toyDim)
		for j := range row {
			row[j] = float32(rng.NormFloat64())
		}
		best := 0
		for c := 1; c < toyClasses; c++ {
			if row[c] > row[best] {
				best = c
			}
		}
		x, y = append(x, row), append(y, best)
	}
	return x, y
}

// toyStore returns a Store with a two-layer network: /bottom (dim→hidden) and /top
// (hidden→classes), deterministic initial values.
func toyStore(t *testing.T) *model.Store {
	t.Helper()
	store := model.NewStore()
	rng := rand.New(rand.NewPCG(42, 42))
	mk := func(path string, dims ...int) {
		size := 1
		for _, d := range dims {
			size *= d
		}
		vals := make([]float32, size)
		if len(dims) > 1 {
			for i := range vals {
				vals[i] = float32(rng.NormFloat64() * 0.5)
			}
		}
		if _, err := store.CreateVariable(path, tensors.FromFlatDataAndDimensions(vals, dims...)); err != nil {
			t.Fatal(err)
		}
	}
	mk("/bottom/weights", toyDim, toyHidden)
	mk("/bottom/biases", toyHidden)
	mk("/top/weights", toyHidden, toyClasses)
	mk("/top/biases", toyClasses)
	return store
}

func toyLogits(scope *model.Scope, x *graph.Node, dropout float64) *graph.Node {
	g := x.Graph()
	v := func(p string) *graph.Node { return scope.Store().GetVariable(p).NodeValue(g) }
	h := graph.Tanh(graph.Add(graph.MatMul(x, v("/bottom/weights")), graph.InsertAxes(v("/bottom/biases"), 0)))
	h = train.Dropout(scope, h, dropout)
	return graph.Add(graph.MatMul(h, v("/top/weights")), graph.InsertAxes(v("/top/biases"), 0))
}

func toyBatch(x [][]float32, y []int) train.BatchFn {
	return func(examples []int) ([]*tensors.Tensor, error) {
		flat := make([]float32, 0, len(examples)*toyDim)
		labels := make([]int32, len(examples))
		for i, e := range examples {
			flat = append(flat, x[e]...)
			labels[i] = int32(y[e])
		}
		return []*tensors.Tensor{tensors.FromFlatDataAndDimensions(flat, len(examples), toyDim), tensors.FromValue(labels)}, nil
	}
}

func toyLoss(dropout float64) train.LossFn {
	return func(scope *model.Scope, inputs []*graph.Node) *graph.Node {
		return train.SoftmaxCrossEntropy(toyLogits(scope, inputs[0], dropout), inputs[1])
	}
}

// toyAccuracy returns an EvalFn computing the accuracy on (x, y) with a fresh executor.
func toyAccuracy(t *testing.T, store *model.Store, x [][]float32, y []int) train.EvalFn {
	exec, err := model.NewExec(testBackend(t), store, func(scope *model.Scope, xs *graph.Node) *graph.Node {
		return graph.ArgMax(toyLogits(scope, xs, 0), -1)
	})
	if err != nil {
		t.Fatal(err)
	}
	return func() (float64, error) {
		flat := slices.Concat(x...)
		out, err := exec.Exec(tensors.FromFlatDataAndDimensions(flat, len(x), toyDim))
		if err != nil {
			return 0, err
		}
		pred := tensors.MustCopyFlatData[int32](out[0])
		correct := 0
		for i, p := range pred {
			if int(p) == y[i] {
				correct++
			}
		}
		return float64(correct) / float64(len(y)), nil
	}
}

func values(t *testing.T, store *model.Store) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for v := range store.IterVariables() {
		if !v.HasValue() {
			continue
		}
		if err := v.MustValue().ConstBytes(func(b []byte) { out[v.Path()] = slices.Clone(b) }); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// run trains the toy model: 4 epochs of 200 examples in batches of 20, with dropout,
// evaluation each epoch.
func run(t *testing.T, store *model.Store, dir string, resume bool, ctx context.Context, progress train.Progress) (*train.History, error) {
	x, y := toyData(200, 1)
	dx, dy := toyData(100, 2)
	tr, err := train.New(testBackend(t), store, toyLoss(0.1), len(x), toyBatch(x, y)).
		BatchSize(20).Epochs(4).LearningRate(0.05).Warmup(0.1).WeightDecay(0.01, nil).ClipNorm(5).
		Evaluate(toyAccuracy(t, store, dx, dy), 0).Seed(3).Checkpoint(dir, resume).Progress(progress).Done()
	if err != nil {
		t.Fatal(err)
	}
	return tr.Run(ctx)
}

func TestTrainLearnsAndIsDeterministic(t *testing.T) {
	s1, s2 := toyStore(t), toyStore(t)
	h1, err := run(t, s1, "", false, context.Background(), train.NoProgress())
	if err != nil {
		t.Fatal(err)
	}
	h2, err := run(t, s2, "", false, context.Background(), train.NoProgress())
	if err != nil {
		t.Fatal(err)
	}
	if len(h1.Loss) != 40 {
		t.Errorf("%d steps, want 4 epochs × 10", len(h1.Loss))
	}
	first, last := h1.Loss[0], h1.SmoothedLoss(10)
	if !(last < 0.6*first) {
		t.Errorf("loss went from %.3f to %.3f: not learning", first, last)
	}
	best, ok := h1.BestEval()
	if !ok || best.Metric < 0.8 {
		t.Errorf("best dev accuracy %v (%v): want ≥ 0.8 on a separable problem", best.Metric, ok)
	}
	if !slices.Equal(h1.Loss, h2.Loss) || !slices.EqualFunc(h1.Evals, h2.Evals, func(a, b train.Eval) bool { return a == b }) {
		t.Errorf("two runs with the same seed differ:\n%v\n%v", h1.Loss, h2.Loss)
	}
	v1, v2 := values(t, s1), values(t, s2)
	for path, b := range v1 {
		if !slices.Equal(b, v2[path]) {
			t.Errorf("variable %s differs between two runs with the same seed", path)
		}
	}
}

// cancelAt cancels a context when the step reaches n.
type cancelAt struct {
	n      int
	cancel context.CancelFunc
}

func (c cancelAt) Update(s train.Status) {
	if s.Step == c.n {
		c.cancel()
	}
}
func (c cancelAt) Done(train.Status, error) {}

func TestResumeIsBitIdentical(t *testing.T) {
	full := toyStore(t)
	hFull, err := run(t, full, filepath.Join(t.TempDir(), "full"), false, context.Background(), train.NoProgress())
	if err != nil {
		t.Fatal(err)
	}

	// Interrupted mid-epoch (step 17 of 40), then resumed in a fresh Store.
	dir := filepath.Join(t.TempDir(), "resumed")
	ctx, cancel := context.WithCancel(context.Background())
	hPart, err := run(t, toyStore(t), dir, true, ctx, cancelAt{17, cancel})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run: got %v, want context.Canceled", err)
	}
	if len(hPart.Loss) != 17 {
		t.Fatalf("interrupted after %d steps, want 17", len(hPart.Loss))
	}
	resumed := toyStore(t)
	hRes, err := run(t, resumed, dir, true, context.Background(), train.NoProgress())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(hFull.Loss, hRes.Loss) {
		t.Errorf("losses differ after resuming:\nfull    %v\nresumed %v", hFull.Loss, hRes.Loss)
	}
	if !slices.EqualFunc(hFull.Evals, hRes.Evals, func(a, b train.Eval) bool { return a == b }) {
		t.Errorf("evaluations differ after resuming:\n%v\n%v", hFull.Evals, hRes.Evals)
	}
	vFull, vRes := values(t, full), values(t, resumed)
	if len(vFull) != len(vRes) {
		t.Errorf("%d variables after the full run, %d after resuming", len(vFull), len(vRes))
	}
	for path, b := range vFull {
		if !slices.Equal(b, vRes[path]) {
			t.Errorf("variable %s differs between the full and the resumed run", path)
		}
	}

	// A finished run with resume restores the best weights without training.
	again := toyStore(t)
	hAgain, err := run(t, again, dir, true, context.Background(), train.NoProgress())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(hAgain.Loss, hFull.Loss) {
		t.Errorf("restored history differs")
	}
	for path, b := range values(t, again) {
		if !strings.HasPrefix(path, train.OptimizerScope) && !slices.Equal(b, vFull[path]) {
			t.Errorf("variable %s not restored from the finished run", path)
		}
	}
}

func TestFrozenAndGradualUnfreezing(t *testing.T) {
	x, y := toyData(100, 1)
	store := toyStore(t)
	before := values(t, store)
	store.GetVariable("/bottom/biases").SetTrainable(false)
	bottomW := store.GetVariable("/bottom/weights")
	var trainableAt []bool
	probe := probeProgress{fn: func(s train.Status) { trainableAt = append(trainableAt, bottomW.Trainable) }}
	tr, err := train.New(testBackend(t), store, toyLoss(0), len(x), toyBatch(x, y)).
		BatchSize(50).Epochs(3).LearningRate(0.01).
		GradualUnfreezing([][]*model.Variable{nil, {bottomW}}).Progress(probe).Done()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Epoch 0 trains the top only; epoch 1 the first group (empty); epoch 2 bottom/weights.
	if want := []bool{false, false, false, false, true, true}; !slices.Equal(trainableAt, want) {
		t.Errorf("bottom/weights trainable after each step: %v, want %v", trainableAt, want)
	}
	after := values(t, store)
	if !slices.Equal(before["/bottom/biases"], after["/bottom/biases"]) {
		t.Errorf("frozen /bottom/biases changed")
	}
	for _, p := range []string{"/bottom/weights", "/top/weights", "/top/biases"} {
		if slices.Equal(before[p], after[p]) {
			t.Errorf("trainable %s did not change", p)
		}
	}
	if store.GetVariable(train.OptimizerScope+"/bottom/biases#m") != nil {
		t.Errorf("the frozen variable got optimizer moments")
	}
	if tVar := store.GetVariable(train.OptimizerScope + "/bottom/weights#t"); tVar == nil || tVar.MustValue().Value().(float32) != 2 {
		t.Errorf("bottom/weights, unfrozen for the last 2 steps, has step count %v, want 2", tVar)
	}
}

type probeProgress struct{ fn func(train.Status) }

func (p probeProgress) Update(s train.Status)    { p.fn(s) }
func (p probeProgress) Done(train.Status, error) {}

// TestAdamWFirstStep checks one AdamW step against hand values: at t=1 the bias-corrected
// update is sign(g), so w ← w − lr·mult·(sign(g) + λ·w) (λ only for decayed variables).
func TestAdamWFirstStep(t *testing.T) {
	store := model.NewStore()
	w, _ := store.CreateVariable("/w/weights", tensors.FromValue([][]float32{{1, -2}, {0.5, 3}}))
	b, _ := store.CreateVariable("/w/biases", tensors.FromValue([]float32{1, -1}))
	// loss = Σ w·c + Σ b·d: gradients c and d.
	c := [][]float32{{2, -1}, {-3, 0.5}}
	d := []float32{-4, 1}
	loss := func(scope *model.Scope, inputs []*graph.Node) *graph.Node {
		g := inputs[0].Graph()
		return graph.Add(graph.ReduceAllSum(graph.Mul(w.NodeValue(g), graph.Const(g, c))),
			graph.ReduceAllSum(graph.Mul(b.NodeValue(g), graph.Const(g, d))))
	}
	batch := func([]int) ([]*tensors.Tensor, error) { return []*tensors.Tensor{tensors.FromValue(float32(0))}, nil }
	const lr, wd, mult = 0.1, 0.5, 0.25
	tr, err := train.New(testBackend(t), store, loss, 1, batch).LearningRate(lr).ScheduleKind(train.Constant).
		WeightDecay(wd, nil).LRMultiplier(func(v *model.Variable) float64 {
		if v == w {
			return mult
		}
		return 1
	}).Progress(train.NoProgress()).Done()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	sign := func(x float32) float64 { return math.Copysign(1, float64(x)) }
	gotW := w.MustValue().Value().([][]float32)
	for i, row := range [][]float32{{1, -2}, {0.5, 3}} {
		for j, w0 := range row {
			want := float64(w0) - lr*mult*(sign(c[i][j])+wd*float64(w0))
			if math.Abs(float64(gotW[i][j])-want) > 1e-6 {
				t.Errorf("w[%d][%d] = %v, want %v", i, j, gotW[i][j], want)
			}
		}
	}
	gotB := b.MustValue().Value().([]float32)
	for j, b0 := range []float32{1, -1} {
		want := float64(b0) - lr*sign(d[j]) // Biases: no weight decay, multiplier 1.
		if math.Abs(float64(gotB[j])-want) > 1e-6 {
			t.Errorf("b[%d] = %v, want %v", j, gotB[j], want)
		}
	}
}

func TestScheduleHandValues(t *testing.T) {
	lin := train.Schedule{Peak: 1, WarmupFraction: 0.2, Kind: train.LinearDecay}
	// 10 steps: warmup 2 steps (1/3, 2/3), then 8 steps decaying 8/8 … 1/8.
	want := []float64{1.0 / 3, 2.0 / 3, 1, 7.0 / 8, 6.0 / 8, 5.0 / 8, 4.0 / 8, 3.0 / 8, 2.0 / 8, 1.0 / 8}
	for step, w := range want {
		if got := lin.LearningRate(step, 10); math.Abs(got-w) > 1e-12 {
			t.Errorf("linear step %d: %v, want %v", step, got, w)
		}
	}
	cst := train.Schedule{Peak: 2e-5, WarmupFraction: 0.25, Kind: train.Constant}
	for step, w := range []float64{1e-5, 2e-5, 2e-5, 2e-5} {
		if got := cst.LearningRate(step, 4); math.Abs(got-w) > 1e-18 {
			t.Errorf("constant step %d: %v, want %v", step, got, w)
		}
	}
	if got := (train.Schedule{Peak: 3}).LearningRate(0, 5); got != 3 {
		t.Errorf("no warmup, step 0: %v, want the peak", got)
	}
}

func TestNaNLossStops(t *testing.T) {
	x, y := toyData(40, 1)
	x[7][0] = float32(math.NaN())
	tr, err := train.New(testBackend(t), toyStore(t), toyLoss(0), len(x), toyBatch(x, y)).
		BatchSize(40).Epochs(2).Progress(train.NoProgress()).Done()
	if err != nil {
		t.Fatal(err)
	}
	_, err = tr.Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "step 1") || !strings.Contains(err.Error(), "learning rate") {
		t.Errorf("NaN input: got %v, want an error naming step 1 and suggesting a lower learning rate", err)
	}
}

func TestEarlyStoppingRestoresBest(t *testing.T) {
	x, y := toyData(100, 1)
	store := toyStore(t)
	metrics := []float64{0.5, 0.9, 0.7, 0.6, 0.95}
	var atBest map[string][]byte
	calls := 0
	eval := func() (float64, error) {
		m := metrics[calls]
		if calls == 1 {
			atBest = values(t, store)
		}
		calls++
		return m, nil
	}
	tr, err := train.New(testBackend(t), store, toyLoss(0), len(x), toyBatch(x, y)).
		BatchSize(10).Epochs(5).LearningRate(0.05).Evaluate(eval, 5).Patience(2).Progress(train.NoProgress()).Done()
	if err != nil {
		t.Fatal(err)
	}
	h, err := tr.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if h.Stopped != "early stopping" || len(h.Evals) != 4 || h.Best != 1 || len(h.Loss) != 20 {
		t.Errorf("stopped %q after %d evaluations and %d steps, best %d; want early stopping after 4 evaluations, 20 steps, best 1",
			h.Stopped, len(h.Evals), len(h.Loss), h.Best)
	}
	now := values(t, store)
	for path, b := range atBest {
		if !strings.HasPrefix(path, train.OptimizerScope) && !slices.Equal(b, now[path]) {
			t.Errorf("%s is not the best evaluation's value", path)
		}
	}
}

func TestCheckpointRoundTrip(t *testing.T) {
	store := toyStore(t)
	if err := store.SetRNGStateFromSeed(5); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "x.ckpt")
	state := &train.State{Step: 7, Epoch: 1, BatchInEpoch: 2, History: train.History{Loss: []float64{1, 0.5}, Best: -1}}
	if err := train.SaveCheckpoint(path, store, state); err != nil {
		t.Fatal(err)
	}
	other := model.NewStore()
	got, err := train.LoadCheckpoint(path, other)
	if err != nil {
		t.Fatal(err)
	}
	if got.Step != 7 || got.BatchInEpoch != 2 || !slices.Equal(got.History.Loss, state.History.Loss) {
		t.Errorf("state %+v, want %+v", got, state)
	}
	want, have := values(t, store), values(t, other)
	for p, b := range want {
		if !slices.Equal(b, have[p]) {
			t.Errorf("%s differs after the round trip", p)
		}
	}
	// Shape mismatch is an error naming the variable.
	bad := model.NewStore()
	_, _ = bad.CreateVariable("/top/biases", tensors.FromValue([]float32{1}))
	if _, err := train.LoadCheckpoint(path, bad); err == nil || !strings.Contains(err.Error(), "/top/biases") {
		t.Errorf("loading into a store of another shape: got %v", err)
	}
}
