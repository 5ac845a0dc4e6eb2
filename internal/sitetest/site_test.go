package sitetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// webDriver is a minimal W3C WebDriver client for chromedriver.
type webDriver struct {
	t       *testing.T
	base    string
	session string
}

// call sends one WebDriver command and returns its "value".
func (d *webDriver) call(method, path string, body any) json.RawMessage {
	d.t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			d.t.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, d.base+path, r)
	if err != nil {
		d.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		d.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	var out struct{ Value json.RawMessage }
	raw, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(raw, &out); err != nil || resp.StatusCode != http.StatusOK {
		d.t.Fatalf("%s %s: status %d: %s", method, path, resp.StatusCode, raw)
	}
	return out.Value
}

// script runs JavaScript in the page and returns its result.
func (d *webDriver) script(js string) json.RawMessage {
	d.t.Helper()
	return d.call("POST", "/session/"+d.session+"/execute/sync", map[string]any{"script": js, "args": []any{}})
}

// startChrome starts chromedriver on a free port and a headless Chromium session.
func startChrome(t *testing.T) *webDriver {
	for _, bin := range []string{"/usr/bin/chromium", "/usr/bin/chromedriver"} {
		if _, err := os.Stat(bin); err != nil {
			t.Skipf("%s is missing (Debian packages chromium and chromium-driver; make setup installs them)", bin)
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command("/usr/bin/chromedriver", fmt.Sprintf("--port=%d", port))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	d := &webDriver{t: t, base: fmt.Sprintf("http://127.0.0.1:%d", port)}
	for start := time.Now(); ; time.Sleep(100 * time.Millisecond) {
		if resp, err := http.Get(d.base + "/status"); err == nil {
			resp.Body.Close()
			break
		}
		if time.Since(start) > 20*time.Second {
			t.Fatal("chromedriver did not start in 20 s")
		}
	}
	caps := map[string]any{"capabilities": map[string]any{"alwaysMatch": map[string]any{
		"browserName": "chrome",
		"goog:chromeOptions": map[string]any{"binary": "/usr/bin/chromium",
			"args": []string{"--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"}},
	}}}
	var s struct{ SessionID string }
	if err := json.Unmarshal(d.call("POST", "/session", caps), &s); err != nil || s.SessionID == "" {
		t.Fatalf("no WebDriver session: %v", err)
	}
	d.session = s.SessionID
	t.Cleanup(func() { d.call("DELETE", "/session/"+d.session, nil) })
	return d
}

// TestSite renders two notebooks with .ci/site.py, opens the index in Chromium, follows the
// link to notebook 02 and checks that its plots loaded and that it links back.
func TestSite(t *testing.T) {
	if err := exec.Command("/usr/bin/python3", "-c", "import nbconvert").Run(); err != nil {
		t.Skip("Debian's python3 has no nbconvert (make setup installs jupyter-nbconvert)")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	cmd := exec.Command("/usr/bin/python3", ".ci/site.py", "--out", out, "notebooks/00-tour.ipynb", "notebooks/02-feature-extraction.ipynb")
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("site.py: %v\n%s", err, b)
	}
	d := startChrome(t)
	d.call("POST", "/session/"+d.session+"/url", map[string]string{"url": "file://" + filepath.Join(out, "index.html")})
	if got := string(d.script(`return document.querySelectorAll("ol > li h2 a").length`)); got != "2" {
		t.Fatalf("index lists %s notebooks, want 2", got)
	}
	var index string
	json.Unmarshal(d.script(`return document.body.innerText`), &index)
	for _, want := range []string{"02 · ", "time to run", "How"} {
		if !strings.Contains(index, want) {
			t.Errorf("index lacks %q:\n%s", want, index)
		}
	}
	var el map[string]string
	json.Unmarshal(d.call("POST", "/session/"+d.session+"/element", map[string]string{"using": "css selector", "value": `a[href="02-feature-extraction.html"]`}), &el)
	for _, id := range el {
		d.call("POST", "/session/"+d.session+"/element/"+id+"/click", map[string]any{})
	}
	var loaded, total int
	for start := time.Now(); time.Since(start) < 20*time.Second; time.Sleep(200 * time.Millisecond) {
		json.Unmarshal(d.script(`return Array.from(document.images).filter(i => i.complete && i.naturalWidth > 0).length`), &loaded)
		json.Unmarshal(d.script(`return document.images.length`), &total)
		if loaded > 0 && loaded == total {
			break
		}
	}
	var url string
	json.Unmarshal(d.script(`return location.href`), &url)
	if !strings.HasSuffix(url, "/02-feature-extraction.html") {
		t.Fatalf("the link led to %s", url)
	}
	t.Logf("%s: %d of %d images loaded", url, loaded, total)
	if loaded == 0 || loaded != total {
		t.Errorf("%d of %d images loaded on %s; want all of them, at least one", loaded, total, url)
	}
	if got := string(d.script(`return document.querySelectorAll('a[href="index.html"]').length`)); got == "0" {
		t.Error("the notebook page has no link back to the index")
	}
}
