package pretrain

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/nlp-transfer/gotl/internal/backend"
	"github.com/nlp-transfer/gotl/tlkit/bert"
	"github.com/nlp-transfer/gotl/tlkit/train"
	"github.com/nlp-transfer/gotl/tlkit/wordpiece"
)

// TrainDir is the folder, inside Options.Dir, of the resumable training state.
const TrainDir = "train"

// Result is the outcome of Pretrain.
type Result struct {
	// Model is the pretrained BERT with its MLM head: the weights of the lowest held-out loss.
	Model *bert.Model
	// Dir holds the HuggingFace checkpoint (bert.Load(Dir), tlkit.LoadEncoder("bert:"+Dir))
	// and history.json.
	Dir string
	// History has the losses and evaluations.
	History *History
	// Cached is true when a finished run of the same options was found in Dir and loaded
	// without training.
	Cached bool
}

// Pretrain trains a BERT from random weights (or, with opts.From, from a checkpoint) with the
// masked-language-model objective on the corpora of opts, and saves it in opts.Dir as a
// HuggingFace checkpoint with its MLM head. See Run.
func Pretrain(opts Options) (*Result, error) { return Run(context.Background(), opts) }

// Run is Pretrain with a context: when ctx is cancelled, training stops before the next step,
// saves its state in Dir/train and returns ctx's error; a new run with Resume continues where
// it stopped and ends with bit-identical weights.
//
// The corpora are tokenized with the vocabulary's WordPiece tokenizer, concatenated and cut
// into rows of SeqLen tokens ([CLS] … [SEP]); EvalRows evenly spaced rows are held out. Each
// step takes the next BatchSize rows of a seeded shuffle (a new one each pass) and masks them
// afresh (dynamic masking: Masker, seeded by (Seed, step)); the encoder runs on the whole
// rows, but the MLM head (its vocabulary projection is the costliest part) only on the masked
// positions. AdamW, warmup and linear decay and the checkpoints come from tlkit/train. The
// encoder has no dropout (bert.Encoder has none yet): short runs underfit rather than overfit.
func Run(ctx context.Context, opts Options) (*Result, error) {
	fromHash := ""
	if opts.From != "" {
		var err error
		if fromHash, err = readFrom(&opts); err != nil {
			return nil, err
		}
	}
	if err := opts.check(); err != nil {
		return nil, err
	}
	vocabPath := opts.Vocab
	if vocabPath == "" {
		tok, err := wordpiece.NewBertUncased()
		if err != nil {
			return nil, fmt.Errorf("pretrain: %w", err)
		}
		vocabPath = tok.VocabPath()
	}
	vocab, err := os.ReadFile(vocabPath)
	if err != nil {
		return nil, fmt.Errorf("pretrain: reading the vocabulary: %w", err)
	}
	vocabSum := sha256.Sum256(vocab)
	key := opts.key(hex.EncodeToString(vocabSum[:8]), fromHash)
	if opts.Dir == "" {
		opts.Dir = opts.defaultDir(key)
	}
	if opts.Resume {
		if res, err := loadFinished(opts.Dir, key); err != nil || res != nil {
			return res, err
		}
	}
	var from *bert.Model
	if opts.From != "" {
		if from, err = loadFrom(opts); err != nil {
			return nil, err
		}
	}
	r, err := newRun(opts, vocabPath, key, from)
	if err != nil {
		return nil, err
	}
	defer r.close()
	return r.train(ctx)
}

