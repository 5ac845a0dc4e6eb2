package compare

import (
	"fmt"
	"path/filepath"

	"github.com/nlp-transfer/gotl/internal/cachefile"
)

// savedRun is the JSON file of one run in Options.ResultsDir: the run and the
// fingerprint of the task it ran on.
type savedRun struct {
	Version int    `json:"version"`
	Task    string `json:"task_sha256"`
	Run
}

const savedRunVersion = 1

// runPath returns the file of a run in the results folder dir.
func runPath(dir, task, method string, n int, seed int64) string {
	return filepath.Join(dir, cachefile.Name(task), cachefile.Name(method), fmt.Sprintf("n%d-seed%d.json", n, seed))
}

// comparisonPath is where Sweep writes the comparison on task under dir.
func comparisonPath(dir, task string) string {
	return filepath.Join(dir, cachefile.Name(task), "comparison.json")
}

// loadRun reads the saved run at path; ok is false (and the run must be recomputed) when the
// file is missing, unreadable, or saved for other data, method, size or seed.
func loadRun(path, taskHash, method string, n int, seed int64, nTest int) (Run, bool) {
	var s savedRun
	if err := cachefile.ReadJSON(path, &s); err != nil {
		return Run{}, false
	}
	if s.Version != savedRunVersion || s.Task != taskHash || s.Method != method || s.N != n || s.Seed != seed || len(s.TestPred) != nTest {
		return Run{}, false
	}
	return s.Run, true
}

// saveRun writes run to path atomically.
func saveRun(path, taskHash string, run Run) error {
	if err := cachefile.WriteJSON(path, savedRun{Version: savedRunVersion, Task: taskHash, Run: run}); err != nil {
		return fmt.Errorf("saving the result of %s (n=%d, seed %d): %w", run.Method, run.N, run.Seed, err)
	}
	return nil
}
