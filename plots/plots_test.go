package plots

import (
	"bytes"
	"encoding/xml"
	"errors"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

func sampleBars(t *testing.T) *plot.Plot {
	t.Helper()
	p, err := Bars("Label balance", []string{"negative", "positive"}, []Series{
		{Name: "train", Values: []float64{3310, 3610}},
		{Name: "dev", Values: []float64{428, 444}},
		{Name: "test", Values: []float64{912, 909}},
	})
	if err != nil {
		t.Fatalf("Bars: %v", err)
	}
	p.Y.Label.Text = "examples"
	return p
}

func TestPNGSize(t *testing.T) {
	p := sampleBars(t)
	data, err := PNG(p, 4*vg.Inch, 3*vg.Inch)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, pngSignature) {
		t.Fatalf("PNG output does not start with the PNG signature: % x", data[:min(8, len(data))])
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("decoding PNG: %v", err)
	}
	if got := img.Bounds().Size(); got.X != 384 || got.Y != 288 {
		t.Errorf("PNG of 4in × 3in is %d × %d pixels, want 384 × 288 (96 dpi)", got.X, got.Y)
	}
	if _, err := PNG(p, 0, vg.Inch); err == nil {
		t.Errorf("PNG with zero width: want error")
	}
	if _, err := PNG(nil, vg.Inch, vg.Inch); err == nil {
		t.Errorf("PNG of nil plot: want error")
	}
}

// svgText returns all character data of an SVG document, failing if it is not XML.
func svgText(t *testing.T, data []byte) string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	var text strings.Builder
	root := ""
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not valid XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = tok.Name.Local
			}
		case xml.CharData:
			text.Write(tok)
			text.WriteByte('\n')
		}
	}
	if root != "svg" {
		t.Fatalf("SVG root element is %q, want svg", root)
	}
	return text.String()
}

func TestSVGHasTitle(t *testing.T) {
	data, err := SVG(sampleBars(t), DefaultWidth, DefaultHeight)
	if err != nil {
		t.Fatal(err)
	}
	text := svgText(t, data)
	for _, want := range []string{"Label balance", "negative", "positive", "train", "dev", "test", "examples"} {
		if !strings.Contains(text, want) {
			t.Errorf("SVG text lacks %q", want)
		}
	}
}

