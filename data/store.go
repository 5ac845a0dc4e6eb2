// Package data is gotl's dataset registry and its loaders.
//
// Every file a loader reads is named in the registry (Files) by its path in the mirror
// layout ("sst2/stsa.binary.train"), its canonical URL at a pinned commit, its size and its
// sha256. A Store finds the file: first in the $TLKIT_DATA mirror, then in the project
// cache, then by downloading it into the cache. Every file is checked against its sha256
// before it is used.
package data

// Store locates registry files on disk. The zero value is not usable: use DefaultStore or
// fill in the fields.
type Store struct {
	// Mirror is a folder laid out as DATASET/FILE (like ../shared/data); "" for none.
	// DefaultStore takes it from $TLKIT_DATA.
	Mirror string

	// CacheDir is where downloaded files are kept (ignored by git).
	CacheDir string
}

// Path returns the local path of the registry file name (e.g. "sst2/stsa.binary.train"),
// after checking its sha256. It downloads the file into CacheDir when needed.
func (s *Store) Path(name string) (string, error) {
	panic("TODO")
}
