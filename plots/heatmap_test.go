package plots

import (
	"image/color"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot"
)

func TestConfusion(t *testing.T) {
	m := [][]int{{372, 56}, {48, 396}}
	p, err := Confusion("SST-2 dev", []string{"negative", "positive"}, m, false)
	if err != nil {
		t.Fatal(err)
	}
	if p.X.Label.Text != "predicted" || p.Y.Label.Text != "true" {
		t.Errorf("axis labels %q, %q; want predicted, true", p.X.Label.Text, p.Y.Label.Text)
	}
	if p.X.Min != -0.5 || p.X.Max != 1.5 || p.Y.Min != -0.5 || p.Y.Max != 1.5 {
		t.Errorf("axes x[%v, %v] y[%v, %v]; want [-0.5, 1.5] both", p.X.Min, p.X.Max, p.Y.Min, p.Y.Max)
	}
	// The first row (true negative) is at the top: the Y tick at 1 is "negative".
	yt := p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max)
	if len(yt) != 2 || yt[1].Label != "negative" || yt[0].Label != "positive" {
		t.Errorf("Y ticks %v; want positive at 0, negative at 1 (first row on top)", yt)
	}
	text := svgText(t, must(SVG(p, DefaultWidth, DefaultHeight)))
	for _, want := range []string{"SST-2 dev", "372", "56", "48", "396", "predicted", "true", "negative", "positive"} {
		if !strings.Contains(text, want) {
			t.Errorf("confusion SVG lacks %q", want)
		}
	}

	p, err = Confusion("normalized", []string{"a", "b", "c"}, [][]int{{8, 2, 0}, {0, 0, 0}, {1, 1, 2}}, true)
	if err != nil {
		t.Fatal(err)
	}
	text = svgText(t, must(SVG(p, DefaultWidth, DefaultHeight)))
	// Row a: 80%, 20%; the empty row b: 0%; row c: 25%, 25%, 50%.
	for _, want := range []string{"80.0%", "20.0%", "25.0%", "50.0%", "0.0%"} {
		if !strings.Contains(text, want) {
			t.Errorf("normalized confusion SVG lacks %q", want)
		}
	}

	for _, bad := range []struct {
		labels []string
		m      [][]int
		want   string
	}{
		{[]string{"a", "b"}, [][]int{{1, 2}}, "1 rows of values for 2 row labels"},
		{[]string{"a", "b"}, [][]int{{1, 2}, {3}}, "row 1 has 1 values for 2 column labels"},
		{nil, nil, "no rows"},
		{[]string{"a"}, [][]int{{-1}}, "want counts >= 0"},
	} {
		if _, err := Confusion("x", bad.labels, bad.m, false); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("Confusion(%v, %v): err = %v, want %q", bad.labels, bad.m, err, bad.want)
		}
	}
}

func TestHeatmap(t *testing.T) {
	p, err := Heatmap("Cosine similarity", []string{"r0", "r1"}, []string{"c0", "c1", "c2"},
		[][]float64{{1, 0.25, -0.5}, {0.126, 1, 0}}, "")
	if err != nil {
		t.Fatal(err)
	}
	text := svgText(t, must(SVG(p, DefaultWidth, DefaultHeight)))
	for _, want := range []string{"1.00", "0.25", "-0.50", "0.13", "r0", "c2"} {
		if !strings.Contains(text, want) {
			t.Errorf("heatmap SVG lacks %q (auto format %%.2f)", want)
		}
	}
	p, err = Heatmap("counts", []string{"r"}, []string{"a", "b"}, [][]float64{{3, 12}}, "")
	if err != nil {
		t.Fatal(err)
	}
	if text := svgText(t, must(SVG(p, DefaultWidth, DefaultHeight))); !strings.Contains(text, "12") || strings.Contains(text, "12.00") {
		t.Errorf("whole numbers should be written without decimals:\n%s", text)
	}
	if _, err := Heatmap("x", []string{"r"}, []string{"a"}, [][]float64{{math.NaN()}}, ""); err == nil {
		t.Errorf("Heatmap with NaN: want error")
	}
	if _, err := Heatmap("x", []string{"r"}, []string{"a", "b"}, [][]float64{{1}}, ""); err == nil {
		t.Errorf("Heatmap with a short row: want error")
	}
}

