package plots

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"unicode"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/nlp-transfer/gotl/internal/atomicfile"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

// DirEnvVar names the environment variable with the folder where Show writes PNG files
// when not running in a notebook. Unset or empty means DefaultDir.
const DirEnvVar = "TLKIT_PLOTS"

// DefaultDir is the folder, relative to the working directory, where Show writes PNG
// files outside a notebook when $TLKIT_PLOTS is not set.
const DefaultDir = "plots-out"

// formats are the file extensions Save accepts, in lower case.
var formats = []string{".png", ".svg", ".pdf"}

// render draws p at the given size into the named format ("png", "svg" or "pdf").
func render(p *plot.Plot, w, h vg.Length, format string) ([]byte, error) {
	if p == nil {
		return nil, fmt.Errorf("plots: nil plot")
	}
	if w <= 0 || h <= 0 {
		return nil, fmt.Errorf("plots: size %v × %v; want positive width and height", w, h)
	}
	wt, err := p.WriterTo(w, h, format)
	if err != nil {
		return nil, fmt.Errorf("plots: rendering %q as %s: %w", p.Title.Text, format, err)
	}
	var buf bytes.Buffer
	if _, err := wt.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("plots: rendering %q as %s: %w", p.Title.Text, format, err)
	}
	return buf.Bytes(), nil
}

// PNG renders p as a PNG image of w × h (at 96 dots per inch: DefaultWidth ×
// DefaultHeight is 605 × 378 pixels).
func PNG(p *plot.Plot, w, h vg.Length) ([]byte, error) { return render(p, w, h, "png") }

// SVG renders p as an SVG document of w × h.
func SVG(p *plot.Plot, w, h vg.Length) ([]byte, error) { return render(p, w, h, "svg") }

// Save writes p to path at size w × h, in the format named by the extension of path:
// .png, .svg or .pdf (any case). The file is written to a temporary file in the same
// folder and renamed into place, so path is never left half-written. The folder must
// exist.
func Save(p *plot.Plot, path string, w, h vg.Length) error {
	ext := strings.ToLower(filepath.Ext(path))
	known := false
	for _, f := range formats {
		known = known || ext == f
	}
	if !known {
		return fmt.Errorf("plots.Save %s: unknown extension %q; use one of %s", path, filepath.Ext(path), strings.Join(formats, ", "))
	}
	data, err := render(p, w, h, ext[1:])
	if err != nil {
		return fmt.Errorf("plots.Save %s: %w", path, err)
	}
	if err := atomicfile.WriteFile(path, data); err != nil {
		return fmt.Errorf("plots.Save: %w", err)
	}
	return nil
}

// showCount numbers the files that Show writes outside a notebook, in order, so that
// re-running a program overwrites its previous charts instead of piling up new ones.
var showCount atomic.Int64

// Show displays p at DefaultWidth × DefaultHeight. In a GoNB notebook cell it renders the
// chart inline as a PNG. Elsewhere (a program, a test, a script) it writes the PNG into
// the folder $TLKIT_PLOTS (default ./plots-out, created if missing) as
// NNN-<title>.png, NNN counting the charts shown by this process, and prints
// "plots: wrote <path>".
func Show(p *plot.Plot) error {
	_, err := show(p, DefaultWidth, DefaultHeight)
	return err
}

// MustShow is like Show, but panics on error. It is meant for notebook cells:
//
//	plots.MustShow(must.M1(plots.Bar("Labels", labels, counts)))
func MustShow(p *plot.Plot) {
	if err := Show(p); err != nil {
		panic(err)
	}
}

// show implements Show, returning the path written outside a notebook ("" in one).
func show(p *plot.Plot, w, h vg.Length) (string, error) {
	data, err := PNG(p, w, h)
	if err != nil {
		return "", fmt.Errorf("plots.Show: %w", err)
	}
	if gonbui.IsNotebook {
		gonbui.DisplayPNG(data)
		if err := gonbui.Error(); err != nil {
			return "", fmt.Errorf("plots.Show: displaying in the notebook: %w", err)
		}
		return "", nil
	}
	dir := os.Getenv(DirEnvVar)
	if dir == "" {
		dir = DefaultDir
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("plots.Show: creating the output folder (set $%s to choose another): %w", DirEnvVar, err)
	}
	path := filepath.Join(dir, fmt.Sprintf("%03d-%s.png", showCount.Add(1), slug(p.Title.Text)))
	if err := atomicfile.WriteFile(path, data); err != nil {
		return "", fmt.Errorf("plots.Show: %w", err)
	}
	fmt.Printf("plots: wrote %s\n", path)
	return path, nil
}

// slug turns a title into a file name part: lower-case letters and digits joined by
// '-', at most 60 runes, "plot" when empty.
func slug(title string) string {
	var b strings.Builder
	dash := false
	n := 0
	for _, r := range strings.ToLower(title) {
		if n >= 60 {
			break
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
				n++
			}
			b.WriteRune(r)
			n++
			dash = false
		} else {
			dash = true
		}
	}
	if b.Len() == 0 {
		return "plot"
	}
	return b.String()
}
