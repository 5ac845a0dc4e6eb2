package main

import (
	"errors"
	"fmt"
	"io/fs"
	"syscall"

	"github.com/nlp-transfer/gotl/data"
)

// explain adds a hint line to the errors that come from the machine rather than from the
// input, saying what to do: a full disk, or a folder that is read-only or not ours.
func explain(err error) error {
	if err == nil {
		return nil
	}
	cache := data.DefaultStore().CacheDir
	var hint string
	switch {
	case errors.Is(err, syscall.ENOSPC):
		hint = fmt.Sprintf("the disk is full: free some space, or move the cache (TLKIT_CACHE=DIR; now %s), the checkpoints (--checkpoint DIR) or the results (--out FILE) to a disk with room", cache)
	case errors.Is(err, syscall.EROFS), errors.Is(err, fs.ErrPermission):
		hint = fmt.Sprintf("a folder is not writable: point TLKIT_CACHE at a writable folder (the cache is now %s), put --checkpoint DIR and --out FILE elsewhere, or, for features, pass --no-cache", cache)
	default:
		return err
	}
	return fmt.Errorf("%w\nhint: %s", err, hint)
}
