//go:build unix

package notebooks

import (
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const (
	// tourNotebook is the notebook the browser test runs.
	tourNotebook = "00-tour.ipynb"
	// browserOutDir is where the browser test leaves its screenshots, relative to notebooks/.
	browserOutDir = "../out/browser"
	// runAllTimeout bounds the run of every cell of the tour in quick mode (about 20 s on an
	// idle 2-core machine).
	runAllTimeout = 8 * time.Minute
)

// noSaveConfig is a Jupyter configuration whose contents manager refuses to save: the test
// runs the real notebooks, and Jupyter's autosave must not write its quick-mode outputs over
// them.
const noSaveConfig = `
from notebook.services.contents.largefilemanager import LargeFileManager
from tornado import web

class NoSaveContentsManager(LargeFileManager):
    def save(self, model, path=""):
        raise web.HTTPError(403, "the browser test never saves notebooks")

c.NotebookApp.contents_manager_class = NoSaveContentsManager
`

// serveNotebooks starts `.ci/notebooks.sh serve` (what `make notebooks` runs after setup) on a
// free loopback port, in quick mode, with a configuration that never saves notebooks. The
// server stops at the end of the test.
func serveNotebooks(t *testing.T) *jupyterServer {
	t.Helper()
	port := freePort(t)
	configDir := t.TempDir()
	if err := os.WriteFile(filepath.Join(configDir, "jupyter_notebook_config.py"), []byte(noSaveConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("../.ci/notebooks.sh", "serve")
	cmd.Env = append(os.Environ(),
		"IP=127.0.0.1", fmt.Sprintf("PORT=%d", port), "JUPYTER_TOKEN="+testToken, "TLKIT_QUICK=1",
		"JUPYTER_RUNTIME_DIR="+t.TempDir(), "JUPYTER_CONFIG_DIR="+configDir)
	return startJupyter(t, cmd, port, ".ci/notebooks.sh serve")
}

// pageState is what the browser shows of a notebook.
type pageState struct {
	Prompts []string    `json:"prompts"` // Each code cell's prompt: "In [3]:", "In [*]:", "In [ ]:".
	Busy    bool        `json:"busy"`    // The kernel indicator is not idle.
	Errors  []cellText  `json:"errors"`  // Error and stderr outputs.
	Images  []cellImage `json:"images"`  // Inline PNG images and SVG plots in outputs.
	Outputs int         `json:"outputs"` // Output areas.
}

type cellText struct {
	Cell int    `json:"cell"` // Index among the code cells.
	Text string `json:"text"`
}

type cellImage struct {
	Cell   int     `json:"cell"`
	Tag    string  `json:"tag"`
	Src    string  `json:"src"` // The start of an img's src.
	Width  float64 `json:"w"`
	Height float64 `json:"h"`
}

// pageStateJS reads a pageState from the classic Jupyter Notebook page.
const pageStateJS = `
const cells = Array.from(document.querySelectorAll('#notebook-container .cell.code_cell'));
const at = (e) => cells.indexOf(e.closest('.cell'));
return {
  prompts: cells.map(c => ((c.querySelector('.input_prompt') || {}).textContent || '').replace(/\s+/g, ' ').trim()),
  busy: !document.querySelector('#kernel_indicator_icon.kernel_idle_icon'),
  errors: Array.from(document.querySelectorAll('.output_area .output_error, .output_area .output_stderr'))
    .map(e => ({cell: at(e), text: e.textContent.slice(0, 800)})),
  images: Array.from(document.querySelectorAll('.output_area .output_png img, .output_area .output_svg svg'))
    .map(i => ({cell: at(i), tag: i.tagName, src: (i.getAttribute('src') || '').slice(0, 22),
      w: i.naturalWidth || i.getBoundingClientRect().width, h: i.naturalHeight || i.getBoundingClientRect().height})),
  outputs: document.querySelectorAll('.output_area').length,
};`

// state returns what the page shows now.
func state(t *testing.T, wd *webDriver) pageState {
	t.Helper()
	var st pageState
	if err := wd.exec(pageStateJS, &st); err != nil {
		t.Fatalf("reading the page: %v", err)
	}
	return st
}

// pending reports whether a code cell is queued or running ("In [*]").
func (st pageState) pending() bool {
	for _, p := range st.Prompts {
		if strings.Contains(p, "*") {
			return true
		}
	}
	return false
}

// unrun returns the indices of the code cells without an execution count.
func (st pageState) unrun() []int {
	var out []int
	for i, p := range st.Prompts {
		if !strings.ContainsAny(p, "0123456789") {
			out = append(out, i)
		}
	}
	return out
}

// waitIdle waits until the kernel is idle with no cell queued, for two polls a second apart,
// and returns the page's state.
func waitIdle(t *testing.T, wd *webDriver, timeout time.Duration) pageState {
	t.Helper()
	deadline := time.Now().Add(timeout)
	quiet := 0
	for {
		st := state(t, wd)
		if !st.Busy && !st.pending() {
			if quiet++; quiet >= 2 {
				return st
			}
		} else {
			quiet = 0
		}
		if time.Now().After(deadline) {
			t.Fatalf("the notebook still runs after %s: prompts %q", timeout, st.Prompts)
		}
		time.Sleep(time.Second)
	}
}

// fileSum returns the sha256 of the file at path.
func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(raw)
}

// TestTourInTheBrowser is the user's path, end to end: `.ci/notebooks.sh serve` (what `make
// notebooks` starts) serves the notebooks, headless Chromium opens 00-tour, clears its saved
// outputs and runs every cell with the Cell ▸ Run All menu, in quick mode. Every cell must
// run, no cell may show an error, and the inline plots must render as images. A cell that
// panics, added at the end, must show as an error (the check can fail). Screenshots go to
// out/browser/. The notebook file is never saved.
func TestTourInTheBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the tour notebook in a browser (about a minute)")
	}
	requireGoNB(t)
	requireChromium(t)
	before := fileSum(t, tourNotebook)
	_, statErr := os.Stat(".ipynb_checkpoints")
	t.Cleanup(func() {
		if fileSum(t, tourNotebook) != before {
			t.Errorf("%s changed on disk during the test: the browser test must never save it", tourNotebook)
		}
		if statErr != nil {
			_ = os.Remove(".ipynb_checkpoints") // The empty folder Jupyter made (ignored by git); never a full one.
		}
	})
	s := serveNotebooks(t)
	wd := startWebDriver(t, 1280, 1000)
	start := time.Now()
	if err := wd.navigate(s.baseURL + "/notebooks/" + tourNotebook + "?token=" + testToken); err != nil {
		t.Fatal(err)
	}
	wd.waitFor(t, "the notebook page with a connected, idle GoNB kernel", 3*time.Minute, `
return !!(window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded && Jupyter.notebook.kernel &&
  Jupyter.notebook.kernel.is_connected() && document.querySelector('#kernel_indicator_icon.kernel_idle_icon'));`)
	t.Logf("page and kernel ready in %s", time.Since(start).Round(time.Second))

	// Cell ▸ All Output ▸ Clear: the saved (full-mode) outputs must not count.
	for _, step := range []func() error{
		func() error { return wd.click("#celllink") },
		func() error { return wd.hover("#all_outputs > a") },
		func() error { return wd.click("#clear_all_output > a") },
	} {
		if err := step(); err != nil {
			t.Fatalf("Cell ▸ All Output ▸ Clear: %v", err)
		}
	}
	if st := state(t, wd); st.Outputs != 0 || len(st.Images) != 0 {
		t.Fatalf("after Cell ▸ All Output ▸ Clear: %d outputs, %d images remain", st.Outputs, len(st.Images))
	}

	// Cell ▸ Run All.
	runStart := time.Now()
	if err := wd.click("#celllink"); err != nil {
		t.Fatal(err)
	}
	if err := wd.click("#run_all_cells > a"); err != nil {
		t.Fatal(err)
	}
	wd.waitFor(t, "Run All to start", time.Minute, `
return Array.from(document.querySelectorAll('.code_cell .input_prompt')).some(p => /\*|\d/.test(p.textContent));`)
	st := waitIdle(t, wd, runAllTimeout)
	t.Logf("Run All: %d code cells in %s; prompts %q", len(st.Prompts), time.Since(runStart).Round(time.Second), st.Prompts)

	for _, e := range st.Errors {
		t.Errorf("code cell %d shows an error:\n%s", e.Cell, e.Text)
	}
	if unrun := st.unrun(); len(unrun) > 0 {
		t.Errorf("code cells %v did not run (prompts %q)", unrun, st.Prompts)
	}
	var rendered []cellImage
	for _, img := range st.Images {
		if img.Width > 0 && img.Height > 0 && (img.Tag == "svg" || strings.HasPrefix(img.Src, "data:image/png")) {
			rendered = append(rendered, img)
		}
	}
	if len(rendered) == 0 {
		t.Errorf("no inline plot rendered (images: %+v)", st.Images)
	} else {
		t.Logf("%d inline plots rendered, e.g. code cell %d: %s %.0f×%.0f", len(rendered), rendered[0].Cell, rendered[0].Tag, rendered[0].Width, rendered[0].Height)
	}

	// Screenshots: the first plot in its page, and the plot alone.
	if err := os.MkdirAll(browserOutDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if len(rendered) > 0 {
		if err := wd.exec(`document.querySelector('.output_area .output_png img, .output_area .output_svg svg').scrollIntoView({block: 'center'});`, nil); err != nil {
			t.Fatal(err)
		}
		time.Sleep(500 * time.Millisecond)
	}
	for name, css := range map[string]string{"00-tour.png": "", "00-tour-plot.png": ".output_area .output_png img"} {
		if css != "" && len(rendered) == 0 {
			continue
		}
		png, err := wd.screenshot(css)
		if err != nil {
			t.Errorf("screenshot %s: %v", name, err)
			continue
		}
		path := filepath.Join(browserOutDir, name)
		if err := os.WriteFile(path, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: out/browser/%s (%d bytes)", name, len(png))
	}

	// The check must be able to fail: a cell that panics, run with Cell ▸ Run Cells, shows as
	// an error.
	if err := wd.exec(`const c = Jupyter.notebook.insert_cell_at_bottom('code');
c.set_text('%%\npanic("browser test: a cell that fails")');
Jupyter.notebook.select(Jupyter.notebook.ncells() - 1);`, nil); err != nil {
		t.Fatal(err)
	}
	if err := wd.click("#celllink"); err != nil {
		t.Fatal(err)
	}
	if err := wd.click("#run_cell > a"); err != nil {
		t.Fatal(err)
	}
	wd.waitFor(t, "the failing cell to run", 3*time.Minute, `
const p = Array.from(document.querySelectorAll('.code_cell .input_prompt')).pop();
return /\d/.test(p.textContent) && !!document.querySelector('#kernel_indicator_icon.kernel_idle_icon');`)
	failing := state(t, wd)
	last := len(failing.Prompts) - 1
	found := false
	for _, e := range failing.Errors {
		if e.Cell == last && strings.Contains(e.Text, "browser test: a cell that fails") {
			found = true
			t.Logf("the panicking cell shows the error %q", firstLine(strings.TrimSpace(e.Text)))
		}
	}
	if !found {
		var html string
		_ = wd.exec(`return Array.from(document.querySelectorAll('.code_cell')).pop().querySelector('.output_wrapper').outerHTML;`, &html)
		t.Errorf("a panicking cell shows no error output, so errors would go unnoticed; its output:\n%s", html)
	}
}
