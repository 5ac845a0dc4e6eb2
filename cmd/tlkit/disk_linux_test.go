package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// mountTmpfs mounts a tmpfs of the given size ("1m") on a new temporary folder, unmounted at
// the end of the test. It skips the test where mounting is not allowed (not root, or a
// container without the capability).
func mountTmpfs(t *testing.T, size string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("simulating a full disk mounts a small tmpfs, which needs root")
	}
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+size); err != nil {
		t.Skipf("cannot mount a tmpfs on %s (%v): no full-disk simulation here", dir, err)
	}
	t.Cleanup(func() { _ = syscall.Unmount(dir, syscall.MNT_DETACH) })
	return dir
}

// fillDisk fills the file system of dir with one file, until it has no room left.
func fillDisk(t *testing.T, dir string) {
	t.Helper()
	f, err := os.Create(filepath.Join(dir, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 4096)
	for {
		if _, err := f.Write(chunk); err != nil {
			break
		}
	}
}

// warmCache returns a fresh cache folder holding the GloVe trim of cliGloVe, built once.
func warmCache(t *testing.T, bin string) string {
	t.Helper()
	cache := freshCache(t)
	dir := t.TempDir()
	o := runTlkitIn(t, bin, cache, "features", "--encoder", cliGloVe, "--no-cache",
		"--train", writeLines(t, dir, "train.txt", 20, 0), "--test", writeLines(t, dir, "test.txt", 6, 1))
	if o.code != 0 {
		t.Fatalf("building the GloVe trim: %v", o)
	}
	return cache
}

// linkedCache makes dir a cache folder that borrows the npm packages and the GloVe trims of
// the cache from (links), so that only what a run writes lands in dir.
func linkedCache(t *testing.T, from, dir string) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, sub := range []string{"npm", "glove"} {
		target, err := filepath.EvalSymlinks(filepath.Join(from, sub))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, filepath.Join(dir, sub)); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// wantFailure checks that a run failed with exit status 1 and a message holding each of
// wants, and that folders hold no file but the allowed ones (nothing half-written).
func wantFailure(t *testing.T, what string, o cliOutcome, wants []string, emptyDirs ...string) {
	t.Helper()
	if o.code != 1 {
		t.Errorf("%s: %v; want exit status 1", what, o)
	}
	for _, w := range wants {
		if !strings.Contains(o.stderr, w) {
			t.Errorf("%s: stderr lacks %q:\n%s", what, w, o.stderr)
		}
	}
	for _, dir := range emptyDirs {
		var found []string
		_ = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && d.Name() != "filler" && d.Name() != ".lock" && d.Type()&os.ModeSymlink == 0 {
				found = append(found, path)
			}
			return nil
		})
		if len(found) > 0 {
			t.Errorf("%s: files left behind: %v", what, found)
		}
	}
	t.Logf("%s: exit %d: %s", what, o.code, lastLines(o.stderr, 2))
}

// lastLines returns the last n lines of s, joined by " | ".
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}

// TestFullDisk runs the commands with their checkpoints, results or cache on a full disk (a
// small tmpfs): each fails with the system's message and a hint, and leaves no file behind.
func TestFullDisk(t *testing.T) {
	if testing.Short() {
		t.Skip("runs tlkit several times")
	}
	bin := buildTlkit(t)
	cache := warmCache(t, bin)
	dir := t.TempDir()
	trainPath := writeLines(t, dir, "train.txt", 40, 0)
	testPath := writeLines(t, dir, "test.txt", 12, 3)
	outDir := filepath.Join(dir, "out")
	if err := os.Mkdir(outDir, 0o755); err != nil {
		t.Fatal(err)
	}
	full := []string{"no space left on device", "hint: the disk is full"}

	t.Run("checkpoints", func(t *testing.T) {
		disk := mountTmpfs(t, "1m") // A checkpoint of GloVe 3000 is 3.6 MB.
		o := runTlkitIn(t, bin, cache, "finetune", "--encoder", cliGloVe, "--train", trainPath, "--test", testPath,
			"--epochs", "2", "--batch", "4", "--checkpoint", filepath.Join(disk, "ckpt"), "--out", filepath.Join(outDir, "r.json"))
		wantFailure(t, "finetune --checkpoint on a full disk", o, append(full, filepath.Join(disk, "ckpt"), ".ckpt"), disk, outDir)
	})
	t.Run("results", func(t *testing.T) {
		disk := mountTmpfs(t, "64k")
		fillDisk(t, disk)
		o := runTlkitIn(t, bin, cache, "features", "--encoder", cliGloVe, "--train", trainPath, "--test", testPath,
			"--no-cache", "--out", filepath.Join(disk, "r.json"))
		wantFailure(t, "features --out on a full disk", o, append(full, "writing the results"), disk)
		if strings.Contains(o.stderr, "does the folder exist") {
			t.Errorf("a full disk is blamed on a missing folder:\n%s", o.stderr)
		}
	})
	t.Run("feature cache", func(t *testing.T) {
		disk := mountTmpfs(t, "64k")
		onDisk := linkedCache(t, cache, filepath.Join(disk, "cache"))
		fillDisk(t, disk)
		o := runTlkitIn(t, bin, onDisk, "features", "--encoder", cliGloVe, "--train", trainPath, "--test", testPath,
			"--out", filepath.Join(outDir, "r.json"))
		wantFailure(t, "features with the cache on a full disk", o, append(full, "features of glove"), disk, outDir)
	})
}

