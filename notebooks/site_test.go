package notebooks

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSite renders two notebooks with .ci/site.py (what `make site` runs), opens the index in
// headless Chromium, follows its link to notebook 02 and checks that every plot on that page
// loaded and that the page links back to the index.
func TestSite(t *testing.T) {
	requireChromium(t)
	if err := exec.Command("/usr/bin/python3", "-c", "import nbconvert").Run(); err != nil {
		t.Skip("Debian's python3 has no nbconvert: run `make setup` (it installs jupyter-nbconvert)")
	}
	out := t.TempDir()
	cmd := exec.Command("/usr/bin/python3", "../.ci/site.py", "--out", out, "00-tour.ipynb", "02-feature-extraction.ipynb")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("site.py: %v\n%s", err, b)
	}
	wd := startWebDriver(t, 1200, 900)
	if err := wd.navigate("file://" + filepath.Join(out, "index.html")); err != nil {
		t.Fatal(err)
	}
	var links int
	var text string
	if err := wd.exec(`return document.querySelectorAll("ol > li h2 a").length`, &links); err != nil {
		t.Fatal(err)
	}
	if err := wd.exec(`return document.body.innerText`, &text); err != nil {
		t.Fatal(err)
	}
	if links != 2 {
		t.Errorf("the index links %d notebooks, want 2", links)
	}
	for _, want := range []string{"00 · ", "02 · ", "time to run"} {
		if !strings.Contains(text, want) {
			t.Errorf("the index lacks %q:\n%s", want, text)
		}
	}
	var learn int // each notebook's "What you will learn" list, under its title
	if err := wd.exec(`return document.querySelectorAll("ol > li ol > li").length`, &learn); err != nil {
		t.Fatal(err)
	}
	if learn < 4 {
		t.Errorf("the index shows %d items of what you will learn, want each notebook's list", learn)
	}
	if err := wd.click(`a[href="02-feature-extraction.html"]`); err != nil {
		t.Fatal(err)
	}
	wd.waitFor(t, "the notebook's images to load", 30*time.Second, `return location.href.endsWith("/02-feature-extraction.html") &&
		document.images.length > 0 && Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)`)
	var images int
	if err := wd.exec(`return document.images.length`, &images); err != nil {
		t.Fatal(err)
	}
	var back int
	if err := wd.exec(`return document.querySelectorAll('a[href="index.html"]').length`, &back); err != nil {
		t.Fatal(err)
	}
	t.Logf("notebook 02: %d images loaded", images)
	if back == 0 {
		t.Error("the notebook page has no link back to the index")
	}
}
