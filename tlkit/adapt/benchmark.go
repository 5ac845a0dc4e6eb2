package adapt

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/nlp-transfer/gotl/internal/cachefile"
	"github.com/nlp-transfer/gotl/tlkit/metrics"
)

// Domain is one domain's feature vectors and labels, in the three splits of the benchmark
// protocol: as a source, Train is the labelled training data and Dev the data for model
// selection; as a target, Train is the unlabelled adaptation data (its labels are read only
// by TargetOracle) and Dev and Test together are the target test set.
type Domain struct {
	Name                string
	Train, Dev, Test    [][]float32
	TrainY, DevY, TestY []int
	fingerprint         string
}

// TargetTest returns the target test set of the protocol: Dev and Test together.
func (d *Domain) TargetTest() ([][]float32, []int) {
	return slices.Concat(d.Dev, d.Test), slices.Concat(d.DevY, d.TestY)
}

// check validates the domain's splits.
func (d *Domain) check() error {
	for _, s := range []struct {
		name string
		x    [][]float32
		y    []int
	}{{"train", d.Train, d.TrainY}, {"dev", d.Dev, d.DevY}, {"test", d.Test, d.TestY}} {
		if len(s.x) != len(s.y) {
			return fmt.Errorf("domain %s: %d %s vectors for %d labels", d.Name, len(s.x), s.name, len(s.y))
		}
	}
	if len(d.Train) == 0 || len(d.Dev)+len(d.Test) == 0 {
		return fmt.Errorf("domain %s: %d train and %d dev+test vectors; both must be non-empty", d.Name, len(d.Train), len(d.Dev)+len(d.Test))
	}
	return nil
}

// Fingerprint returns a hex sha256 of the domain's name, vectors and labels.
func (d *Domain) Fingerprint() string {
	if d.fingerprint != "" {
		return d.fingerprint
	}
	h := sha256.New()
	h.Write([]byte(d.Name))
	var buf [8]byte
	for _, split := range [][][]float32{d.Train, d.Dev, d.Test} {
		binary.LittleEndian.PutUint64(buf[:], uint64(len(split)))
		h.Write(buf[:])
		for _, row := range split {
			for _, v := range row {
				binary.LittleEndian.PutUint32(buf[:4], math.Float32bits(v))
				h.Write(buf[:4])
			}
		}
	}
	for _, ys := range [][]int{d.TrainY, d.DevY, d.TestY} {
		for _, y := range ys {
			binary.LittleEndian.PutUint64(buf[:], uint64(y))
			h.Write(buf[:])
		}
	}
	d.fingerprint = hex.EncodeToString(h.Sum(nil))
	return d.fingerprint
}

// Pair is a transfer from a source domain to a target domain, by name.
type Pair struct{ Source, Target string }

// String returns "source→target".
func (p Pair) String() string { return p.Source + "→" + p.Target }

// AllPairs returns every ordered pair of distinct names: 12 for the 4 Amazon domains.
func AllPairs(names []string) []Pair {
	var pairs []Pair
	for _, s := range names {
		for _, t := range names {
			if s != t {
				pairs = append(pairs, Pair{s, t})
			}
		}
	}
	return pairs
}

// BenchmarkRun is the result of one training run of a benchmark.
type BenchmarkRun struct {
	Pair   Pair   `json:"pair"`
	Method string `json:"method"`
	Seed   uint64 `json:"seed"`
	// TargetAccuracy is the accuracy on the target test set; SourceDevAccuracy on the source
	// dev set.
	TargetAccuracy    float64 `json:"target_accuracy"`
	SourceDevAccuracy float64 `json:"source_dev_accuracy"`
	// PADAfter is the proxy A-distance between the source and target training vectors in the
	// adapted feature layer (NaN, stored as null, when not measured).
	PADAfter *float64 `json:"pad_after,omitempty"`
	Seconds  float64  `json:"seconds"`
}

// BenchmarkOptions configures RunBenchmark.
type BenchmarkOptions struct {
	// Methods are the methods to run (nil: Methods()).
	Methods []Method
	// Seeds are the seeds of each method and pair (nil: 1, 2, 3).
	Seeds []uint64
	// Train returns the training options of a method (nil: DefaultTrainOptions); the seed is
	// set by RunBenchmark.
	Train func(Method) TrainOptions
	// PADMethods are the methods whose adapted features get a proxy A-distance (first seed
	// only).
	PADMethods []Method
	// ResultsDir, when set, keeps every run as a JSON file, found again by a later call with
	// the same domains, options and seed (so a notebook cell can be re-run, or resumed, for
	// free).
	ResultsDir string
	// Progress, when not nil, is called after each run (computed or loaded).
	Progress func(done, total int, r BenchmarkRun)
}

