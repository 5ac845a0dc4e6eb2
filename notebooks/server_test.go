//go:build unix

package notebooks

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

const (
	// jupyterBin is Debian's Jupyter, installed by .ci/setup.sh. It runs on /usr/bin/python3,
	// not on whatever python3 comes first in PATH.
	jupyterBin = "/usr/bin/jupyter"
	// kernelName is the name under which .ci/setup.sh registers GoNB.
	kernelName = "gonb"
	// serverStartTimeout bounds how long the test waits for the server to answer.
	serverStartTimeout = 60 * time.Second
	testToken          = "gotl-server-test-token"
)

// kernelSpec is the part of a Jupyter kernel spec (kernel.json) the test checks.
type kernelSpec struct {
	Argv        []string          `json:"argv"`
	DisplayName string            `json:"display_name"`
	Language    string            `json:"language"`
	Env         map[string]string `json:"env"`
}

// requireGoNB skips the test when Jupyter or the GoNB kernel is not installed, and returns the
// installed GoNB kernel spec otherwise.
func requireGoNB(t *testing.T) kernelSpec {
	t.Helper()
	if _, err := os.Stat(jupyterBin); err != nil {
		t.Skipf("%s not found (%v): run `make setup` (.ci/setup.sh) to install Jupyter and the GoNB kernel", jupyterBin, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, jupyterBin, "kernelspec", "list", "--json").Output()
	if err != nil {
		t.Fatalf("%s kernelspec list --json: %v", jupyterBin, err)
	}
	var list struct {
		Kernelspecs map[string]struct {
			Spec kernelSpec `json:"spec"`
		} `json:"kernelspecs"`
	}
	if err := json.Unmarshal(out, &list); err != nil {
		t.Fatalf("parsing `jupyter kernelspec list --json`: %v\n%s", err, out)
	}
	ks, ok := list.Kernelspecs[kernelName]
	if !ok {
		t.Skipf("the %q Jupyter kernel is not registered: run `make setup` (.ci/setup.sh)", kernelName)
	}
	return ks.Spec
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("finding a free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// jupyterServer is a `jupyter notebook` process started by the test, in its own process group.
type jupyterServer struct {
	cmd     *exec.Cmd
	baseURL string
	done    chan struct{} // Closed when the process has exited.
	waitErr error         // Set before done is closed.
	log     *syncBuffer   // Server's stdout and stderr, with its kernels' logs.
}

// syncBuffer is a bytes.Buffer safe for one writer (the process's output) and concurrent readers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write implements io.Writer.
func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns everything written so far.
func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startServer starts `jupyter notebook` serving dir on a free port and registers its shutdown
// with t.Cleanup. It returns once the server answers API requests.
func startServer(t *testing.T, dir string) *jupyterServer {
	t.Helper()
	port := freePort(t)
	args := []string{"notebook", "--no-browser", "--ip=127.0.0.1", fmt.Sprintf("--port=%d", port),
		"--port-retries=0", "--notebook-dir=" + dir}
	if os.Geteuid() == 0 {
		args = append(args, "--allow-root")
	}
	cmd := exec.Command(jupyterBin, args...)
	// Runtime files and configuration go to temporary folders, so the test neither leaves files
	// behind nor depends on the user's Jupyter configuration (e.g. a password).
	cmd.Env = append(os.Environ(),
		"JUPYTER_TOKEN="+testToken,
		"JUPYTER_RUNTIME_DIR="+t.TempDir(),
		"JUPYTER_CONFIG_DIR="+t.TempDir(),
	)
	return startJupyter(t, cmd, port, "jupyter notebook")
}

// stop terminates the server's process group with SIGTERM (the server then shuts down its
// kernels), kills the group if the server has not exited 15 s later, and waits for it.
func (s *jupyterServer) stop(t *testing.T) {
	pgid := s.cmd.Process.Pid
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(15 * time.Second):
		t.Logf("jupyter notebook did not exit 15s after SIGTERM; killing its process group")
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-s.done
	}
	// Nothing the server started in its group may outlive the test.
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
}

// gonbWorkDirRE finds, in the server's output (which includes its kernels' logs), the work
// folders of the GoNB kernels it started, from the kernels' gopls socket paths.
var gonbWorkDirRE = regexp.MustCompile(`(/[^\s";]*/gonb_[0-9a-f]+)/gopls_socket`)

// cleanUpGoNB kills the gopls processes (with their process groups) left by the GoNB kernels
// that serverLog shows, and removes those kernels' work folders. It must run after the server
// has stopped.
//
// GoNB v0.11.4 can crash ("panic: close of closed channel") when Jupyter's shutdown request
// and SIGTERM reach a kernel together, as happens when a kernel is shut down right after it
// started; it then leaves its gopls (started in its own process group) running.
func cleanUpGoNB(t *testing.T, serverLog string) {
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline") // Linux only; elsewhere nothing to kill.
	seen := map[string]bool{}
	for _, m := range gonbWorkDirRE.FindAllStringSubmatch(serverLog, -1) {
		dir := m[1]
		if seen[dir] {
			continue
		}
		seen[dir] = true
		socket := []byte(dir + "/gopls_socket")
		for _, p := range procs {
			cmdline, err := os.ReadFile(p)
			if err != nil || !bytes.Contains(cmdline, socket) {
				continue
			}
			var pid int
			if _, err := fmt.Sscanf(p, "/proc/%d/cmdline", &pid); err != nil {
				continue
			}
			t.Logf("killing gopls (pid %d) left running by the test's GoNB kernel (work folder %s)", pid, dir)
			_ = syscall.Kill(-pid, syscall.SIGKILL) // gopls leads its own process group.
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
		if err := os.RemoveAll(dir); err != nil {
			t.Logf("removing GoNB work folder %s: %v", dir, err)
		}
	}
}

// do sends an authenticated API request and returns the body of a 2xx response.
func (s *jupyterServer) do(method, path string, body io.Reader) ([]byte, error) {
	req, err := http.NewRequest(method, s.baseURL+path, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "token "+testToken)
	client := &http.Client{Timeout: 30 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: reading body: %w", method, path, err)
	}
	if resp.StatusCode/100 != 2 {
		return nil, fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, data)
	}
	return data, nil
}

func (s *jupyterServer) get(path string) ([]byte, error) { return s.do(http.MethodGet, path, nil) }

// getJSON GETs path and decodes the JSON response into v, failing the test on error.
func (s *jupyterServer) getJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := s.get(path)
	if err != nil {
		t.Fatalf("%v\nserver output:\n%s", err, s.log)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("GET %s: decoding %q: %v", path, data, err)
	}
}

// TestJupyterServer starts `jupyter notebook` on the notebooks folder and checks through its
// REST API that the GoNB kernel is registered with GOEXPERIMENT=simd, that the server lists
// the notebooks, and that it can start and stop a GoNB kernel.
func TestJupyterServer(t *testing.T) {
	installed := requireGoNB(t)
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	s := startServer(t, dir)

	t.Run("kernelspecs", func(t *testing.T) {
		var specs struct {
			Default     string `json:"default"`
			Kernelspecs map[string]struct {
				Name string     `json:"name"`
				Spec kernelSpec `json:"spec"`
			} `json:"kernelspecs"`
		}
		s.getJSON(t, "/api/kernelspecs", &specs)
		ks, ok := specs.Kernelspecs[kernelName]
		if !ok {
			t.Fatalf("GET /api/kernelspecs does not list %q (installed: %v); got kernels %v",
				kernelName, installed.Argv, mapsKeys(specs.Kernelspecs))
		}
		if ks.Spec.Language != "go" {
			t.Errorf("kernel %q: language = %q, want \"go\"", kernelName, ks.Spec.Language)
		}
		if got := ks.Spec.Env["GOEXPERIMENT"]; got != "simd" {
			t.Errorf("kernel %q: env GOEXPERIMENT = %q, want \"simd\" (re-run `make setup`)", kernelName, got)
		}
		if len(ks.Spec.Argv) == 0 {
			t.Fatalf("kernel %q has an empty argv", kernelName)
		}
		if _, err := os.Stat(ks.Spec.Argv[0]); err != nil {
			t.Errorf("kernel %q: binary %s: %v (re-run `make setup`)", kernelName, ks.Spec.Argv[0], err)
		}
	})

	t.Run("contents", func(t *testing.T) {
		var listing struct {
			Type    string `json:"type"`
			Content []struct {
				Name string `json:"name"`
				Type string `json:"type"`
			} `json:"content"`
		}
		s.getJSON(t, "/api/contents", &listing)
		var served []string
		for _, c := range listing.Content {
			if c.Type == "notebook" {
				served = append(served, c.Name)
			}
		}
		onDisk, err := filepath.Glob(filepath.Join(dir, "*.ipynb"))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range onDisk {
			if name := filepath.Base(p); !slices.Contains(served, name) {
				t.Errorf("GET /api/contents does not list notebook %s; it lists %v", name, served)
			}
		}
		if _, err := os.Stat(filepath.Join(dir, "00-tour.ipynb")); err == nil && !slices.Contains(served, "00-tour.ipynb") {
			t.Errorf("GET /api/contents does not list 00-tour.ipynb; it lists %v", served)
		}
	})

	// The server starts the kernel's process (a missing or broken argv fails here), lists it,
	// and shuts it down. Executing cells needs a websocket client: .ci/notebooks.sh covers it.
	t.Run("kernel starts and stops", func(t *testing.T) {
		data, err := s.do(http.MethodPost, "/api/kernels", strings.NewReader(`{"name":"`+kernelName+`"}`))
		if err != nil {
			t.Fatalf("starting a %q kernel: %v\nserver output:\n%s", kernelName, err, s.log)
		}
		var k kernelModel
		if err := json.Unmarshal(data, &k); err != nil || k.ID == "" {
			t.Fatalf("POST /api/kernels: unexpected answer %q (%v)", data, err)
		}
		var running []kernelModel
		s.getJSON(t, "/api/kernels", &running)
		if !slices.ContainsFunc(running, func(r kernelModel) bool { return r.ID == k.ID && r.Name == kernelName }) {
			t.Errorf("GET /api/kernels = %+v, want it to list the started %q kernel %s", running, kernelName, k.ID)
		}
		if _, err := s.do(http.MethodDelete, "/api/kernels/"+k.ID, nil); err != nil {
			t.Fatalf("shutting down kernel %s: %v", k.ID, err)
		}
		s.getJSON(t, "/api/kernels", &running)
		if slices.ContainsFunc(running, func(r kernelModel) bool { return r.ID == k.ID }) {
			t.Errorf("kernel %s still listed after DELETE: %+v", k.ID, running)
		}
	})
}

// kernelModel is a running kernel as the server's /api/kernels reports it.
type kernelModel struct {
	ID             string `json:"id"`
	Name           string `json:"name"`
	ExecutionState string `json:"execution_state"`
}

func mapsKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// startJupyter starts cmd, a Jupyter server listening on the loopback port, in a process
// group of its own (so that stop reaches the server and any helper it started; Jupyter starts
// kernels in sessions of their own and shuts them down when it stops), and waits until it
// answers /api/status. what names the server in failures. The server stops at the end of the
// test.
func startJupyter(t *testing.T, cmd *exec.Cmd, port int, what string) *jupyterServer {
	t.Helper()
	s := &jupyterServer{cmd: cmd, baseURL: fmt.Sprintf("http://127.0.0.1:%d", port), done: make(chan struct{}), log: &syncBuffer{}}
	cmd.Stdout, cmd.Stderr = s.log, s.log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", what, err)
	}
	go func() {
		s.waitErr = cmd.Wait()
		close(s.done)
	}()
	t.Cleanup(func() {
		s.stop(t)
		cleanUpGoNB(t, s.log.String())
	})
	deadline := time.Now().Add(serverStartTimeout)
	for {
		_, err := s.get("/api/status")
		if err == nil {
			return s
		}
		select {
		case <-s.done:
			t.Fatalf("%s exited before answering (%v); its output:\n%s", what, s.waitErr, s.log)
		case <-time.After(250 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not answer %s/api/status within %s (last error: %v); its output:\n%s",
				what, s.baseURL, serverStartTimeout, err, s.log)
		}
	}
}