// loadFinished returns the finished run of key in dir, or nil if there is none.
func loadFinished(dir, key string) (*Result, error) {
	h, err := ReadHistory(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil || h.Key != key || !h.Finished {
		return nil, nil //nolint:nilerr // Another or a broken run: train afresh over it.
	}
	m, err := bert.Load(dir)
	if err != nil {
		return nil, fmt.Errorf("pretrain: loading the finished run: %w", err)
	}
	if !m.HasMLMHead() {
		return nil, fmt.Errorf("pretrain: the checkpoint in %s has no MLM head", dir)
	}
	return &Result{Model: m, Dir: dir, History: h, Cached: true}, nil
}

// readFrom reads what the key of a run continuing opts.From needs, without loading its
// weights: it checks the checkpoint's config.json against opts, fills opts' architecture and
// vocabulary (the checkpoint's vocab.txt) from it, and returns a hash of its weights.
func readFrom(opts *Options) (string, error) {
	fail := func(err error) (string, error) {
		return "", fmt.Errorf("pretrain: continuing from %s: %w", opts.From, err)
	}
	cfg, err := bert.ReadConfig(filepath.Join(opts.From, bert.ConfigFile))
	if err != nil {
		return fail(err)
	}
	for _, f := range []struct {
		name      string
		opt, ckpt int
		set       *int
	}{
		{"layers", opts.Layers, cfg.NumHiddenLayers, &opts.Layers},
		{"hidden", opts.Hidden, cfg.HiddenSize, &opts.Hidden},
		{"heads", opts.Heads, cfg.NumAttentionHeads, &opts.Heads},
		{"intermediate", opts.Intermediate, cfg.IntermediateSize, &opts.Intermediate},
	} {
		if f.opt != 0 && f.opt != f.ckpt {
			return fail(fmt.Errorf("the checkpoint has %s %d, the options %d (leave it 0 to take the checkpoint's)", f.name, f.ckpt, f.opt))
		}
		*f.set = f.ckpt
	}
	if opts.SeqLen > cfg.MaxPositionEmbeddings {
		return fail(fmt.Errorf("sequence length %d exceeds the checkpoint's %d positions", opts.SeqLen, cfg.MaxPositionEmbeddings))
	}
	vocabPath := filepath.Join(opts.From, bert.VocabFile)
	ckptVocab, err := os.ReadFile(vocabPath)
	if err != nil {
		return fail(fmt.Errorf("pretraining reads the WordPiece vocabulary from the checkpoint's %s: %w", bert.VocabFile, err))
	}
	if opts.Vocab != "" {
		vocab, err := os.ReadFile(opts.Vocab)
		if err != nil {
			return fail(err)
		}
		if string(vocab) != string(ckptVocab) {
			return fail(fmt.Errorf("the vocabulary %s differs from the checkpoint's (leave Vocab empty to take the checkpoint's)", opts.Vocab))
		}
	}
	opts.Vocab = vocabPath
	f, err := os.Open(filepath.Join(opts.From, bert.WeightsFile))
	if err != nil {
		return fail(err)
	}
	defer func() { _ = f.Close() }()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return fail(fmt.Errorf("reading %s: %w", bert.WeightsFile, err))
	}
	return hex.EncodeToString(h.Sum(nil)[:8]), nil
}

// loadFrom loads the checkpoint opts.From (checked by readFrom) to train it, with an MLM head
// (a new, seeded one if it has none).
func loadFrom(opts Options) (*bert.Model, error) {
	m, err := bert.Load(opts.From)
	if err != nil {
		return nil, fmt.Errorf("pretrain: continuing from %s: %w", opts.From, err)
	}
	if m.Config().Cased {
		return nil, fmt.Errorf("pretrain: continuing from %s: the checkpoint's vocabulary is cased; pretraining masks uncased WordPiece tokens", opts.From)
	}
	if !m.HasMLMHead() {
		if err := m.AddMLMHead(int64(opts.Seed)); err != nil {
			return nil, fmt.Errorf("pretrain: continuing from %s: %w", opts.From, err)
		}
	}
	return m, nil
}

// run is one pretraining run in progress.
type run struct {
	opts      Options
	key       string
	backend   compute.Backend
	model     *bert.Model
	masker    *Masker
	padID     int32
	trainRows [][]int32
	evalRows  [][]int32
	evalBatch []*tensors.Tensor // Inputs of the held-out rows, masked once, in batches of BatchSize.
	evalExec  *model.Exec
	hist      *History
}