// Benchmark holds the runs of RunBenchmark and the proxy A-distances of the encoder
// features.
type Benchmark struct {
	Pairs   []Pair
	Methods []Method
	Seeds   []uint64
	Runs    []BenchmarkRun
	// PADBefore is the proxy A-distance between each pair's source and target training
	// vectors, as given (before adaptation), keyed by Pair.String().
	PADBefore map[string]float64
}

// RunBenchmark trains every method on every pair with every seed: the source's Train and
// Dev for training and selection, the target's Train unlabelled, the target's Dev and Test
// for scoring. It also measures the proxy A-distance of each pair's features before
// adaptation, and after it for opts.PADMethods.
func RunBenchmark(domains map[string]*Domain, pairs []Pair, opts BenchmarkOptions) (*Benchmark, error) {
	if opts.Methods == nil {
		opts.Methods = Methods()
	}
	if opts.Seeds == nil {
		opts.Seeds = []uint64{1, 2, 3}
	}
	if opts.Train == nil {
		opts.Train = DefaultTrainOptions
	}
	for _, p := range pairs {
		for _, name := range []string{p.Source, p.Target} {
			d, ok := domains[name]
			if !ok {
				return nil, fmt.Errorf("benchmark: pair %s: no domain %q", p, name)
			}
			if err := d.check(); err != nil {
				return nil, fmt.Errorf("benchmark: %w", err)
			}
		}
	}
	b := &Benchmark{Pairs: pairs, Methods: opts.Methods, Seeds: opts.Seeds, PADBefore: map[string]float64{}}
	total := len(pairs) * len(opts.Methods) * len(opts.Seeds)
	for _, p := range pairs {
		src, tgt := domains[p.Source], domains[p.Target]
		pad, err := cachedPAD(opts.ResultsDir, "before", src, tgt, func() (float64, error) {
			r, err := ProxyADistance(src.Train, tgt.Train, PADOptions{})
			if err != nil {
				return 0, err
			}
			return r.Distance, nil
		})
		if err != nil {
			return nil, fmt.Errorf("benchmark %s: %w", p, err)
		}
		b.PADBefore[p.String()] = pad
		for _, m := range opts.Methods {
			for k, seed := range opts.Seeds {
				o := opts.Train(m)
				o.Method, o.Seed, o.Progress = m, seed, nil
				withPAD := k == 0 && slices.Contains(opts.PADMethods, m)
				run, err := benchmarkRun(src, tgt, o, withPAD, opts.ResultsDir)
				if err != nil {
					return nil, fmt.Errorf("benchmark %s, %s, seed %d: %w", p, m, seed, err)
				}
				b.Runs = append(b.Runs, run)
				if opts.Progress != nil {
					opts.Progress(len(b.Runs), total, run)
				}
			}
		}
	}
	return b, nil
}

// optionsKey describes the options that change a run's result.
func optionsKey(o TrainOptions) string {
	return fmt.Sprintf("%s h%d d%d drop%g/%g w%g ramp%v k%s/%v lr%g wd%g b%d s%d sel%s/%d std%v seed%d",
		o.Method, o.Hidden, o.DiscriminatorHidden, o.Dropout, o.DiscriminatorDropout, o.Weight, o.Ramp, o.Kernel, o.Kernel.bandwidths(),
		o.LearningRate, o.WeightDecay, o.BatchSize, o.Steps, o.Select, o.EvalEvery, o.Standardize, o.Seed)
}

// runFile returns the results file of a run (or "" without dir).
func runFile(dir string, src, tgt *Domain, key string) string {
	if dir == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(src.Fingerprint() + "|" + tgt.Fingerprint() + "|" + key))
	return filepath.Join(dir, fmt.Sprintf("%s-%s-%s.json", cachefile.Name(src.Name), cachefile.Name(tgt.Name), hex.EncodeToString(sum[:8])))
}

// readRun reads the saved result at path into v; false when there is no path, or the file is
// missing or unreadable (then the run is recomputed and the file rewritten).
func readRun(path string, v any) bool {
	return path != "" && cachefile.ReadJSON(path, v) == nil
}

// writeRun saves v at path (nothing without a path).
func writeRun(path string, v any) error {
	if path == "" {
		return nil
	}
	return cachefile.WriteJSON(path, v)
}

// cachedPAD returns the proxy A-distance computed by fn, kept in dir under the domains'
// fingerprints and tag.
func cachedPAD(dir, tag string, src, tgt *Domain, fn func() (float64, error)) (float64, error) {
	path := runFile(dir, src, tgt, "pad "+padVersion+" "+tag)
	var saved struct {
		PAD float64 `json:"pad"`
	}
	if readRun(path, &saved) {
		return saved.PAD, nil
	}
	pad, err := fn()
	if err != nil {
		return 0, err
	}
	saved.PAD = pad
	return pad, writeRun(path, saved)
}

