package tsne

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// clusters returns k Gaussian clusters of m points each in d dimensions, with unit
// variance and centers drawn at distance about sep·√d from each other, and the label
// of each point.
func clusters(k, m, d int, sep float64, seed uint64) ([][]float32, []int) {
	rng := rand.New(rand.NewPCG(seed, 1))
	var x [][]float32
	var labels []int
	for c := range k {
		center := make([]float64, d)
		for j := range center {
			center[j] = sep * rng.NormFloat64()
		}
		for range m {
			row := make([]float32, d)
			for j := range row {
				row[j] = float32(center[j] + rng.NormFloat64())
			}
			x = append(x, row)
			labels = append(labels, c)
		}
	}
	return x, labels
}

// neighbourAgreement returns the fraction of points whose nearest other point in y has
// the same label.
func neighbourAgreement(y [][2]float64, labels []int) float64 {
	agree := 0
	for i := range y {
		best, bestD := -1, math.Inf(1)
		for j := range y {
			if j == i {
				continue
			}
			d := (y[i][0]-y[j][0])*(y[i][0]-y[j][0]) + (y[i][1]-y[j][1])*(y[i][1]-y[j][1])
			if d < bestD {
				best, bestD = j, d
			}
		}
		if labels[best] == labels[i] {
			agree++
		}
	}
	return float64(agree) / float64(len(y))
}

func TestTwoClustersStaySeparated(t *testing.T) {
	x, labels := clusters(2, 100, 20, 2, 7)
	y, err := Embed(x, Options{Seed: 1, Iterations: 500})
	if err != nil {
		t.Fatal(err)
	}
	if len(y) != len(x) {
		t.Fatalf("%d points embedded, want %d", len(y), len(x))
	}
	if a := neighbourAgreement(y, labels); a < 0.95 {
		t.Errorf("nearest-neighbour label agreement in 2-D = %.3f, want > 0.95", a)
	}
	// The clusters are linearly separable along the line between their 2-D centroids:
	// every point is closer to its own centroid.
	var cent [2][2]float64
	for i, p := range y {
		cent[labels[i]][0] += p[0] / 100
		cent[labels[i]][1] += p[1] / 100
	}
	wrong := 0
	for i, p := range y {
		own, other := cent[labels[i]], cent[1-labels[i]]
		if math.Hypot(p[0]-own[0], p[1]-own[1]) >= math.Hypot(p[0]-other[0], p[1]-other[1]) {
			wrong++
		}
	}
	if wrong > 0 {
		t.Errorf("%d points are closer to the other cluster's centroid", wrong)
	}
}

func TestDeterministic(t *testing.T) {
	x, _ := clusters(3, 30, 10, 1, 3)
	opts := Options{Perplexity: 10, Iterations: 200, Seed: 42}
	a, err := Embed(x, opts)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Embed(x, opts)
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("point %d: %v then %v with the same seed", i, a[i], b[i])
		}
	}
	opts.Seed = 43
	c, _ := Embed(x, opts)
	same := true
	for i := range a {
		same = same && a[i] == c[i]
	}
	if same {
		t.Errorf("seeds 42 and 43 gave the same embedding")
	}
}

// TestWorkersDoNotChangeResult: the parallel split must not change any bit.
func TestWorkersDoNotChangeResult(t *testing.T) {
	x, _ := clusters(2, 40, 8, 1, 5)
	data := make([][]float64, len(x))
	for i, r := range x {
		for _, v := range r {
			data[i] = append(data[i], float64(v))
		}
	}
	n := len(x)
	opts := Options{Iterations: 100, Seed: 9}.withDefaults()
	opts.Perplexity = 10
	p1 := affinities(squaredDistances(data, 1), n, opts.Perplexity, 1)
	p3 := affinities(squaredDistances(data, 3), n, opts.Perplexity, 3)
	y1, y3 := optimize(p1, n, opts, 1), optimize(p3, n, opts, 3)
	for k := range y1 {
		if y1[k] != y3[k] {
			t.Fatalf("coordinate %d: %v with 1 worker, %v with 3", k, y1[k], y3[k])
		}
	}
}

// TestPerplexityCalibration: each conditional distribution has the requested entropy,
// and P is symmetric and sums to 1.
func TestPerplexityCalibration(t *testing.T) {
	x, _ := clusters(2, 50, 5, 1, 11)
	data := make([][]float64, len(x))
	for i, r := range x {
		for _, v := range r {
			data[i] = append(data[i], float64(v))
		}
	}
	n := len(x)
	dist := squaredDistances(data, 1)
	for _, perp := range []float64{5, 20} {
		row := make([]float64, n)
		for i := range n {
			calibrateRow(dist[i*n:(i+1)*n], row, i, math.Log(perp))
			h, sum := 0.0, 0.0
			for _, p := range row {
				sum += p
				if p > 0 {
					h -= p * math.Log(p)
				}
			}
			if math.Abs(sum-1) > 1e-9 || math.Abs(math.Exp(h)-perp) > 1e-3*perp {
				t.Fatalf("perplexity %v, row %d: sum %v, perplexity %v", perp, i, sum, math.Exp(h))
			}
		}
	}
	p := affinities(dist, n, 10, 1)
	total := 0.0
	for i := range n {
		for j := range n {
			total += p[i*n+j]
			if p[i*n+j] != p[j*n+i] {
				t.Fatalf("P[%d][%d] = %v != P[%d][%d] = %v", i, j, p[i*n+j], j, i, p[j*n+i])
			}
		}
	}
	if math.Abs(total-1) > 1e-6 {
		t.Errorf("P sums to %v, want 1", total)
	}
}

