// Command gotl-bench measures gotl's side of `make bench` (see bench/run.sh): the training step
// time of a USE-lite-shaped transformer classifier and USE-lite's inference throughput.
//
// Usage:
//
//	go run ./bench/gotl [-steps N] [-warmup N] [-batch 32] [-lengths 32,64] [-sentences FILE] [-write-sentences FILE] [-n 2000]
//
// With -write-sentences it writes the first -n SST-2 training sentences as a JSON array (the
// benchmark's shared input, so that TF.js embeds exactly the same texts) and exits. Otherwise
// it prints one JSON object on stdout:
//
//	{"backend": ..., "train": [{"length": 32, "batch": 32, "ms_per_step": ...}, ...],
//	 "inference": {"sentences": 2000, "sentences_per_s": ..., "first_pass_s": ...}}
//
// The training model is tlkit's fine-tuning model on USE-lite from scratch: the USE-lite
// encoder (8002×256 embeddings, 2 pre-norm layers of width 512, 4 heads, FFN 1536, pooler) with
// dropout 0.1 and a linear 2-class head, trained with tlkit/train's AdamW on random token ids,
// every row of the batch exactly -length tokens. bench/torch_step.py builds the same model in
// PyTorch.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/internal/atomicfile"
	"github.com/nlp-transfer/gotl/tlkit"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/train"
)

// trainResult is one training-step measurement.
type trainResult struct {
	Length    int     `json:"length"`
	Batch     int     `json:"batch"`
	Steps     int     `json:"steps"`
	MsPerStep float64 `json:"ms_per_step"`
}

// inferenceResult is the inference-throughput measurement.
type inferenceResult struct {
	Sentences     int     `json:"sentences"`
	SentencesPerS float64 `json:"sentences_per_s"`
	FirstPassS    float64 `json:"first_pass_s"`
}

type report struct {
	Backend   string           `json:"backend"`
	MatMul    string           `json:"matmul"`
	Products  []matmulResult   `json:"matmul_products,omitempty"`
	Train     []trainResult    `json:"train"`
	Inference *inferenceResult `json:"inference,omitempty"`
}

func main() {
	steps := flag.Int("steps", 20, "timed training steps per length")
	warmup := flag.Int("warmup", 3, "untimed training steps first (graph compilation)")
	batch := flag.Int("batch", 32, "training batch size")
	lengthsFlag := flag.String("lengths", "32,64", "comma-separated sequence lengths to time")
	sentencesPath := flag.String("sentences", "", "JSON array of sentences for the inference benchmark (none: skip it)")
	writeSentences := flag.String("write-sentences", "", "write the first -n SST-2 training sentences to this JSON file and exit")
	n := flag.Int("n", 2000, "sentences for -write-sentences")
	matmulCalls := flag.Int("matmul", 0, "time each of the step's matrix products this many times (0: skip)")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile (go tool pprof) of the whole run to this file")
	flag.Parse()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "gotl-bench: -cpuprofile: %v\n", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if err := run(*steps, *warmup, *batch, *lengthsFlag, *sentencesPath, *writeSentences, *n, *matmulCalls); err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintf(os.Stderr, "gotl-bench: %v\n", err)
		os.Exit(1)
	}
}

func run(steps, warmup, batch int, lengthsFlag, sentencesPath, writeSentences string, n, matmulCalls int) error {
	store := data.DefaultStore()
	if writeSentences != "" {
		sst2, err := data.LoadSST2(store)
		if err != nil {
			return err
		}
		if n > len(sst2.Train) {
			return fmt.Errorf("-n %d: SST-2 has only %d training sentences", n, len(sst2.Train))
		}
		raw, err := json.Marshal(sst2.Texts(sst2.Train[:n]))
		if err != nil {
			return err
		}
		return atomicfile.WriteFile(writeSentences, append(raw, '\n'))
	}
	rep := report{Backend: tlkit.BackendConfig(), MatMul: tlkit.MatMul()}
	fmt.Fprintf(os.Stderr, "gotl: backend %s, matrix multiplies: %s\n", rep.Backend, rep.MatMul)
	for _, f := range strings.Split(lengthsFlag, ",") {
		length, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || length < 1 {
			return fmt.Errorf("-lengths: bad length %q", f)
		}
		if matmulCalls > 0 {
			products, err := timeMatMuls(stepShapes(batch, length), matmulCalls)
			if err != nil {
				return err
			}
			for _, p := range products {
				fmt.Fprintf(os.Stderr, "gotl: %s (t=%d): %.2f ms, %.1f GFLOP/s\n", p.Name, batch*length, p.MsPerCall, p.GFLOPs)
			}
			rep.Products = append(rep.Products, products...)
		}
		if steps == 0 {
			continue
		}
		enc, err := tlkit.LoadEncoder("use-lite-scratch:1", store)
		if err != nil {
			return err
		}
		ms, err := trainStep(enc, batch, length, warmup, steps)
		if err != nil {
			return fmt.Errorf("training step at length %d: %w", length, err)
		}
		rep.Train = append(rep.Train, trainResult{Length: length, Batch: batch, Steps: steps, MsPerStep: ms})
		fmt.Fprintf(os.Stderr, "gotl: train step, batch %d × length %d: %.1f ms\n", batch, length, ms)
	}
	if sentencesPath != "" {
		raw, err := os.ReadFile(sentencesPath)
		if err != nil {
			return err
		}
		var sentences []string
		if err := json.Unmarshal(raw, &sentences); err != nil {
			return fmt.Errorf("%s: want a JSON array of strings: %w", sentencesPath, err)
		}
		inf, err := inference(store, sentences)
		if err != nil {
			return err
		}
		rep.Inference = inf
		fmt.Fprintf(os.Stderr, "gotl: inference, %d sentences: %.1f sentences/s (first pass %.1f s)\n",
			inf.Sentences, inf.SentencesPerS, inf.FirstPassS)
	}
	out, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	fmt.Println(string(out))
	return nil
}

