package main

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gomlx/gomlx/ml/model"

	"github.com/nlp-transfer/gotl/tlkit/glove"
	"github.com/nlp-transfer/gotl/tlkit/train"
)

// checkpointState loads the checkpoint at path in full (every variable, so that a corrupt or
// truncated file fails) and returns its loop state.
func checkpointState(path string) (*train.State, error) {
	return train.LoadCheckpoint(path, model.NewStore())
}

// waitForCheckpoint waits until the last checkpoint in dir records at least step steps of an
// unfinished run, and returns its state. It fails the test if cmd exits first or after a
// minute.
func waitForCheckpoint(t *testing.T, cmd *exec.Cmd, exited <-chan struct{}, dir string, step int) *train.State {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		if st, err := checkpointState(filepath.Join(dir, train.LastCheckpoint)); err == nil && st.Step >= step {
			if st.Finished {
				t.Fatalf("the run finished before it could be killed (step %d); give it more epochs", st.Step)
			}
			return st
		}
		select {
		case <-exited:
			t.Fatalf("tlkit %v exited before its checkpoint reached step %d", cmd.Args[1:], step)
		case <-time.After(3 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("no checkpoint of step %d in %s after a minute", step, dir)
		}
	}
}

// TestFinetuneKillAndResume kills `tlkit finetune` with SIGKILL twice, once just after a
// checkpoint and once in the middle of an epoch, and resumes it each time: the checkpoints
// are never corrupt, and the final results and checkpoints are bit-identical to those of an
// uninterrupted run with the same seed.
func TestFinetuneKillAndResume(t *testing.T) {
	if testing.Short() {
		t.Skip("runs tlkit finetune four times")
	}
	cache := freshCache(t)
	bin := buildTlkit(t)
	dir := t.TempDir()
	trainPath := noisyLines(t, dir, "train.txt", 64, 0)
	testPath := noisyLines(t, dir, "test.txt", 24, 3)
	args := func(ckpt, out string, extra ...string) []string {
		return append([]string{"finetune", "--encoder", cliGloVe, "--train", trainPath, "--test", testPath,
			"--epochs", "12", "--batch", "4", "--lr", "0.05", "--seed", "7", "--checkpoint", ckpt, "--out", out}, extra...)
	}

	refCkpt, refOut := filepath.Join(dir, "ref"), filepath.Join(dir, "ref.json")
	if o := runTlkitIn(t, bin, cache, args(refCkpt, refOut)...); o.code != 0 {
		t.Fatalf("uninterrupted run: %v", o)
	}

	ckpt, out := filepath.Join(dir, "killed"), filepath.Join(dir, "killed.json")
	spe := 0 // Steps per epoch, from the first checkpoint.
	for i, kill := range []struct {
		epochs int           // Kill once the last checkpoint has this many epochs ...
		delay  time.Duration // ... and this much later (mid-epoch).
	}{{1, 0}, {4, 60 * time.Millisecond}} {
		var extra []string
		if i > 0 {
			extra = []string{"--resume"}
		}
		cmd := tlkitCmd(bin, cache, nil, args(ckpt, out, extra...)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan struct{})
		go func() { _ = cmd.Wait(); close(exited) }()
		st := waitForCheckpoint(t, cmd, exited, ckpt, max(1, kill.epochs*spe))
		spe = st.History.StepsPerEpoch
		time.Sleep(kill.delay)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		<-exited
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
			t.Fatalf("kill %d: the run ended by itself (%v) before SIGKILL", i+1, cmd.ProcessState)
		}
		if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("kill %d: the killed run left its --out file (%v)", i+1, err)
		}
		for _, name := range []string{train.LastCheckpoint, train.BestCheckpoint} {
			st, err := checkpointState(filepath.Join(ckpt, name))
			if err != nil {
				t.Fatalf("kill %d: %s is unreadable after SIGKILL: %v", i+1, name, err)
			}
			if st.Finished {
				t.Errorf("kill %d: %s says the run finished", i+1, name)
			}
		}
		t.Logf("kill %d: killed at step ≥ %d (checkpoint of step %d)", i+1, st.Step, st.Step)
	}

	final := runTlkitIn(t, bin, cache, args(ckpt, out, "--resume")...)
	if final.code != 0 {
		t.Fatalf("resumed run: %v", final)
	}
	if strings.Contains(final.stderr, "step 1/") {
		t.Errorf("the last run started from step 1 instead of resuming:\n%s", final.stderr)
	}
	sameResults(t, "uninterrupted vs killed twice and resumed", refOut, out)
	for _, name := range []string{train.BestCheckpoint, train.LastCheckpoint} {
		a, errA := os.ReadFile(filepath.Join(refCkpt, name))
		b, errB := os.ReadFile(filepath.Join(ckpt, name))
		if errA != nil || errB != nil {
			t.Fatalf("%s: %v, %v", name, errA, errB)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between the uninterrupted and the resumed run (sha256 %x vs %x)", name, sha256.Sum256(a), sha256.Sum256(b))
		}
	}
	if left := leftovers(t, ckpt); len(left) > 0 {
		t.Errorf("temporary files left in the checkpoint folder: %v", left)
	}
}

