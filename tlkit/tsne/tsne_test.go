package tsne

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/nlp-transfer/gotl/tlkit/pca"
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
	p, err := pca.Fit(x, 5)
	if err != nil {
		t.Fatal(err)
	}
	red, err := p.Project(x)
	if err != nil {
		t.Fatal(err)
	}
	if len(red) != len(x) || len(red[0]) != 5 {
		t.Fatalf("the PCA gave %d × %d, want %d × 5", len(red), len(red[0]), len(x))
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