func TestSequentialColor(t *testing.T) {
	lum := func(c color.Color) float64 {
		r, g, b, _ := c.RGBA()
		return 0.2126*float64(r) + 0.7152*float64(g) + 0.0722*float64(b)
	}
	prev := math.Inf(1)
	for i := 0; i <= 20; i++ {
		l := lum(SequentialColor(float64(i) / 20))
		if l >= prev {
			t.Fatalf("luminance not decreasing at t=%v", float64(i)/20)
		}
		prev = l
	}
	if SequentialColor(-1) != SequentialColor(0) || SequentialColor(2) != SequentialColor(1) {
		t.Errorf("SequentialColor does not clamp to [0, 1]")
	}
}

func TestErrorBars(t *testing.T) {
	p, err := Bars("Accuracy by method", []string{"LR", "MLP"}, []Series{
		{Name: "GloVe", Values: []float64{0.78, 0.80}, Errors: []float64{0.01, 0.02}},
		{Name: "USE-lite", Values: []float64{0.81, 0.83}},
	})
	if err != nil {
		t.Fatal(err)
	}
	// The top of the Y axis includes the top error bar (0.82) before the legend headroom.
	if p.Y.Max < 0.83 || p.Y.Min != 0 {
		t.Errorf("Y axis [%v, %v]; want from 0 past 0.83", p.Y.Min, p.Y.Max)
	}
	if _, err := Bars("x", []string{"a", "b"}, []Series{{Values: []float64{1, 2}, Errors: []float64{1}}}); err == nil ||
		!strings.Contains(err.Error(), "1 errors for 2 values") {
		t.Errorf("Bars with 1 error for 2 values: err = %v", err)
	}
	if _, err := Bar("x", []string{"a"}, []float64{1}); err != nil {
		t.Errorf("Bar without errors: %v", err)
	}
	if _, err := Bars("x", []string{"a"}, []Series{{Values: []float64{1}, Errors: []float64{-0.1}}}); err == nil {
		t.Errorf("negative error: want error")
	}

	p, err = Lines("Learning curve", "epoch", "accuracy",
		XYSeries{Name: "dev", Y: []float64{0.6, 0.7, 0.75}, Errors: []float64{0.05, 0.1, 0.02}})
	if err != nil {
		t.Fatal(err)
	}
	if p.Y.Min > 0.55 || p.Y.Max < 0.8 {
		t.Errorf("Y axis [%v, %v] does not hold the band [0.55, 0.8]", p.Y.Min, p.Y.Max)
	}
	if _, err := Lines("x", "", "", XYSeries{Y: []float64{1, 2}, Errors: []float64{math.NaN(), 0}}); err == nil {
		t.Errorf("Lines with a NaN error: want error")
	}
	if _, err := Scatter("x", "", "", XYSeries{X: []float64{1}, Y: []float64{1}, Errors: []float64{1}}); err == nil {
		t.Errorf("Scatter with Errors: want error")
	}
}

func TestLinesLogX(t *testing.T) {
	labels := []float64{50, 100, 200, 500, 1000, 6920}
	p, err := LinesLogX("Data efficiency", "training labels", "test accuracy",
		XYSeries{Name: "fine-tuned", X: labels, Y: []float64{0.6, 0.65, 0.7, 0.76, 0.8, 0.84}, Errors: []float64{0.05, 0.04, 0.03, 0.02, 0.01, 0.005}},
		XYSeries{Name: "scratch", X: labels, Y: []float64{0.5, 0.52, 0.55, 0.6, 0.66, 0.76}})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := p.X.Scale.(plot.LogScale); !ok {
		t.Errorf("X scale is %T, want plot.LogScale", p.X.Scale)
	}
	var got []string
	for _, tk := range p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max) {
		if tk.Label != "" {
			got = append(got, tk.Label)
		}
	}
	if want := "50 100 200 500 1000 2000 5000"; strings.Join(got, " ") != want {
		t.Errorf("X tick labels %q, want %q", strings.Join(got, " "), want)
	}
	if _, err := SVG(p, DefaultWidth, DefaultHeight); err != nil {
		t.Fatal(err)
	}
	if _, err := LinesLogX("x", "", "", XYSeries{X: []float64{0, 10}, Y: []float64{1, 2}}); err == nil || !strings.Contains(err.Error(), "X > 0") {
		t.Errorf("LinesLogX with X = 0: err = %v", err)
	}
	if _, err := LinesLogX("x", "", "", XYSeries{Y: []float64{1, 2}}); err == nil {
		t.Errorf("LinesLogX with implicit X starting at 0: want error")
	}
}