// TestConcurrentFeaturesShareTheCache runs three `tlkit features` at once on an empty cache:
// each trims the GloVe vectors and extracts the same features into the same cache folder.
// All succeed with the same results, and the cache holds whole, valid files only.
func TestConcurrentFeaturesShareTheCache(t *testing.T) {
	if testing.Short() {
		t.Skip("runs tlkit features three times at once")
	}
	cache := freshCache(t)
	bin := buildTlkit(t)
	dir := t.TempDir()
	trainPath := noisyLines(t, dir, "train.txt", 80, 0)
	testPath := noisyLines(t, dir, "test.txt", 20, 3)
	const n = 3
	outs := make([]cliOutcome, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := tlkitCmd(bin, cache, nil, "features", "--encoder", cliGloVe, "--train", trainPath, "--test", testPath,
				"--out", filepath.Join(dir, string(rune('a'+i))+".json"))
			<-start
			outs[i] = runCmd(t, cmd)
		}()
	}
	close(start)
	wg.Wait()
	for i, o := range outs {
		if o.code != 0 {
			t.Fatalf("run %d: %v", i, o)
		}
	}
	for i := 1; i < n; i++ {
		sameResults(t, "concurrent features runs", filepath.Join(dir, "a.json"), filepath.Join(dir, string(rune('a'+i))+".json"))
	}
	if left := leftovers(t, cache); len(left) > 0 {
		t.Errorf("temporary files left in the cache: %v", left)
	}
	if _, err := glove.LoadFile(filepath.Join(cache, "glove", "wink-100d-3000.bin")); err != nil {
		t.Errorf("GloVe trim written by concurrent runs: %v", err)
	}
	files, _ := filepath.Glob(filepath.Join(cache, "features", "*.f32"))
	if len(files) != 3 {
		t.Errorf("feature cache holds %d files, want 3 (train, dev, test): %v", len(files), files)
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil || len(raw) < sha256.Size {
			t.Fatalf("%s: %v", f, err)
		}
		body, sum := raw[:len(raw)-sha256.Size], raw[len(raw)-sha256.Size:]
		if got := sha256.Sum256(body); !bytes.Equal(got[:], sum) {
			t.Errorf("%s: checksum mismatch: a torn write", f)
		}
	}
	// A fourth run reads the cache.
	again := runTlkitIn(t, bin, cache, "features", "--encoder", cliGloVe, "--train", trainPath, "--test", testPath,
		"--out", filepath.Join(dir, "again.json"))
	if again.code != 0 {
		t.Fatalf("run on the filled cache: %v", again)
	}
	sameResults(t, "run on the filled cache", filepath.Join(dir, "a.json"), filepath.Join(dir, "again.json"))
}

// TestConcurrentFinetunesShareACheckpoint runs two identical `tlkit finetune` at once, with
// their default checkpoint folder in the same cache: one waits for the other (the folder's
// lock), and both give the results of a run alone.
func TestConcurrentFinetunesShareACheckpoint(t *testing.T) {
	if testing.Short() {
		t.Skip("runs tlkit finetune three times")
	}
	cache := freshCache(t)
	bin := buildTlkit(t)
	dir := t.TempDir()
	trainPath := noisyLines(t, dir, "train.txt", 64, 0)
	testPath := noisyLines(t, dir, "test.txt", 24, 3)
	args := func(out string, extra ...string) []string {
		return append([]string{"finetune", "--encoder", cliGloVe, "--train", trainPath, "--test", testPath,
			"--epochs", "6", "--batch", "4", "--lr", "0.05", "--seed", "3", "--out", out}, extra...)
	}
	if o := runTlkitIn(t, bin, cache, append(args(filepath.Join(dir, "alone.json")), "--checkpoint", filepath.Join(dir, "alone"))...); o.code != 0 {
		t.Fatalf("run alone: %v", o)
	}
	outs := make([]cliOutcome, 2)
	var wg sync.WaitGroup
	for i := range outs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			outs[i] = runTlkitIn(t, bin, cache, args(filepath.Join(dir, string(rune('a'+i))+".json"))...)
		}()
	}
	wg.Wait()
	for i, o := range outs {
		if o.code != 0 {
			t.Fatalf("concurrent run %d: %v", i, o)
		}
		sameResults(t, "concurrent fine-tuning vs alone", filepath.Join(dir, "alone.json"), filepath.Join(dir, string(rune('a'+i))+".json"))
	}
	if !strings.Contains(outs[0].stderr+outs[1].stderr, "train: waiting for process") {
		t.Logf("the two runs did not overlap (no wait note); the lock was not exercised")
	}
}
