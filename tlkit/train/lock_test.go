package train_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gomlx/gomlx/ml/model"

	"github.com/nlp-transfer/gotl/tlkit/train"
)

func TestLockCheckpointDirWaitsAndCleansUp(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ckpt")
	unlock, err := train.LockCheckpointDir(context.Background(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	// A second holder (another open file, as another process would have) waits until its
	// context ends, with one note naming the holder.
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	var note bytes.Buffer
	if _, err := train.LockCheckpointDir(ctx, dir, &note); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second lock while held: %v, want context.DeadlineExceeded", err)
	}
	if want := fmt.Sprintf("waiting for process %d, which is training in the checkpoint folder %s", os.Getpid(), dir); !strings.Contains(note.String(), want) ||
		strings.Count(note.String(), "\n") != 1 {
		t.Errorf("note %q, want one line containing %q", note.String(), want)
	}

	// Released: the next holder gets it at once and removes what a killed run left behind.
	stale := filepath.Join(dir, train.LastCheckpoint+".tmp-123")
	keep := filepath.Join(dir, "notes.txt")
	for _, p := range []string{stale, keep} {
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	unlock()
	unlock2, err := train.LockCheckpointDir(context.Background(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock2()
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stale temporary checkpoint %s not removed: %v", stale, err)
	}
	if _, err := os.Stat(keep); err != nil {
		t.Errorf("a file that is no temporary checkpoint was removed: %v", err)
	}
}

func TestLockCheckpointDirUnwritable(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := train.LockCheckpointDir(context.Background(), filepath.Join(file, "ckpt"), nil)
	if err == nil || !strings.Contains(err.Error(), "checkpoint folder") {
		t.Errorf("checkpoint folder under a file: %v, want an error naming the checkpoint folder", err)
	}
}

// stepHooks is a Progress that calls hooks[step] once, after that step, and onDone at the
// end.
type stepHooks struct {
	hooks  map[int]func()
	onDone func()
}

func (h *stepHooks) Update(s train.Status) {
	if f := h.hooks[s.Step]; f != nil {
		delete(h.hooks, s.Step)
		f()
	}
}

func (h *stepHooks) Done(train.Status, error) {
	if h.onDone != nil {
		h.onDone()
	}
}

// waitAtMost waits for ch to be closed, or d.
func waitAtMost(ch <-chan struct{}, d time.Duration) {
	select {
	case <-ch:
	case <-time.After(d):
	}
}

// scriptedRun trains the toy model like run, but its evaluations score 0.5, 0.9, 0.6 and 0.7
// in turn: the best weights are those of epoch 2, not the last ones.
func scriptedRun(t *testing.T, store *model.Store, dir string, progress train.Progress) (*train.History, error) {
	x, y := toyData(200, 1)
	scores, evals := []float64{0.5, 0.9, 0.6, 0.7}, 0
	eval := func() (float64, error) {
		evals++
		return scores[(evals-1)%len(scores)], nil
	}
	tr, err := train.New(testBackend(t), store, toyLoss(0.1), len(x), toyBatch(x, y)).
		BatchSize(20).Epochs(4).LearningRate(0.05).Seed(3).Evaluate(eval, 0).Checkpoint(dir, false).Progress(progress).Done()
	if err != nil {
		return nil, err
	}
	return tr.Run(context.Background())
}

// TestConcurrentRunsShareACheckpointDir runs two trainings of the same configuration at once
// in one checkpoint folder, as two processes fine-tuning the same model do in the cache, the
// second starting after the first's best evaluation. Unserialised, the second would delete
// the first's checkpoints and overwrite its best one (epoch 2) with its epoch 1, which the
// first would then restore at its end; the lock makes the second wait, so each ends as a run
// alone.
func TestConcurrentRunsShareACheckpointDir(t *testing.T) {
	alone := toyStore(t)
	hAlone, err := scriptedRun(t, alone, filepath.Join(t.TempDir(), "alone"), train.NoProgress())
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "shared")
	stores := []*model.Store{toyStore(t), toyStore(t)}
	hists := make([]*train.History, len(stores))
	errs := make([]error, len(stores))
	// The first run, at step 25 of 40 (after its best evaluation, at step 20), lets the second
	// start; at step 35 it waits (at most 2 s) for the second to train 12 steps (its epoch 1
	// and best checkpoint), which then waits for the first to end. Unserialised, the first
	// then restores the second's epoch 1. Serialised, the second waits for the lock, the
	// first waits 2 s in vain and ends, and the second runs alone.
	started, second, firstDone := make(chan struct{}), make(chan struct{}), make(chan struct{})
	progress := []train.Progress{
		&stepHooks{hooks: map[int]func(){
			25: func() { close(started) },
			35: func() { waitAtMost(second, 2*time.Second) },
		}, onDone: func() { close(firstDone) }},
		&stepHooks{hooks: map[int]func(){
			12: func() { close(second); waitAtMost(firstDone, 10*time.Second) },
		}},
	}
	var wg sync.WaitGroup
	for i := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i == 1 {
				<-started
			}
			hists[i], errs[i] = scriptedRun(t, stores[i], dir, progress[i])
		}()
	}
	wg.Wait()
	want := values(t, alone)
	for i := range stores {
		if errs[i] != nil {
			t.Fatalf("run %d: %v", i, errs[i])
		}
		if !slices.Equal(hists[i].Loss, hAlone.Loss) || !slices.Equal(hists[i].Evals, hAlone.Evals) {
			t.Errorf("run %d: history differs from a run alone", i)
		}
		for path, b := range values(t, stores[i]) {
			if !slices.Equal(b, want[path]) {
				t.Errorf("run %d: variable %s differs from a run alone", i, path)
			}
		}
	}
}

func TestFingerprintChange(t *testing.T) {
	for _, c := range []struct{ old, now, want string }{
		{"n=10 batch=4 key=enc=glove:20000 lr=0.05", "n=10 batch=4 key=enc=use-lite lr=0.01",
			"key=enc=glove:20000 → key=enc=use-lite; lr=0.05 → lr=0.01"},
		{"n=10 batch=4", "n=10 batch=4 extra=1", "(none) → extra=1"},
		{"n=10", "n=10", "same settings"},
	} {
		if got := train.FingerprintChange(c.old, c.now); got != c.want {
			t.Errorf("FingerprintChange(%q, %q) = %q, want %q", c.old, c.now, got, c.want)
		}
	}
}