// TestReadOnlyCache runs the commands with a read-only cache folder: what must write there
// fails at once with a hint, and what need not (--no-cache, --checkpoint elsewhere) works.
func TestReadOnlyCache(t *testing.T) {
	if testing.Short() {
		t.Skip("runs tlkit several times")
	}
	bin := buildTlkit(t)
	cache := warmCache(t, bin)
	dir := t.TempDir()
	trainPath := writeLines(t, dir, "train.txt", 40, 0)
	testPath := writeLines(t, dir, "test.txt", 12, 3)
	outDir := filepath.Join(dir, "out")
	if err := os.Mkdir(outDir, 0o755); err != nil {
		t.Fatal(err)
	}
	var ro string
	if os.Geteuid() == 0 {
		// Root ignores permissions: a read-only mount it is.
		disk := mountTmpfs(t, "1m")
		ro = linkedCache(t, cache, filepath.Join(disk, "cache"))
		if err := syscall.Mount("tmpfs", disk, "tmpfs", syscall.MS_REMOUNT|syscall.MS_RDONLY, "size=1m"); err != nil {
			t.Skipf("cannot remount %s read-only: %v", disk, err)
		}
	} else {
		ro = linkedCache(t, cache, filepath.Join(t.TempDir(), "cache"))
		if err := os.Chmod(ro, 0o555); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = os.Chmod(ro, 0o755) })
	}
	notWritable := []string{"hint: a folder is not writable", "TLKIT_CACHE"}

	o := runTlkitIn(t, bin, ro, "features", "--encoder", cliGloVe, "--train", trainPath, "--test", testPath,
		"--out", filepath.Join(outDir, "r.json"))
	wantFailure(t, "features with a read-only cache", o, append(notWritable, filepath.Join(ro, "features")), outDir)

	o = runTlkitIn(t, bin, ro, "finetune", "--encoder", cliGloVe, "--train", trainPath, "--test", testPath,
		"--epochs", "1", "--batch", "4", "--out", filepath.Join(outDir, "r.json"))
	wantFailure(t, "finetune with a read-only cache", o, append(notWritable, filepath.Join(ro, "finetune")), outDir)
	if strings.Contains(o.stderr, "step ") {
		t.Errorf("finetune trained before finding the cache read-only:\n%s", o.stderr)
	}

	for _, c := range []struct {
		what string
		args []string
	}{
		{"features --no-cache", []string{"features", "--no-cache"}},
		{"finetune --checkpoint elsewhere", []string{"finetune", "--epochs", "1", "--batch", "4", "--checkpoint", filepath.Join(dir, "ckpt")}},
	} {
		args := append(c.args, "--encoder", cliGloVe, "--train", trainPath, "--test", testPath, "--out", filepath.Join(outDir, "ok.json"))
		if o := runTlkitIn(t, bin, ro, args...); o.code != 0 {
			t.Errorf("%s with a read-only cache: %v", c.what, o)
		}
		_ = os.Remove(filepath.Join(outDir, "ok.json"))
	}
}