func TestLogTicks(t *testing.T) {
	labels := func(lo, hi float64) string {
		var s []string
		for _, tk := range (logTicks{}).Ticks(lo, hi) {
			if tk.Label != "" {
				s = append(s, tk.Label)
			}
		}
		return strings.Join(s, " ")
	}
	for _, tc := range []struct {
		lo, hi float64
		want   string
	}{
		{1, 100, "1 2 5 10 20 50 100"},
		{1, 1e5, "1 10 100 1000 10000 100000"}, // more than three decades: powers of ten only
		{0.01, 0.5, "0.01 0.02 0.05 0.1 0.2 0.5"},
	} {
		if got := labels(tc.lo, tc.hi); got != tc.want {
			t.Errorf("log ticks over [%v, %v]: %q, want %q", tc.lo, tc.hi, got, tc.want)
		}
	}
	// Too narrow for two 1-2-5 ticks: linear ticks.
	if got := labels(60, 90); got == "" || strings.Contains(got, "50") {
		t.Errorf("log ticks over [60, 90]: %q; want linear ticks inside the range", got)
	}
	if err := LogX(must(Lines("x", "", "", XYSeries{Y: []float64{1, 2}}))); err == nil {
		t.Errorf("LogX of an axis starting at 0: want error")
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestRenderIssue4Samples writes the charts of the transfer-learning notebooks (confusion
// matrices, error bars, data-efficiency curves) to $PLOTS_SAMPLES (if set).
func TestRenderIssue4Samples(t *testing.T) {
	dir := os.Getenv("PLOTS_SAMPLES")
	if dir == "" {
		t.Skip("set $PLOTS_SAMPLES to a folder to write sample charts there")
	}
	cm2 := must(Confusion("SST-2 dev: USE-lite + logistic regression", []string{"negative", "positive"}, [][]int{{352, 76}, {61, 383}}, false))
	cm2n := must(Confusion("SST-2 dev (row-normalized)", []string{"negative", "positive"}, [][]int{{352, 76}, {61, 383}}, true))
	cm5 := must(Confusion("SST-5 test (row-normalized)", []string{"very negative", "negative", "neutral", "positive", "very positive"},
		[][]int{{120, 110, 30, 15, 4}, {60, 390, 120, 50, 13}, {20, 150, 160, 40, 19}, {8, 50, 90, 320, 42}, {3, 12, 20, 180, 184}}, true))
	bars := must(Bars("SST-2 test accuracy (3 seeds)", []string{"scratch", "frozen + LR", "frozen + MLP", "fine-tuned"}, []Series{
		{Name: "GloVe", Values: []float64{76.1, 78.4, 79.2, 80.3}, Errors: []float64{1.2, 0.3, 0.6, 0.9}},
		{Name: "USE-lite", Values: []float64{74.3, 80.1, 81.0, 83.2}, Errors: []float64{1.5, 0.2, 0.5, 0.4}},
	}))
	bars.Y.Label.Text = "accuracy (%)"
	xs := []float64{50, 100, 200, 500, 1000, 6920}
	eff := must(LinesLogX("Data efficiency on SST-2", "training labels", "test accuracy (%)",
		XYSeries{Name: "fine-tuned USE-lite", X: xs, Y: []float64{62, 68, 74, 78, 80, 83}, Errors: []float64{4, 3, 2, 1.2, 0.8, 0.4}},
		XYSeries{Name: "frozen USE-lite + LR", X: xs, Y: []float64{66, 70, 73, 76, 78, 80}, Errors: []float64{3, 2, 1.5, 1, 0.5, 0.3}},
		XYSeries{Name: "scratch transformer", X: xs, Y: []float64{51, 53, 56, 61, 66, 75}, Errors: []float64{1.5, 2, 2.5, 2, 1.5, 1}}))
	curves := must(Lines("Fine-tuning", "epoch", "dev accuracy",
		XYSeries{Name: "dev accuracy", X: []float64{1, 2, 3, 4, 5}, Y: []float64{0.76, 0.8, 0.815, 0.82, 0.818}, Errors: []float64{0.02, 0.01, 0.008, 0.006, 0.007}}))
	hm := must(Heatmap("Cosine similarity of sentence vectors", []string{"a good film", "a great movie", "a dull film", "terrible"},
		[]string{"s1", "s2", "s3", "s4"}, [][]float64{{1, 0.82, 0.41, 0.12}, {0.82, 1, 0.35, 0.08}, {0.41, 0.35, 1, 0.55}, {0.12, 0.08, 0.55, 1}}, ""))
	for name, p := range map[string]*plot.Plot{
		"confusion2.png": cm2, "confusion2-normalized.png": cm2n, "confusion5-normalized.png": cm5,
		"bars-errors.png": bars, "data-efficiency.png": eff, "lines-band.png": curves, "heatmap.png": hm,
	} {
		if err := Save(p, filepath.Join(dir, name), DefaultWidth, DefaultHeight); err != nil {
			t.Fatal(err)
		}
	}
}
