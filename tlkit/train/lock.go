package train

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// LockFile is the lock file a Trainer holds in its checkpoint folder while it runs.
const LockFile = ".lock"

// lockPollInterval is how often a run waiting for a checkpoint folder tries the lock again.
const lockPollInterval = 100 * time.Millisecond

// LockCheckpointDir creates dir if needed and takes an exclusive lock on it (an advisory lock
// on dir/LockFile, which records the holder's process id), so that two runs never write the
// same checkpoint folder at once: two processes fine-tuning the same configuration share
// one folder under the cache, and would otherwise overwrite each other's best and last
// checkpoints. When another process holds the lock, it waits, printing one note on wait,
// until that process ends or ctx is done.
//
// The lock goes away with the process, even one killed with SIGKILL, so a crashed run never
// blocks the next. With the lock held, no other run can be writing in dir: the temporary
// files a killed run left behind (BestCheckpoint or LastCheckpoint + ".tmp-*") are removed.
// Where the file system has no locks, it proceeds unlocked. Call unlock when done.
func LockCheckpointDir(ctx context.Context, dir string, wait io.Writer) (unlock func(), err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("train: checkpoint folder: %w", err)
	}
	path := filepath.Join(dir, LockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("train: checkpoint folder %s: %w", dir, err)
	}
	noted := false
	for {
		locked, err := tryLock(f)
		if err != nil {
			_ = f.Close()
			return nil, fmt.Errorf("train: locking the checkpoint folder %s: %w", dir, err)
		}
		if locked {
			break
		}
		if !noted && wait != nil {
			holder := "another process"
			if raw, err := os.ReadFile(path); err == nil {
				if pid, err := strconv.Atoi(strings.TrimSpace(string(raw))); err == nil && pid > 0 {
					holder = fmt.Sprintf("process %d", pid)
				}
			}
			fmt.Fprintf(wait, "train: waiting for %s, which is training in the checkpoint folder %s\n", holder, dir)
			noted = true
		}
		select {
		case <-ctx.Done():
			_ = f.Close()
			return nil, fmt.Errorf("train: waiting for the checkpoint folder %s: %w", dir, ctx.Err())
		case <-time.After(lockPollInterval):
		}
	}
	// Record the holder for the note of a waiting run (best effort: the lock is what counts).
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	removeStaleTemps(dir)
	return func() {
		_ = unlockFile(f)
		_ = f.Close()
	}, nil
}

// removeStaleTemps deletes the temporary checkpoint files that a killed run left in dir.
func removeStaleTemps(dir string) {
	for _, name := range []string{BestCheckpoint, LastCheckpoint} {
		stale, _ := filepath.Glob(filepath.Join(dir, name+".tmp-*"))
		for _, p := range stale {
			_ = os.Remove(p)
		}
	}
}
