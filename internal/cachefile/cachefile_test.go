package cachefile

import (
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestName(t *testing.T) {
	for _, keep := range []string{"use-lite", "sst2", "amazon_books", "conll2003+conll2000", "a.b"} {
		if got := Name(keep); got != keep {
			t.Errorf("Name(%q) = %q, want it unchanged", keep, got)
		}
	}
	seen := map[string]string{}
	for _, s := range []string{"bert:/tmp/x", "bert:_tmp_x", "amazon/books", "amazon_books/", "", ".hidden", "../up", "é", strings.Repeat("a", 80), strings.Repeat("a", 81)} {
		got := Name(s)
		if got == "" || strings.ContainsAny(got, "/:\\") || strings.HasPrefix(got, ".") || len(got) > MaxNameLen+9 {
			t.Errorf("Name(%q) = %q: not a safe path element", s, got)
		}
		if other, ok := seen[got]; ok {
			t.Errorf("Name(%q) = Name(%q) = %q", s, other, got)
		}
		seen[got] = s
	}
}

func TestJSONRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a", "b", "run.json")
	in := map[string]any{"accuracy": 0.5, "pred": []any{1.0, 0.0}}
	if err := WriteJSON(path, in); err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := ReadJSON(path, &out); err != nil {
		t.Fatal(err)
	}
	if out["accuracy"] != 0.5 || len(out["pred"].([]any)) != 2 {
		t.Errorf("read back %v, wrote %v", out, in)
	}
	if err := ReadJSON(filepath.Join(t.TempDir(), "missing.json"), &out); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v, want fs.ErrNotExist", err)
	}
	if err := os.WriteFile(path, []byte("{trunc"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := ReadJSON(path, &out); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("corrupt file: %v, want an error naming %s", err, path)
	}
	bad := filepath.Join(t.TempDir(), "nan.json")
	if err := WriteJSON(bad, math.NaN()); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("NaN: %v, want an error naming the path", err)
	}
	if _, err := os.Stat(bad); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("NaN: a file was written (%v)", err)
	}
}