// newRun loads and tokenizes the corpora and creates the model (from: the starting model, nil
// for random weights).
func newRun(opts Options, vocabPath, key string, from *bert.Model) (*run, error) {
	tok, err := wordpiece.LoadVocab(vocabPath, true)
	if err != nil {
		return nil, fmt.Errorf("pretrain: %w", err)
	}
	r := &run{opts: opts, key: key}
	if r.backend, err = backend.Get(); err != nil {
		return nil, err
	}
	cls, okC := tok.TokenToID(wordpiece.ClsToken)
	sep, okS := tok.TokenToID(wordpiece.SepToken)
	pad, okP := tok.TokenToID(wordpiece.PadToken)
	if !okC || !okS || !okP {
		return nil, fmt.Errorf("pretrain: the vocabulary %s lacks %s, %s or %s", vocabPath, wordpiece.ClsToken, wordpiece.SepToken, wordpiece.PadToken)
	}
	r.padID = int32(pad)
	if r.masker, err = NewMasker(tok, opts.SeqLen, opts.MaskProb); err != nil {
		return nil, err
	}

	corpusTokens := 0
	var rows [][]int32
	sources := opts.Corpora
	if len(opts.Documents) > 0 {
		sources = []string{"documents"}
	}
	for _, name := range sources {
		docs := opts.Documents
		if len(opts.Documents) == 0 {
			if docs, err = LoadCorpus(opts.Store, name); err != nil {
				return nil, err
			}
		}
		share := 0
		if opts.MaxTokens > 0 {
			share = max(opts.MaxTokens/len(sources), opts.SeqLen)
		}
		ids, err := tokenizeDocs(tok, docs, share)
		if err != nil {
			return nil, fmt.Errorf("pretrain: corpus %s: %w", name, err)
		}
		corpusTokens += len(ids)
		rows = append(rows, chunk(ids, opts.SeqLen, int32(cls), int32(sep))...)
	}
	r.trainRows, r.evalRows = holdOut(rows, opts.EvalRows)
	if len(r.trainRows) == 0 {
		return nil, fmt.Errorf("pretrain: no training rows (%d tokens, %d rows held out)", corpusTokens, len(r.evalRows))
	}

	cfg := opts.bertConfig(tok.VocabSize())
	if from != nil {
		r.model, cfg = from, from.Config()
	} else {
		if r.model, err = bert.New(cfg, vocabPath, int64(opts.Seed)); err != nil {
			return nil, fmt.Errorf("pretrain: %w", err)
		}
		if err := r.model.AddMLMHead(int64(opts.Seed)); err != nil {
			return nil, fmt.Errorf("pretrain: %w", err)
		}
	}
	params := 0
	for v := range r.model.Store().IterVariables() {
		params += v.Shape().Size()
	}
	r.hist = &History{Key: key, Config: cfg, Options: opts, Params: params, CorpusTokens: corpusTokens,
		TrainRows: len(r.trainRows), EvalRows: len(r.evalRows), TokensPerStep: opts.BatchSize * opts.SeqLen}
	if err := r.prepareEval(); err != nil {
		return nil, err
	}
	return r, nil
}

// holdOut splits rows into training rows and n evenly spaced held-out rows (at most a tenth).
func holdOut(rows [][]int32, n int) (trainRows, evalRows [][]int32) {
	n = min(n, len(rows)/10)
	if n == 0 {
		return rows, nil
	}
	stride := len(rows) / n
	for i, row := range rows {
		if i%stride == stride/2 && len(evalRows) < n {
			evalRows = append(evalRows, row)
		} else {
			trainRows = append(trainRows, row)
		}
	}
	return trainRows, evalRows
}

// close releases the evaluation executor and tensors.
func (r *run) close() {
	if r.evalExec != nil {
		r.evalExec.Finalize()
	}
	for _, t := range r.evalBatch {
		_ = t.FinalizeAll()
	}
}

