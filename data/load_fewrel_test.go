package data

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const fewRelSample = `{"P2": [{"tokens": ["Cape", "Girardeau", "Bridge", "spans", "the", "Mississippi", "."],
  "h": ["cape girardeau bridge", "Q1", [[0, 1, 2]]], "t": ["mississippi", "Q2", [[5], [5]]]}],
 "P1": [{"tokens": ["A", "b"], "h": ["b", "Q3", [[1]]], "t": ["a", "Q4", [[0]]]}]}`

func TestParseFewRel(t *testing.T) {
	rels, err := ParseFewRel([]byte(fewRelSample), "val.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(rels) != 2 || rels[0].ID != "P1" || rels[1].ID != "P2" {
		t.Fatalf("relations %+v, want P1 and P2 in order", rels)
	}
	ex := rels[1].Examples[0]
	if ex.Text != "Cape Girardeau Bridge spans the Mississippi ." || ex.Text[ex.E1.Start:ex.E1.End] != "Cape Girardeau Bridge" ||
		ex.Text[ex.E2.Start:ex.E2.End] != "Mississippi" || ex.Label != "P2" || ex.ID != 1 {
		t.Errorf("example %+v", ex)
	}
	if ex := rels[0].Examples[0]; ex.Text[ex.E1.Start:ex.E1.End] != "b" || ex.Text[ex.E2.Start:ex.E2.End] != "A" {
		t.Errorf("a tail before its head: %+v", ex)
	}
	spaced, err := ParseFewRel([]byte(`{"P1": [{"tokens": ["a", " ", "b"], "h": ["a", "Q", [[0]]], "t": ["b", "Q", [[2]]]}]}`), "val.json")
	if err != nil {
		t.Fatal(err)
	}
	if ex := spaced[0].Examples[0]; ex.Text != "a b" || ex.Text[ex.E2.Start:ex.E2.End] != "b" {
		t.Errorf("a white-space token: %+v, want text \"a b\" with the tail at b", ex)
	}
	for raw, want := range map[string]string{
		`[1, 2]`:     "not a FewRel file",
		`{}`:         "no relations",
		`{"P1": []}`: "relation P1 has no sentences",
		`{"P1": [{"tokens": [], "h": ["a", "Q", [[0]]], "t": ["a", "Q", [[0]]]}]}`:                 "relation P1, sentence 1: no tokens",
		`{"P1": [{"tokens": ["a", "b"], "h": ["a", "Q", [[0]]], "t": ["b", "Q", [[2]]]}]}`:         "tail entity: positions [2]",
		`{"P1": [{"tokens": ["a", "b", "c"], "h": ["a", "Q", [[0, 2]]], "t": ["b", "Q", [[1]]]}]}`: "not contiguous",
		`{"P1": [{"tokens": ["a", "b"], "h": ["a", "Q", [[0, 1]]], "t": ["b", "Q", [[1]]]}]}`:      "overlap",
		`{"P1": [{"tokens": ["a", "b"], "h": ["a", "Q"], "t": ["b", "Q", [[1]]]}]}`:                "head entity: want [name, id",
	} {
		_, err := ParseFewRel([]byte(raw), "val.json")
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "val.json") {
			t.Errorf("%s: err = %v, want one naming the file and containing %q", raw, err, want)
		}
	}
}

func TestLoadFewRel(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "fewrel"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string]string{"val_nyt.json": fewRelSample, "pid2name.json": `{"P1": ["first", "the first relation"]}`} {
		if err := os.WriteFile(filepath.Join(dir, "fewrel", name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	paths := func(name string) (string, error) { return filepath.Join(dir, name), nil }
	f, err := loadFewRel(paths, "val_nyt")
	if err != nil {
		t.Fatal(err)
	}
	if f.String() != "fewrel/val_nyt: 2 relations, 2 sentences" || f.Relations[0].Name != "first" || f.Relations[1].Name != "" {
		t.Errorf("%v: relations %+v", f, f.Relations)
	}
	if _, err := loadFewRel(paths, "train_wiki"); err == nil || !strings.Contains(err.Error(), "val_wiki") {
		t.Errorf("unknown set: err = %v", err)
	}
	if _, err := loadFewRel(paths, "val_wiki"); err == nil || !strings.Contains(err.Error(), "val_wiki.json") {
		t.Errorf("missing file: err = %v", err)
	}

	store := loadTestStore(t)
	for set, want := range map[string][2]int{"val_wiki": {16, 11200}, "val_semeval": {17, 8851}, "val_nyt": {25, 2500}, "val_pubmed": {10, 1000}} {
		f, err := LoadFewRel(store, set)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, r := range f.Relations {
			n += len(r.Examples)
		}
		if len(f.Relations) != want[0] || n != want[1] {
			t.Errorf("%s: %d relations, %d sentences; want %v", set, len(f.Relations), n, want)
		}
		if set == "val_wiki" && (f.Relations[0].Name == "" || len(f.Relations[0].Examples) != 700) {
			t.Errorf("val_wiki relation %s: name %q, %d sentences; want a pid2name name and 700", f.Relations[0].ID, f.Relations[0].Name, len(f.Relations[0].Examples))
		}
	}
}