// TestKLDecreases: the optimization lowers KL(P‖Q) well below that of the random start.
func TestKLDecreases(t *testing.T) {
	x, _ := clusters(3, 30, 10, 1, 13)
	data := make([][]float64, len(x))
	for i, r := range x {
		for _, v := range r {
			data[i] = append(data[i], float64(v))
		}
	}
	n := len(x)
	p := affinities(squaredDistances(data, 1), n, 10, 1)
	opts := Options{Seed: 1, Perplexity: 10}.withDefaults()
	start := klDivergence(p, optimize(p, n, Options{Seed: 1, Iterations: 1, LearningRate: 1e-9}, 1), n)
	for _, seed := range []uint64{1, 2, 3} {
		opts.Seed = seed
		mid := klDivergence(p, optimize(p, n, opts.with(200), 1), n)
		end := klDivergence(p, optimize(p, n, opts.with(1000), 1), n)
		if !(end < 0.6*start) || !(end < mid) {
			t.Errorf("seed %d: KL went from %.3f to %.3f after 200 iterations and %.3f after 1000; want a decrease to under 60%%", seed, start, mid, end)
		}
		t.Logf("seed %d: KL %.3f -> %.3f -> %.3f", seed, start, mid, end)
	}
}

func TestErrors(t *testing.T) {
	good, _ := clusters(2, 20, 4, 1, 1)
	nan := append([][]float32{{1, float32(math.NaN()), 0, 0}}, good...)
	ragged := append([][]float32{{1, 2}}, good...)
	for _, tc := range []struct {
		name string
		x    [][]float32
		opts Options
		want string
	}{
		{"too few points", good[:3], Options{Perplexity: 1}, "3 points; want at least 4"},
		{"perplexity too large", good, Options{}, "perplexity 30 is too large for 40 points"},
		{"perplexity < 1", good, Options{Perplexity: 0.5}, "perplexity 0.5"},
		{"NaN", nan, Options{Perplexity: 5}, "point 0 holds NaN at 1"},
		{"ragged", ragged, Options{Perplexity: 5}, "point 1 has 4 values, point 0 has 2"},
		{"no values", [][]float32{{}, {}, {}, {}}, Options{Perplexity: 1}, "no values"},
		{"negative iterations", good, Options{Perplexity: 5, Iterations: -1}, "-1 iterations"},
		{"negative learning rate", good, Options{Perplexity: 5, LearningRate: -1}, "learning rate -1"},
		{"too many points", make([][]float32, MaxPoints+1), Options{}, "embed a random subsample"},
	} {
		_, err := Embed(tc.x, tc.opts)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

// TestPCA: with 60 dimensions and the default PCADims (50), the PCA path runs, and the
// result still separates the clusters.
func TestPCA(t *testing.T) {
	x, labels := clusters(2, 60, 60, 1, 21)
	y, err := Embed(x, Options{Seed: 2, Iterations: 400, Perplexity: 15})
	if err != nil {
		t.Fatal(err)
	}
	if a := neighbourAgreement(y, labels); a < 0.95 {
		t.Errorf("agreement %.3f with PCA, want > 0.95", a)
	}
	data := make([][]float64, len(x))
	for i, r := range x {
		for _, v := range r {
			data[i] = append(data[i], float64(v))
		}
	}
	red, err := pcaReduce(data, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(red) != len(x) || len(red[0]) != 5 {
		t.Fatalf("pcaReduce gave %d × %d, want %d × 5", len(red), len(red[0]), len(x))
	}
	// The projections are centered.
	for k := range 5 {
		m := 0.0
		for _, r := range red {
			m += r[k]
		}
		if math.Abs(m/float64(len(red))) > 1e-9 {
			t.Errorf("component %d has mean %v, want 0", k, m/float64(len(red)))
		}
	}
}

// TestTimingSST2Dev embeds 872 points of 512 dimensions (the size of SST-2 dev with
// USE-lite features) and logs the time. Skipped with -short.
func TestTimingSST2Dev(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: 872 × 512 t-SNE")
	}
	x, labels := clusters(2, 436, 512, 0.2, 99)
	start := time.Now()
	y, err := Embed(x, Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("t-SNE of 872 × 512 (PCA to 50, 1000 iterations): %v; nearest-neighbour agreement %.3f",
		time.Since(start), neighbourAgreement(y, labels))
}

func TestExp(t *testing.T) {
	for _, x := range []float64{0, 1e-10, -1e-10, -0.5, -1, -7.25, -30, -700, -746, 1, 12.5, 700, 710, math.Inf(-1), math.Inf(1)} {
		got, want := exp(x), math.Exp(x)
		if got != want && math.Abs(got-want) > 1e-15*want {
			t.Errorf("exp(%v) = %v, math.Exp = %v", x, got, want)
		}
	}
	if !math.IsNaN(exp(math.NaN())) {
		t.Errorf("exp(NaN) is not NaN")
	}
}

// with returns o with the given number of iterations.
func (o Options) with(iterations int) Options { o.Iterations = iterations; return o }