// batch builds the input tensors of rows, masked with rng: ids and mask [n, SeqLen], and the
// flat prediction positions, labels and weights [n·MaxPredictions]. Unused prediction slots
// point at the row's first position with weight 0.
func (r *run) batch(rows [][]int32, rng func(i int) *rand.Rand) []*tensors.Tensor {
	n, length, k := len(rows), r.opts.SeqLen, r.masker.MaxPredictions
	ids := make([]int32, n*length)
	mask := make([]bool, n*length)
	positions := make([]int32, n*k)
	labels := make([]int32, n*k)
	weights := make([]float32, n*k)
	for i, row := range rows {
		m := r.masker.Mask(row, rng(i))
		for j := range length {
			ids[i*length+j] = r.padID
		}
		copy(ids[i*length:], m.IDs)
		for j := range m.IDs {
			mask[i*length+j] = true
		}
		for s := range k {
			positions[i*k+s] = int32(i * length)
		}
		for s, pos := range m.Positions {
			positions[i*k+s] = int32(i*length + pos)
			labels[i*k+s] = m.Labels[s]
			weights[i*k+s] = 1
		}
	}
	return []*tensors.Tensor{
		tensors.FromFlatDataAndDimensions(ids, n, length), tensors.FromFlatDataAndDimensions(mask, n, length),
		tensors.FromFlatDataAndDimensions(positions, n*k), tensors.FromFlatDataAndDimensions(labels, n*k),
		tensors.FromFlatDataAndDimensions(weights, n*k),
	}
}

// prepareEval masks the held-out rows once and builds their evaluation executor.
func (r *run) prepareEval() error {
	if len(r.evalRows) == 0 {
		return nil
	}
	b := r.opts.BatchSize
	for start := 0; start < len(r.evalRows); start += b {
		rows := make([][]int32, b)
		for i := range b {
			rows[i] = r.evalRows[min(start+i, len(r.evalRows)-1)]
		}
		batch := r.batch(rows, func(i int) *rand.Rand {
			return rand.New(rand.NewPCG(r.opts.Seed^0x6576616c, uint64(start+i)))
		})
		if extra := start + b - len(r.evalRows); extra > 0 { // Repeated rows: weight 0.
			k := r.masker.MaxPredictions
			w := batch[4]
			tensors.MutableFlatData(w, func(flat []float32) { clear(flat[(b-extra)*k:]) })
		}
		r.evalBatch = append(r.evalBatch, batch...)
	}
	cfg := r.model.Config()
	var err error
	r.evalExec, err = model.NewExec(r.backend, r.model.Store(), func(scope *model.Scope, inputs []*graph.Node) []*graph.Node {
		logits := bert.MaskedLogits(scope, cfg, inputs[0], inputs[1], inputs[2])
		loss := bert.CrossEntropy(logits, inputs[3], inputs[4])
		return []*graph.Node{loss, bert.MLMCorrect(logits, inputs[3], inputs[4]), graph.ReduceAllSum(inputs[4])}
	})
	if err != nil {
		return fmt.Errorf("pretrain: creating the evaluation: %w", err)
	}
	return nil
}

// evaluate returns the held-out MLM loss (mean cross-entropy in nats per prediction) and
// top-1 accuracy.
func (r *run) evaluate() (loss, accuracy float64, err error) {
	var sumLoss, sumCorrect, count float64
	for start := 0; start < len(r.evalBatch); start += 5 {
		args := make([]any, 5)
		for i := range args {
			args[i] = r.evalBatch[start+i]
		}
		out, err := r.evalExec.Exec(args...)
		if err != nil {
			return 0, 0, fmt.Errorf("pretrain: evaluating: %w", err)
		}
		var v [3]float64
		for i, o := range out {
			flat, err := tensors.CopyFlatData[float32](o)
			_ = o.FinalizeAll()
			if err != nil {
				return 0, 0, err
			}
			v[i] = float64(flat[0])
		}
		sumLoss += v[0] * v[2]
		sumCorrect += v[1]
		count += v[2]
	}
	if count == 0 {
		return math.NaN(), math.NaN(), nil
	}
	return sumLoss / count, sumCorrect / count, nil
}

