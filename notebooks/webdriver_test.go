//go:build unix

package notebooks

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A minimal client of the W3C WebDriver protocol (https://www.w3.org/TR/webdriver2/), enough
// to drive headless Chromium through chromedriver: sessions, navigation, elements, clicks,
// pointer moves, scripts and screenshots.

const (
	chromiumBin     = "/usr/bin/chromium"
	chromedriverBin = "/usr/bin/chromedriver"
	// webElementKey is the JSON key of an element reference in WebDriver messages.
	webElementKey = "element-6066-11e4-a52e-4f735466cecf"
)

// webDriver is a WebDriver session of a chromedriver process started by the test.
type webDriver struct {
	base    string // http://127.0.0.1:PORT
	session string // Path prefix /session/ID.
	client  *http.Client
}

// requireChromium skips the test when Chromium or chromedriver is not installed.
func requireChromium(t *testing.T) {
	t.Helper()
	for _, bin := range []string{chromiumBin, chromedriverBin} {
		if _, err := os.Stat(bin); err != nil {
			t.Skipf("%s not found (%v): run `make setup` (.ci/setup.sh installs Debian's chromium and chromium-driver)", bin, err)
		}
	}
}

// startWebDriver starts chromedriver on a free port and a headless Chromium session with a
// window of width×height pixels; both end with the test.
func startWebDriver(t *testing.T, width, height int) *webDriver {
	t.Helper()
	port := freePort(t)
	cmd := exec.Command(chromedriverBin, fmt.Sprintf("--port=%d", port))
	var log syncBuffer
	cmd.Stdout, cmd.Stderr = &log, &log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", chromedriverBin, err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	wd := &webDriver{base: fmt.Sprintf("http://127.0.0.1:%d", port), client: &http.Client{Timeout: 60 * time.Second}}
	t.Cleanup(func() {
		if wd.session != "" {
			_, _ = wd.do(http.MethodDelete, "", nil)
		}
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
	})
	for deadline := time.Now().Add(30 * time.Second); ; {
		var status struct {
			Ready bool `json:"ready"`
		}
		raw, err := wd.do(http.MethodGet, "/status", nil)
		if err == nil && json.Unmarshal(raw, &status) == nil && status.Ready {
			break
		}
		select {
		case <-done:
			t.Fatalf("chromedriver exited: %s", log.String())
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("chromedriver not ready after 30 s (%v): %s", err, log.String())
		}
	}
	args := []string{"--headless=new", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
		"--user-data-dir=" + t.TempDir(), fmt.Sprintf("--window-size=%d,%d", width, height)}
	if os.Geteuid() == 0 {
		args = append(args, "--no-sandbox") // Chromium refuses to run as root in its sandbox.
	}
	caps := map[string]any{"capabilities": map[string]any{"alwaysMatch": map[string]any{
		"browserName":        "chrome",
		"goog:chromeOptions": map[string]any{"binary": chromiumBin, "args": args},
	}}}
	raw, err := wd.do(http.MethodPost, "/session", caps)
	if err != nil {
		t.Fatalf("starting a Chromium session: %v\nchromedriver: %s", err, log.String())
	}
	var sess struct {
		SessionID string `json:"sessionId"`
	}
	if err := json.Unmarshal(raw, &sess); err != nil || sess.SessionID == "" {
		t.Fatalf("new session: unexpected answer %s (%v)", raw, err)
	}
	wd.session = "/session/" + sess.SessionID
	return wd
}

// do sends a WebDriver command (path relative to the session, or absolute like "/status"
// before there is one) and returns its "value".
func (wd *webDriver) do(method, path string, body any) (json.RawMessage, error) {
	if path != "/status" && path != "/session" {
		path = wd.session + path
	}
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(raw)
	} else if method == http.MethodPost {
		rd = strings.NewReader("{}")
	}
	req, err := http.NewRequest(method, wd.base+path, rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := wd.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	var answer struct {
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(raw, &answer); err != nil {
		return nil, fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, raw)
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error   string `json:"error"`
			Message string `json:"message"`
		}
		_ = json.Unmarshal(answer.Value, &e)
		return nil, fmt.Errorf("%s %s: %s: %s", method, path, e.Error, firstLine(e.Message))
	}
	return answer.Value, nil
}

// firstLine returns the first line of s.
func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// navigate opens url.
func (wd *webDriver) navigate(url string) error {
	_, err := wd.do(http.MethodPost, "/url", map[string]string{"url": url})
	return err
}

// find returns the first element matching the CSS selector.
func (wd *webDriver) find(css string) (string, error) {
	raw, err := wd.do(http.MethodPost, "/element", map[string]string{"using": "css selector", "value": css})
	if err != nil {
		return "", err
	}
	var ref map[string]string
	if err := json.Unmarshal(raw, &ref); err != nil || ref[webElementKey] == "" {
		return "", fmt.Errorf("element %q: unexpected answer %s", css, raw)
	}
	return ref[webElementKey], nil
}

// click clicks the element matching css, as a user's mouse does.
func (wd *webDriver) click(css string) error {
	id, err := wd.find(css)
	if err != nil {
		return err
	}
	_, err = wd.do(http.MethodPost, "/element/"+id+"/click", nil)
	if err != nil {
		return fmt.Errorf("clicking %q: %w", css, err)
	}
	return nil
}

// hover moves the mouse onto the element matching css (opening, e.g., a submenu).
func (wd *webDriver) hover(css string) error {
	id, err := wd.find(css)
	if err != nil {
		return err
	}
	_, err = wd.do(http.MethodPost, "/actions", map[string]any{"actions": []any{map[string]any{
		"type": "pointer", "id": "mouse", "parameters": map[string]string{"pointerType": "mouse"},
		"actions": []any{map[string]any{"type": "pointerMove", "duration": 100,
			"origin": map[string]string{webElementKey: id}, "x": 0, "y": 0}},
	}}})
	return err
}

// exec runs the JavaScript function body script with args and decodes its return value
// into result (if not nil).
func (wd *webDriver) exec(script string, result any, args ...any) error {
	if args == nil {
		args = []any{}
	}
	raw, err := wd.do(http.MethodPost, "/execute/sync", map[string]any{"script": script, "args": args})
	if err != nil {
		return err
	}
	if result == nil {
		return nil
	}
	return json.Unmarshal(raw, result)
}

// waitFor polls the JavaScript condition script (a function body returning a boolean) until
// it is true, or fails after timeout with what describe (if not nil) says.
func (wd *webDriver) waitFor(t *testing.T, what string, timeout time.Duration, script string) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var last error
	for {
		var ok bool
		if last = wd.exec(script, &ok); last == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not after %s (last error: %v)", what, timeout, last)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// screenshot returns a PNG of the viewport, or of the element matching css when css is not "".
func (wd *webDriver) screenshot(css string) ([]byte, error) {
	path := "/screenshot"
	if css != "" {
		id, err := wd.find(css)
		if err != nil {
			return nil, err
		}
		path = "/element/" + id + "/screenshot"
	}
	raw, err := wd.do(http.MethodGet, path, nil)
	if err != nil {
		return nil, err
	}
	var b64 string
	if err := json.Unmarshal(raw, &b64); err != nil {
		return nil, err
	}
	png, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(png, []byte("\x89PNG")) {
		return nil, errors.New("screenshot is not a PNG")
	}
	return png, nil
}