// benchmarkRun trains one method on one pair, or loads the saved run.
func benchmarkRun(src, tgt *Domain, o TrainOptions, withPAD bool, dir string) (BenchmarkRun, error) {
	key := optionsKey(o)
	if withPAD {
		key += " pad " + padVersion
	}
	path := runFile(dir, src, tgt, key)
	var run BenchmarkRun
	if readRun(path, &run) {
		return run, nil
	}
	start := time.Now()
	d := Data{SourceX: src.Train, SourceY: src.TrainY, SourceDevX: src.Dev, SourceDevY: src.DevY, TargetX: tgt.Train}
	if o.Method == TargetOracle {
		d.TargetY = tgt.TrainY
	}
	m, err := Train(d, o)
	if err != nil {
		return BenchmarkRun{}, err
	}
	testX, testY := tgt.TargetTest()
	acc, err := m.Accuracy(testX, testY)
	if err != nil {
		return BenchmarkRun{}, err
	}
	run = BenchmarkRun{Pair: Pair{src.Name, tgt.Name}, Method: o.Method.String(), Seed: o.Seed, TargetAccuracy: acc, SourceDevAccuracy: m.SourceDevAccuracy}
	if withPAD {
		hs, err := m.Features(src.Train)
		if err != nil {
			return BenchmarkRun{}, err
		}
		ht, err := m.Features(tgt.Train)
		if err != nil {
			return BenchmarkRun{}, err
		}
		pad, err := ProxyADistance(hs, ht, PADOptions{})
		if err != nil {
			return BenchmarkRun{}, err
		}
		run.PADAfter = &pad.Distance
	}
	run.Seconds = time.Since(start).Seconds()
	return run, writeRun(path, run)
}

// Accuracies returns the target accuracies of method on pair, one per seed, in seed order.
func (b *Benchmark) Accuracies(p Pair, m Method) []float64 {
	var accs []float64
	for _, r := range b.Runs {
		if r.Pair == p && r.Method == m.String() {
			accs = append(accs, r.TargetAccuracy)
		}
	}
	return accs
}

// Summary returns the mean ± std over seeds of method's target accuracy on pair.
func (b *Benchmark) Summary(p Pair, m Method) metrics.Summary {
	return metrics.Summarize(b.Accuracies(p, m))
}

// Mean returns the mean target accuracy of method over the pairs: the mean over seeds of
// each seed's average over the pairs, ± the std of those averages over seeds.
func (b *Benchmark) Mean(m Method) metrics.Summary {
	perSeed := make([]float64, len(b.Seeds))
	for _, p := range b.Pairs {
		accs := b.Accuracies(p, m)
		for k := range min(len(accs), len(perSeed)) {
			perSeed[k] += accs[k] / float64(len(b.Pairs))
		}
	}
	return metrics.Summarize(perSeed)
}

// PADAfter returns the proxy A-distance of method's adapted features on pair (first seed),
// and whether it was measured.
func (b *Benchmark) PADAfter(p Pair, m Method) (float64, bool) {
	for _, r := range b.Runs {
		if r.Pair == p && r.Method == m.String() && r.PADAfter != nil {
			return *r.PADAfter, true
		}
	}
	return math.NaN(), false
}

// Markdown returns the table of the benchmark: one row per pair and a mean row, one column
// per method (target accuracy in %, mean ± std over seeds), and the proxy A-distance before
// adaptation (and after, for the methods measured).
func (b *Benchmark) Markdown() string {
	var sb strings.Builder
	sb.WriteString("| pair | PAD |")
	for _, m := range b.Methods {
		fmt.Fprintf(&sb, " %s |", m)
	}
	sb.WriteString("\n|---|---|")
	for range b.Methods {
		sb.WriteString("---|")
	}
	sb.WriteString("\n")
	padSum := 0.0
	for _, p := range b.Pairs {
		fmt.Fprintf(&sb, "| %s | %.2f |", p, b.PADBefore[p.String()])
		padSum += b.PADBefore[p.String()]
		for _, m := range b.Methods {
			cell := b.Summary(p, m).Format(100, 1)
			if pad, ok := b.PADAfter(p, m); ok {
				cell += fmt.Sprintf(" (PAD %.2f)", pad)
			}
			fmt.Fprintf(&sb, " %s |", cell)
		}
		sb.WriteString("\n")
	}
	fmt.Fprintf(&sb, "| **mean** | %.2f |", padSum/float64(len(b.Pairs)))
	for _, m := range b.Methods {
		fmt.Fprintf(&sb, " **%s** |", b.Mean(m).Format(100, 1))
	}
	sb.WriteString("\n")
	return sb.String()
}