// train runs the training loop, then saves the checkpoint and the history.
func (r *run) train(ctx context.Context) (*Result, error) {
	o := &r.opts
	trainDir := filepath.Join(o.Dir, TrainDir)
	startStep := 0
	if o.Resume {
		if st, err := train.ReadCheckpointState(filepath.Join(trainDir, train.LastCheckpoint)); err == nil {
			startStep = st.Step
		}
	}
	evals, err := readEvals(trainDir)
	if err != nil || startStep == 0 {
		evals = nil
	}
	record := func(step int) error {
		loss, acc, err := r.evaluate()
		if err != nil {
			return err
		}
		evals = upsertEval(evals, EvalPoint{Step: step, Loss: loss, Perplexity: perplexity(loss), Accuracy: acc})
		return writeEvals(trainDir, evals)
	}
	if len(r.evalRows) > 0 && (len(evals) == 0 || evals[0].Step != 0) {
		if err := os.MkdirAll(trainDir, 0o755); err != nil {
			return nil, fmt.Errorf("pretrain: %w", err)
		}
		if err := record(0); err != nil {
			return nil, err
		}
	}

	calls := 0
	order := newOrder(len(r.trainRows), o.Seed)
	batchFn := func([]int) ([]*tensors.Tensor, error) {
		step := startStep + calls
		calls++
		rows := make([][]int32, o.BatchSize)
		for i := range rows {
			rows[i] = r.trainRows[order.at(step*o.BatchSize+i)]
		}
		rng := stepRNG(o.Seed, step)
		return r.batch(rows, func(int) *rand.Rand { return rng }), nil
	}
	cfg := r.model.Config()
	lossFn := func(scope *model.Scope, in []*graph.Node) *graph.Node {
		return bert.MLMLoss(scope, cfg, in[0], in[1], in[2], in[3], in[4])
	}
	every := o.CheckpointEvery
	tc := train.New(r.backend, r.model.Store(), lossFn, every*o.BatchSize, batchFn).
		BatchSize(o.BatchSize).Epochs((o.Steps+every-1)/every).MaxSteps(o.Steps).
		LearningRate(o.LearningRate).Warmup(o.Warmup).WeightDecay(o.WeightDecay, nil).ClipNorm(o.ClipNorm).
		Seed(o.Seed).Key(r.key).Progress(o.Progress).Checkpoint(trainDir, o.Resume)
	if len(r.evalRows) > 0 {
		tc = tc.Evaluate(func() (float64, error) {
			step := startStep + calls
			if err := record(step); err != nil {
				return 0, err
			}
			return -evals[len(evals)-1].Loss, nil
		}, o.EvalEvery)
	}
	tr, err := tc.Done()
	if err != nil {
		return nil, fmt.Errorf("pretrain: %w", err)
	}
	start := time.Now()
	h, err := tr.Run(ctx)
	elapsed := time.Since(start)
	if err != nil {
		return nil, fmt.Errorf("pretrain: %w", err)
	}
	r.hist.Loss, r.hist.LearningRate = h.Loss, h.LearningRate
	r.hist.Evals = evals
	r.hist.Steps = len(h.Loss)
	r.hist.StepsThisRun = calls
	r.hist.TrainSeconds = elapsed.Seconds()
	if calls > 0 {
		r.hist.TokensPerSecond = float64(calls*r.hist.TokensPerStep) / elapsed.Seconds()
	}
	if best, ok := h.BestEval(); ok {
		r.hist.BestStep = best.Step
	} else {
		r.hist.BestStep = r.hist.Steps
	}
	r.hist.Finished = true
	if err := r.model.Save(o.Dir); err != nil {
		return nil, fmt.Errorf("pretrain: %w", err)
	}
	if err := WriteHistory(o.Dir, r.hist); err != nil {
		return nil, err
	}
	if !o.KeepTrainState {
		if err := os.RemoveAll(trainDir); err != nil {
			return nil, fmt.Errorf("pretrain: removing the training state: %w", err)
		}
	}
	return &Result{Model: r.model, Dir: o.Dir, History: r.hist}, nil
}

// order is the data order: pass p over the n training rows follows a permutation drawn from a
// PCG seeded by (seed, p).
type order struct {
	n, pass int
	seed    uint64
	perm    []int
}

func newOrder(n int, seed uint64) *order { return &order{n: n, seed: seed, pass: -1} }

// at returns the row at global position i (step·batch + row in batch).
func (o *order) at(i int) int {
	if p := i / o.n; p != o.pass {
		o.pass = p
		o.perm = rand.New(rand.NewPCG(o.seed^0x6f72646572, uint64(p))).Perm(o.n)
	}
	return o.perm[i%o.n]
}