// stepTimer is a train.Progress that records when the warm-up steps ended and when the last
// step ended.
type stepTimer struct {
	warmup        int
	start, finish time.Time
}

func (t *stepTimer) Update(s train.Status) {
	if s.Step == t.warmup && t.start.IsZero() {
		t.start = time.Now()
	}
	t.finish = time.Now()
}

func (t *stepTimer) Done(train.Status, error) {}

// trainStep trains enc with a linear 2-class head on random ids [batch, length] for
// warmup+steps steps and returns the mean time of the last steps, in milliseconds.
func trainStep(enc encoder.Encoder, batch, length, warmup, steps int) (float64, error) {
	backend, err := tlkit.Backend()
	if err != nil {
		return 0, err
	}
	store, err := enc.Store().Clone()
	if err != nil {
		return 0, err
	}
	dim := enc.Dim()
	rng := rand.New(rand.NewPCG(1, 2))
	w := make([]float32, dim*2)
	for i := range w {
		w[i] = float32(rng.NormFloat64() * 0.02)
	}
	wt := tensors.FromFlatDataAndDimensions(w, dim, 2)
	if _, err := store.CreateVariable("/head/weights", wt); err != nil {
		return 0, err
	}
	if _, err := store.CreateVariable("/head/biases", tensors.FromShape(shapes.Make(dtypes.Float32, 2))); err != nil {
		return 0, err
	}
	loss := func(scope *model.Scope, inputs []*graph.Node) *graph.Node {
		_, pooled := enc.Build(scope, inputs[0], inputs[1])
		x := train.Dropout(scope, pooled, 0.1)
		g := x.Graph()
		logits := graph.Add(graph.MatMul(x, store.GetVariable("/head/weights").NodeValue(g)),
			graph.InsertAxes(store.GetVariable("/head/biases").NodeValue(g), 0))
		return train.SoftmaxCrossEntropy(logits, inputs[2])
	}
	vocab := 8000
	batchFn := func(examples []int) ([]*tensors.Tensor, error) {
		ids := make([]int32, len(examples)*length)
		mask := make([]bool, len(examples)*length)
		ys := make([]int32, len(examples))
		for i := range ids {
			ids[i] = int32(rng.IntN(vocab))
			mask[i] = true
		}
		for i := range ys {
			ys[i] = int32(rng.IntN(2))
		}
		return []*tensors.Tensor{
			tensors.FromFlatDataAndDimensions(ids, len(examples), length),
			tensors.FromFlatDataAndDimensions(mask, len(examples), length),
			tensors.FromValue(ys),
		}, nil
	}
	timer := &stepTimer{warmup: warmup}
	total := warmup + steps
	tr, err := train.New(backend, store, loss, total*batch, batchFn).
		BatchSize(batch).Epochs(1).MaxSteps(total).LearningRate(1e-4).Seed(1).Progress(timer).Done()
	if err != nil {
		return 0, err
	}
	if _, err := tr.Run(context.Background()); err != nil {
		return 0, err
	}
	return float64(timer.finish.Sub(timer.start)) / 1e6 / float64(steps), nil
}

// inference embeds sentences twice with USE-lite (the first pass compiles the graphs of each
// length bucket) and reports the second pass's throughput.
func inference(store *data.Store, sentences []string) (*inferenceResult, error) {
	enc, err := tlkit.LoadEncoder("use-lite", store)
	if err != nil {
		return nil, err
	}
	backend, err := tlkit.Backend()
	if err != nil {
		return nil, err
	}
	r := encoder.NewRunner(backend, enc)
	start := time.Now()
	if _, err := r.Embed(sentences, encoder.PoolNative); err != nil {
		return nil, err
	}
	first := time.Since(start)
	start = time.Now()
	if _, err := r.Embed(sentences, encoder.PoolNative); err != nil {
		return nil, err
	}
	return &inferenceResult{
		Sentences:     len(sentences),
		SentencesPerS: float64(len(sentences)) / time.Since(start).Seconds(),
		FirstPassS:    first.Seconds(),
	}, nil
}
