package data

import (
	"archive/zip"
	"fmt"
	"io"
	"os"
	"path"
	"sort"
	"strings"
)

// pathFunc resolves a registry file name ("sst2/stsa.binary.train") to a verified local
// path: (*Store).Path in the public loaders, a plain join with a folder in tests.
type pathFunc func(name string) (string, error)

// storePaths returns s.Path, with DefaultStore() when s is nil.
func storePaths(s *Store) pathFunc {
	if s == nil {
		s = DefaultStore()
	}
	return s.Path
}

// readRegistryFile returns the content of the registry file name.
func readRegistryFile(paths pathFunc, name string) ([]byte, error) {
	p, err := paths(name)
	if err != nil {
		return nil, err
	}
	return os.ReadFile(p)
}

// zipFiles reads every regular file of the zip archive registry file name whose path inside
// the archive matches keep, returning path → content.
func zipFiles(paths pathFunc, name string, keep func(member string) bool) (map[string][]byte, error) {
	p, err := paths(name)
	if err != nil {
		return nil, err
	}
	z, err := zip.OpenReader(p)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", name, err)
	}
	defer z.Close()
	out := make(map[string][]byte)
	for _, f := range z.File {
		if f.FileInfo().IsDir() || !keep(f.Name) {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("opening %s in %s: %w", f.Name, name, err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("reading %s in %s: %w", f.Name, name, err)
		}
		out[f.Name] = b
	}
	return out, nil
}

// sortedKeys returns m's keys, sorted.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// baseName returns the last element of a slash-separated path.
func baseName(p string) string { return path.Base(p) }

// binaryLabels converts `0`/`1` labelled lines to examples, checking the labels.
func binaryLabels(texts []labelledText, name string) ([]Example, error) {
	out := make([]Example, len(texts))
	for i, t := range texts {
		switch t.Label {
		case "0":
			out[i] = Example{Text: t.Text, Label: 0}
		case "1":
			out[i] = Example{Text: t.Text, Label: 1}
		default:
			return nil, fmt.Errorf("%s: example %d has label %q, want 0 or 1", name, i+1, t.Label)
		}
	}
	return out, nil
}

// splitDefault splits examples with the default fractions and seed, stratified by label.
func splitDefault(d *TextClassification, examples []Example) *TextClassification {
	d.Train = examples
	if err := d.Resplit(DefaultSeed, DefaultTrainFraction, DefaultDevFraction, DefaultTestFraction); err != nil {
		panic(err) // The default fractions are valid.
	}
	return d
}

// trimLines trims each line's trailing spaces and "\r", and the text's surrounding blank
// lines.
func trimLines(text string) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t\r")
	}
	return strings.Trim(strings.Join(lines, "\n"), "\n")
}
