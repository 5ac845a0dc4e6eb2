//go:build !unix

package train

import "os"

// tryLock is a no-op where flock is not available: runs are not serialised.
func tryLock(*os.File) (bool, error) { return true, nil }

// unlockFile is a no-op where flock is not available.
func unlockFile(*os.File) error { return nil }