func TestSave(t *testing.T) {
	p := sampleBars(t)
	dir := t.TempDir()
	for _, tc := range []struct{ name, prefix string }{
		{"a.png", string(pngSignature)},
		{"b.SVG", "<?xml"},
		{"c.pdf", "%PDF-"},
	} {
		path := filepath.Join(dir, tc.name)
		if err := Save(p, path, DefaultWidth, DefaultHeight); err != nil {
			t.Fatalf("Save(%s): %v", tc.name, err)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(data, []byte(tc.prefix)) {
			t.Errorf("%s starts with %q, want %q", tc.name, data[:min(len(data), 8)], tc.prefix)
		}
	}
	for _, bad := range []string{"d.gif", "noext"} {
		err := Save(p, filepath.Join(dir, bad), DefaultWidth, DefaultHeight)
		if err == nil || !strings.Contains(err.Error(), ".png") {
			t.Errorf("Save(%s): err = %v, want one listing the supported extensions", bad, err)
		}
	}
	if err := Save(p, filepath.Join(dir, "missing", "e.png"), DefaultWidth, DefaultHeight); err == nil {
		t.Errorf("Save into a missing folder: want error")
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{"a.png", "b.SVG", "c.pdf"}; !reflect.DeepEqual(names, want) {
		t.Errorf("folder holds %q, want exactly %q (no temporary files)", names, want)
	}
}

func TestShowOutsideNotebook(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	t.Setenv(DirEnvVar, dir)
	path, err := show(sampleBars(t), DefaultWidth, DefaultHeight)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(path) != dir || !strings.HasSuffix(path, "-label-balance.png") {
		t.Errorf("Show wrote %s, want <n>-label-balance.png in %s", path, dir)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("Show's file is not a PNG: %v", err)
	}
	if got := img.Bounds().Size(); got.X != 605 || got.Y != 378 {
		t.Errorf("Show's PNG is %d × %d, want 605 × 378", got.X, got.Y)
	}
	if err := Show(nil); err == nil {
		t.Errorf("Show(nil): want error")
	}
}

func TestFormatTick(t *testing.T) {
	for v, want := range map[float64]string{0: "0", 250: "250", 0.5: "0.5", 0.1 + 0.2: "0.3", 2e6: "2e+06", -1.25: "-1.25", 1e-5: "1e-05"} {
		if got := formatTick(v); got != want {
			t.Errorf("formatTick(%v) = %q, want %q", v, got, want)
		}
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"Label balance (train/dev)": "label-balance-train-dev",
		"  ":                        "plot",
		"Längen: Sätze":             "längen-sätze",
	} {
		if got := slug(in); got != want {
			t.Errorf("slug(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestBarErrors(t *testing.T) {
	if _, err := Bar("x", []string{"a", "b"}, []float64{1}); err == nil || !strings.Contains(err.Error(), "1 values for 2 categories") {
		t.Errorf("Bar with 2 labels and 1 value: err = %v", err)
	}
	if _, err := Bar("x", nil, nil); err == nil {
		t.Errorf("Bar with no labels: want error")
	}
	if _, err := Bar("x", []string{"a"}, []float64{math.NaN()}); err == nil {
		t.Errorf("Bar with NaN: want error")
	}
	if _, err := Bars("x", []string{"a"}, nil); err == nil {
		t.Errorf("Bars with no series: want error")
	}
	p, err := Bar("ok", []string{"a", "b", "c"}, []float64{3, 1, 2})
	if err != nil {
		t.Fatal(err)
	}
	if p.Y.Min != 0 || p.Y.Max != 3 {
		t.Errorf("Bar Y range = [%v, %v], want [0, 3]", p.Y.Min, p.Y.Max)
	}
}

func TestBin(t *testing.T) {
	values := []float64{0, 1, 1.9, 2, 3.5, 4, 4, 10, -1}
	b, err := Bin(values, 4, 0, 4)
	if err != nil {
		t.Fatal(err)
	}
	if want := []float64{0, 1, 2, 3, 4}; !reflect.DeepEqual(b.Edges, want) {
		t.Errorf("Edges = %v, want %v", b.Edges, want)
	}
	// [0,1): 0 | [1,2): 1, 1.9 | [2,3): 2 | [3,4]: 3.5, 4, 4 ; 10 and -1 are outside.
	if want := []int{1, 2, 1, 3}; !reflect.DeepEqual(b.Counts, want) {
		t.Errorf("Counts = %v, want %v", b.Counts, want)
	}
	for _, bad := range []struct {
		n      int
		lo, hi float64
	}{{0, 0, 1}, {2, 1, 1}, {2, 0, math.Inf(1)}} {
		if _, err := Bin(values, bad.n, bad.lo, bad.hi); err == nil {
			t.Errorf("Bin(n=%d, [%v, %v]): want error", bad.n, bad.lo, bad.hi)
		}
	}
	lo, hi, err := Range([]float64{3, -2}, []float64{7})
	if err != nil || lo != -2 || hi != 7 {
		t.Errorf("Range = %v, %v, %v; want -2, 7", lo, hi, err)
	}
	if lo, hi, err := Range([]float64{5, 5}); err != nil || lo != 4.5 || hi != 5.5 {
		t.Errorf("Range of equal values = %v, %v, %v; want 4.5, 5.5", lo, hi, err)
	}
	if _, _, err := Range(nil); err == nil {
		t.Errorf("Range(nil): want error")
	}
}

func TestHistogram(t *testing.T) {
	lengths := []float64{1, 2, 2, 3, 3, 3, 4, 4, 5}
	p, err := Histogram("Sentence lengths", "tokens", lengths, 4)
	if err != nil {
		t.Fatal(err)
	}
	if p.X.Label.Text != "tokens" || p.Y.Label.Text != "count" {
		t.Errorf("labels = %q, %q; want tokens, count", p.X.Label.Text, p.Y.Label.Text)
	}
	// Bins of width 1 over [1, 5]: {1}, {2,2}, {3,3,3}, {4,4,5}. The tallest is 3.
	if p.Y.Min != 0 || p.Y.Max != 3 || p.X.Min != 1 || p.X.Max != 5 {
		t.Errorf("axes = x[%v, %v] y[%v, %v]; want x[1, 5] y[0, 3]", p.X.Min, p.X.Max, p.Y.Min, p.Y.Max)
	}
	if _, err := Histogram("x", "", nil, 3); err == nil {
		t.Errorf("Histogram of no values: want error")
	}
	if _, err := Histogram("x", "", lengths, 0); err == nil {
		t.Errorf("Histogram with 0 bins: want error")
	}
	if _, err := Histograms("x", "", 3, Series{Name: "a", Values: []float64{1, math.Inf(1)}}); err == nil {
		t.Errorf("Histograms with +Inf: want error")
	}
	p, err = Histograms("Lengths", "tokens", 5, Series{Name: "train", Values: lengths}, Series{Name: "test", Values: []float64{8, 9}})
	if err != nil {
		t.Fatal(err)
	}
	if p.X.Min != 1 || p.X.Max != 9 {
		t.Errorf("overlaid histograms share bins over [%v, %v], want [1, 9]", p.X.Min, p.X.Max)
	}
}

func TestLines(t *testing.T) {
	p, err := Lines("Loss", "step", "loss",
		XYSeries{Name: "train", X: []float64{10, 20, 30}, Y: []float64{2, 1, 0.5}},
		XYSeries{Name: "dev", Y: []float64{2.5, 1.5}})
	if err != nil {
		t.Fatal(err)
	}
	if p.X.Min != 0 || p.X.Max != 30 || p.Y.Min != 0.5 {
		t.Errorf("axes = x[%v, %v] y min %v; want x[0, 30] y min 0.5", p.X.Min, p.X.Max, p.Y.Min)
	}
	if _, err := Lines("x", "", "", XYSeries{X: []float64{1}, Y: []float64{1, 2}}); err == nil {
		t.Errorf("Lines with len(X) != len(Y): want error")
	}
	if _, err := Lines("x", "", ""); err == nil {
		t.Errorf("Lines with no series: want error")
	}
	if _, err := Lines("x", "", "", XYSeries{Y: []float64{1, math.NaN()}}); err == nil {
		t.Errorf("Lines with NaN: want error")
	}
}

// TestRenderSamples writes sample charts to $PLOTS_SAMPLES (if set), to look at them.
func TestRenderSamples(t *testing.T) {
	dir := os.Getenv("PLOTS_SAMPLES")
	if dir == "" {
		t.Skip("set $PLOTS_SAMPLES to a folder to write sample charts there")
	}
	hist, err := Histograms("Sentence length", "tokens", 20,
		Series{Name: "train", Values: []float64{5, 7, 8, 9, 9, 10, 11, 12, 12, 13, 14, 15, 18, 20, 22, 25, 30, 9, 10, 11, 12}},
		Series{Name: "test", Values: []float64{6, 8, 9, 10, 12, 13, 15, 16, 19, 24, 28, 33}})
	if err != nil {
		t.Fatal(err)
	}
	lines, err := Lines("Learning curves", "step", "loss",
		XYSeries{Name: "train loss", X: []float64{0, 100, 200, 300, 400, 500}, Y: []float64{0.69, 0.52, 0.41, 0.35, 0.31, 0.28}},
		XYSeries{Name: "dev loss", X: []float64{0, 100, 200, 300, 400, 500}, Y: []float64{0.69, 0.55, 0.46, 0.43, 0.42, 0.43}})
	if err != nil {
		t.Fatal(err)
	}
	single, err := Bar("Label balance (train)", []string{"negative", "positive"}, []float64{3310, 3610})
	if err != nil {
		t.Fatal(err)
	}
	for name, p := range map[string]*plot.Plot{"bars.png": sampleBars(t), "hist.png": hist, "lines.png": lines, "bar.png": single, "bars.svg": sampleBars(t)} {
		if err := Save(p, filepath.Join(dir, name), DefaultWidth, DefaultHeight); err != nil {
			t.Fatal(err)
		}
	}
}

func TestScatter(t *testing.T) {
	p, err := Scatter("PCA", "PC1", "PC2",
		XYSeries{Name: "negative", X: []float64{-1, -2}, Y: []float64{0, 1}},
		XYSeries{Name: "positive", X: []float64{3}, Y: []float64{-4}})
	if err != nil {
		t.Fatal(err)
	}
	if p.X.Min != -2 || p.X.Max != 3 || p.Y.Min != -4 {
		t.Errorf("axes = x[%v, %v] y min %v; want x[-2, 3] y min -4", p.X.Min, p.X.Max, p.Y.Min)
	}
	svg, err := SVG(p, DefaultWidth, DefaultHeight)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"PCA", "negative", "positive", "PC1"} {
		if !strings.Contains(string(svg), want) {
			t.Errorf("scatter SVG lacks %q", want)
		}
	}
	for _, bad := range [][]XYSeries{
		nil,
		{{Name: "no X", Y: []float64{1}}},
		{{Name: "empty"}},
		{{Name: "nan", X: []float64{math.NaN()}, Y: []float64{1}}},
	} {
		if _, err := Scatter("x", "", "", bad...); err == nil {
			t.Errorf("Scatter(%+v): want an error", bad)
		}
	}
}
