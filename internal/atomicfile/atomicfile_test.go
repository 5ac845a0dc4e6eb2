package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	if err := WriteFile(filepath.Join(dir, "missing", "f.txt"), []byte("x")); err == nil {
		t.Error("WriteFile into a missing folder: want an error")
	}
	path := filepath.Join(dir, "f.txt")
	if err := WriteFile(path, []byte("hello")); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != "hello" {
		t.Fatalf("read %q, %v; want hello", got, err)
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", info.Mode().Perm())
	}
	assertOnly(t, filepath.Dir(path), "f.txt")
}

func TestWriteFailureLeavesOldContent(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.txt")
	if err := WriteFile(path, []byte("old")); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := Write(path, func(w io.Writer) error {
		_, _ = w.Write([]byte("half of the new"))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Write returned %v, want the fill error", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "old" {
		t.Errorf("after a failed write the file holds %q, want the old content", got)
	}
	assertOnly(t, dir, "f.txt")
}

func TestConcurrentWritersPublishWholeFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.bin")
	a, b := make([]byte, 1<<20), make([]byte, 1<<20)
	for i := range a {
		a[i], b[i] = 'a', 'b'
	}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			data := a
			if i%2 == 1 {
				data = b
			}
			if err := WriteFile(path, data); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	got, _ := os.ReadFile(path)
	if len(got) != len(a) || (got[0] != 'a' && got[0] != 'b') {
		t.Fatalf("published %d bytes starting %q", len(got), got[:1])
	}
	for _, c := range got {
		if c != got[0] {
			t.Fatal("the published file mixes two writers' content")
		}
	}
	assertOnly(t, dir, "f.bin")
}

// assertOnly checks that dir holds exactly the named file (no temporary files left).
func assertOnly(t *testing.T, dir, name string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != name {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("folder holds %v, want only %s", names, name)
	}
}
