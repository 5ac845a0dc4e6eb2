package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nlp-transfer/gotl/tlkit"
)

var (
	posTexts = []string{"a wonderful, moving film", "great acting and a brilliant script", "i loved every minute of it",
		"an excellent and delightful story", "superb performances all around", "a beautiful, funny and charming movie",
		"truly great and enjoyable", "the best film of the year", "warm, witty and wonderful", "a joy to watch"}
	negTexts = []string{"a boring, dull mess", "terrible acting and an awful script", "i hated every minute of it",
		"a bad and tedious story", "poor performances all around", "an ugly, unfunny and stupid movie",
		"truly awful and painful", "the worst film of the year", "cold, witless and dreadful", "a chore to sit through"}
)

// writeLines writes n labelled lines, alternating "good<TAB>positive text" and "bad negative
// text" (both separators), cycling through the texts from offset.
func writeLines(t *testing.T, dir, name string, n, offset int) string {
	t.Helper()
	var b strings.Builder
	for i := range n {
		k := (i/2 + offset) % len(posTexts)
		if i%2 == 0 {
			fmt.Fprintf(&b, "good\t%s\n", posTexts[k])
		} else {
			fmt.Fprintf(&b, "bad %s\n", negTexts[k])
		}
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// needGloVe skips the test when the GloVe vectors are not available offline.
func needGloVe(t *testing.T) {
	t.Helper()
	store := cliStore()
	store.Offline = true
	if _, err := tlkit.LoadEncoder("glove:20000", store); err != nil {
		t.Skipf("GloVe vectors unavailable (run make setup): %v", err)
	}
}

func TestLoadFiles(t *testing.T) {
	dir := t.TempDir()
	train := writeLines(t, dir, "train.txt", 40, 0)
	// The test file has only one of the labels: its index must be train's.
	test := writeFile(t, dir, "test.txt", "good a fine film\n\ngood\tsuch fun\n")
	f := taskFlags{train: train, test: test}
	task, err := f.load(7)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(task.Labels) != "[bad good]" || task.Name != "train" {
		t.Errorf("labels %v, name %q; want [bad good], train", task.Labels, task.Name)
	}
	if len(task.Train) != 36 || len(task.Dev) != 4 || len(task.Test) != 2 {
		t.Errorf("splits %d/%d/%d, want 36/4/2 (10%% of train carved as dev)", len(task.Train), len(task.Dev), len(task.Test))
	}
	if task.Test[0].Label != 1 || task.Test[1].Text != "such fun" {
		t.Errorf("test examples %+v, want label 1 (good) and texts trimmed", task.Test)
	}
	if dc := task.LabelCounts(task.Dev); dc[0] != 2 || dc[1] != 2 {
		t.Errorf("dev label counts %v, want stratified [2 2]", dc)
	}
	again, _ := f.load(7)
	other, _ := f.load(8)
	if fmt.Sprint(again.Dev) != fmt.Sprint(task.Dev) {
		t.Error("the carved dev split depends on more than the seed")
	}
	if fmt.Sprint(other.Dev) == fmt.Sprint(task.Dev) {
		t.Error("seeds 7 and 8 carve the same dev split")
	}

	// A dev file is used as is.
	f.dev = writeFile(t, dir, "dev.tsv", "bad\tawful\ngood\tgreat\n")
	if task, err = f.load(7); err != nil || len(task.Dev) != 2 || len(task.Train) != 40 || task.Dev[0].Label != 0 {
		t.Errorf("with --dev: %v, %+v", err, task)
	}
}

func TestLoadFilesErrors(t *testing.T) {
	dir := t.TempDir()
	train := writeLines(t, dir, "train.txt", 20, 0)
	test := writeLines(t, dir, "test.txt", 6, 0)
	for _, c := range []struct {
		name string
		f    taskFlags
		want string
	}{
		{"unknown test label", taskFlags{train: train, test: writeFile(t, dir, "t1.txt", "good fine\n\nbad poor\nmeh so so\n")},
			`t1.txt:4: label "meh" does not occur in the training file`},
		{"unknown dev label (tsv with header)", taskFlags{train: train, test: test, dev: writeFile(t, dir, "d.tsv", "label\ttext\ngood\tfine\nugly\tx\n")},
			`d.tsv:3: label "ugly"`},
		{"unknown label in csv", taskFlags{train: train, test: writeFile(t, dir, "t.csv", "label,text\ngood,\"fine,\nreally\"\nmeh,x\n")},
			`t.csv:4: label "meh"`},
		{"empty train", taskFlags{train: writeFile(t, dir, "empty.txt", "\n \n"), test: test}, "empty.txt:1: empty file"},
		{"missing file", taskFlags{train: filepath.Join(dir, "nope.txt"), test: test}, "nope.txt"},
		{"no text", taskFlags{train: train, test: writeFile(t, dir, "t2.txt", "good\n")}, "t2.txt:1: line has a label"},
		{"one label", taskFlags{train: writeFile(t, dir, "one.txt", strings.Repeat("good fine\n", 20)), test: writeFile(t, dir, "t3.txt", "good ok\n")}, "at least 2"},
		{"no test", taskFlags{train: train}, "no data"},
		{"both", taskFlags{dataset: "sst2", train: train, test: test}, "not both"},
		{"unknown dataset", taskFlags{dataset: "sst3"}, `unknown text classification dataset "sst3"`},
	} {
		_, err := c.f.load(1)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
}

func TestLoadDataset(t *testing.T) {
	f := taskFlags{dataset: "trec"}
	task, err := f.load(1)
	if err != nil {
		t.Skipf("TREC unavailable: %v", err)
	}
	if len(task.Dev) == 0 || len(task.Labels) != 6 || len(task.Test) != 500 {
		t.Errorf("trec: %s; want a carved dev split, 6 labels, 500 test", task)
	}
}

// readResult reads the JSON of --out and checks its required keys.
func readResult(t *testing.T, path string) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	for _, key := range []string{"accuracy", "macro_f1", "n_test", "per_class", "confusion", "encoder", "seed"} {
		if _, ok := m[key]; !ok {
			t.Errorf("%s lacks %q", path, key)
		}
	}
	return m
}

func TestFeaturesCommandGloVe(t *testing.T) {
	needGloVe(t)
	dir := t.TempDir()
	train := writeLines(t, dir, "train.txt", 200, 0)
	test := writeLines(t, dir, "test.txt", 20, 3)
	out := filepath.Join(dir, "result.json")
	for _, head := range []string{"logistic", "mlp"} {
		var stdout, stderr bytes.Buffer
		args := []string{"--encoder", "glove:20000", "--train", train, "--test", test, "--head", head, "--batch", "8", "--no-cache", "--out", out}
		if err := featuresCommand(args, &stdout, &stderr); err != nil {
			t.Fatalf("%s: %v\n%s", head, err, stderr.String())
		}
		m := readResult(t, out)
		if m["n_test"].(float64) != 20 || m["head"] != head || m["accuracy"].(float64) < 0.8 {
			t.Errorf("%s: n_test %v, head %v, accuracy %v; want 20, %s, ≥ 0.8 on this easy data", head, m["n_test"], m["head"], m["accuracy"], head)
		}
		if !strings.Contains(stdout.String(), "| good |") || !strings.Contains(stdout.String(), "macro-F1") {
			t.Errorf("%s: output lacks the per-class table:\n%s", head, stdout.String())
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 3 {
		t.Errorf("folder holds %d files, want train, test and result (no temporary file)", len(entries))
	}
}

func TestFeaturesCommandBadFlags(t *testing.T) {
	dir := t.TempDir()
	train := writeLines(t, dir, "train.txt", 20, 0)
	test := writeLines(t, dir, "test.txt", 6, 0)
	data := []string{"--train", train, "--test", test}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--head", "svm"}, `--head "svm"`},
		{[]string{"--pool", "max"}, `unknown pooling "max"`},
		{[]string{"--l2", "-1"}, "--l2 -1"},
		{[]string{"--epochs", "0"}, "--epochs 0"},
		{[]string{"--batch", "0"}, "--batch 0"},
		{[]string{"--patience", "-1"}, "--patience -1"},
		{[]string{"--seed", "x"}, `invalid value "x"`},
		{[]string{"--out", filepath.Join(dir, "no", "such", "r.json")}, "does not exist"},
		{[]string{"extra"}, "unexpected arguments"},
		{[]string{"--encoder", "word2vec"}, `unknown encoder "word2vec"`},
	} {
		err := featuresCommand(append(append([]string{}, data...), c.args...), &bytes.Buffer{}, &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want one containing %q", c.args, err, c.want)
		}
	}
}

// TestCommandExitStatus checks, on the built binary, that bad input exits non-zero with a
// message naming the file and line.
func TestCommandExitStatus(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the tlkit binary")
	}
	bin := buildTlkit(t)
	dir := t.TempDir()
	train := writeLines(t, dir, "train.txt", 20, 0)
	bad := writeFile(t, dir, "bad.txt", "good fine\nneutral meh\n")
	for _, cmd := range []string{"features", "finetune"} {
		c := exec.Command(bin, cmd, "--encoder", "glove:20000", "--train", train, "--test", bad)
		var stderr bytes.Buffer
		c.Stderr = &stderr
		err := c.Run()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 1 {
			t.Errorf("%s: %v, want exit status 1", cmd, err)
		}
		if want := `bad.txt:2: label "neutral"`; !strings.Contains(stderr.String(), want) {
			t.Errorf("%s: stderr %q, want it to contain %q", cmd, stderr.String(), want)
		}
	}
}
