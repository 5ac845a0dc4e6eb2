package tlkit

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// savedRun is the JSON file of one run in CompareOptions.ResultsDir: the run and the
// fingerprint of the task it ran on.
type savedRun struct {
	Version int    `json:"version"`
	Task    string `json:"task_sha256"`
	Run
}

const savedRunVersion = 1

// runPath returns the file of a run in the results folder dir.
func runPath(dir, task, method string, n int, seed int64) string {
	return filepath.Join(dir, safeName(task), safeName(method), fmt.Sprintf("n%d-seed%d.json", n, seed))
}

// comparisonPath is where Sweep writes the comparison on task under dir.
func comparisonPath(dir, task string) string {
	return filepath.Join(dir, safeName(task), "comparison.json")
}

// safeName turns a name into one path element: letters, digits, '.', '-' and '_' are kept,
// every other byte becomes '_', and a hash suffix keeps distinct names distinct.
func safeName(name string) string {
	var b strings.Builder
	changed := false
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.' && b.Len() > 0:
			b.WriteRune(r)
		default:
			b.WriteByte('_')
			changed = true
		}
	}
	if !changed && b.Len() > 0 {
		return b.String()
	}
	h := shortNameHash(name)
	return b.String() + "-" + h
}

// shortNameHash is a short hex hash of a name.
func shortNameHash(name string) string {
	var sum uint32 = 2166136261 // FNV-1a
	for i := 0; i < len(name); i++ {
		sum ^= uint32(name[i])
		sum *= 16777619
	}
	return fmt.Sprintf("%08x", sum)
}

// loadRun reads the saved run at path; ok is false (and the run must be recomputed) when the
// file is missing, unreadable, or saved for other data, method, size or seed.
func loadRun(path, taskHash, method string, n int, seed int64, nTest int) (Run, bool) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return Run{}, false
	}
	var s savedRun
	if err := json.Unmarshal(raw, &s); err != nil {
		return Run{}, false
	}
	if s.Version != savedRunVersion || s.Task != taskHash || s.Method != method || s.N != n || s.Seed != seed || len(s.TestPred) != nTest {
		return Run{}, false
	}
	return s.Run, true
}

// saveRun writes run to path atomically.
func saveRun(path, taskHash string, run Run) error {
	raw, err := json.MarshalIndent(savedRun{Version: savedRunVersion, Task: taskHash, Run: run}, "", " ")
	if err != nil {
		return fmt.Errorf("saving the result of %s (n=%d, seed %d): %w", run.Method, run.N, run.Seed, err)
	}
	if err := mkdirWriteFile(path, append(raw, '\n')); err != nil {
		return fmt.Errorf("saving the result of %s (n=%d, seed %d): %w", run.Method, run.N, run.Seed, err)
	}
	return nil
}
