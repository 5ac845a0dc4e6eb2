package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nlp-transfer/gotl/data"
)

// writeUnlabelled writes n plain texts, one a line, without labels.
func writeUnlabelled(t *testing.T, dir, name string, n int) string {
	t.Helper()
	var b strings.Builder
	for i := range n {
		texts := posTexts
		if i%2 == 1 {
			texts = negTexts
		}
		fmt.Fprintf(&b, "%s indeed\n", texts[(i/2)%len(texts)])
	}
	return writeFile(t, dir, name, b.String())
}

func checkAdaptJSON(t *testing.T, path string) map[string]any {
	t.Helper()
	m := readAdaptJSON(t, path)
	for _, key := range []string{"target_accuracy", "source_accuracy", "a_distance_before", "a_distance_after", "method", "encoder", "seed"} {
		if _, ok := m[key]; !ok {
			t.Errorf("%s lacks %q", path, key)
		}
	}
	for _, key := range []string{"target_accuracy", "source_accuracy"} {
		if v, ok := m[key].(float64); !ok || v < 0 || v > 1 {
			t.Errorf("%s = %v, want an accuracy in [0, 1]", key, m[key])
		}
	}
	for _, key := range []string{"a_distance_before", "a_distance_after"} {
		if v, ok := m[key].(float64); !ok || math.Abs(v) > 2 {
			t.Errorf("%s = %v, want a distance in [-2, 2]", key, m[key])
		}
	}
	return m
}

func TestAdaptCommandFiles(t *testing.T) {
	needGloVe(t)
	dir := t.TempDir()
	source := writeLines(t, dir, "source.txt", 60, 0)
	target := writeUnlabelled(t, dir, "target.txt", 40)
	test := writeLines(t, dir, "test.txt", 20, 3)
	for _, method := range []string{"dann", "coral"} {
		out := filepath.Join(dir, method+".json")
		var stdout, stderr bytes.Buffer
		args := []string{"--encoder", "glove:20000", "--source-train", source, "--target-train", target, "--target-test", test,
			"--method", method, "--steps", "40", "--seed", "2", "--no-cache", "--out", out}
		if err := adaptCommand(args, &stdout, &stderr); err != nil {
			t.Fatalf("%s: %v\n%s", method, err, stderr.String())
		}
		m := checkAdaptJSON(t, out)
		if m["method"] != method || m["n_target_train"].(float64) != 40 || m["n_target_test"].(float64) != 20 || m["seed"].(float64) != 2 {
			t.Errorf("%s: method %v, %v target texts, %v test examples, seed %v; want %s, 40, 20, 2",
				method, m["method"], m["n_target_train"], m["n_target_test"], m["seed"], method)
		}
		if !strings.Contains(stdout.String(), "target accuracy") {
			t.Errorf("%s: stdout lacks the target accuracy:\n%s", method, stdout.String())
		}
	}
	// The oracle needs target labels: the unlabelled file has none.
	err := adaptCommand([]string{"--encoder", "glove:20000", "--source-train", source, "--target-train", target, "--target-test", test,
		"--method", "target-oracle"}, &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "target-oracle") {
		t.Errorf("oracle on unlabelled target texts: error %v", err)
	}
}

func TestLoadTargetTrain(t *testing.T) {
	dir := t.TempDir()
	labels := []string{"bad", "good"}
	// Labelled with the source's labels: the texts without their labels, and the labels.
	texts, y, _, err := loadTargetTrain(writeLines(t, dir, "l.txt", 10, 0), labels)
	if err != nil {
		t.Fatal(err)
	}
	if len(texts) != 10 || len(y) != 10 || strings.HasPrefix(texts[0], "good") || y[0] != 1 || y[1] != 0 {
		t.Errorf("labelled file: %d texts (first %q), labels %v", len(texts), texts[0], y)
	}
	// Plain lines: whole lines, no labels.
	texts, y, _, err = loadTargetTrain(writeFile(t, dir, "p.txt", "a fine kettle\n\nit broke fast\n"), labels)
	if err != nil {
		t.Fatal(err)
	}
	if len(texts) != 2 || texts[0] != "a fine kettle" || y != nil {
		t.Errorf("plain file: texts %q, labels %v; want the 2 lines and no labels", texts, y)
	}
	if _, _, _, err := loadTargetTrain(filepath.Join(dir, "missing.txt"), labels); err == nil {
		t.Error("missing file: no error")
	}
}

func TestAdaptCommandBadInput(t *testing.T) {
	dir := t.TempDir()
	source := writeLines(t, dir, "source.txt", 20, 0)
	target := writeUnlabelled(t, dir, "target.txt", 20)
	test := writeLines(t, dir, "test.txt", 6, 0)
	otherLabels := writeFile(t, dir, "other.txt", "yes\tfine\nno\tbad\n")
	base := []string{"--source-train", source, "--target-train", target, "--target-test", test}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--method", "dan"}, `"dan"`},
		{[]string{"--steps", "0"}, "--steps 0"},
		{[]string{"--kernel", "cubic"}, "--kernel"},
		{[]string{"--select", "best"}, "--select"},
		{[]string{"--weight", "-2"}, "--weight -2"},
		{[]string{"--target-test", otherLabels}, "is not one of the source's labels"},
		{[]string{"--source-train", filepath.Join(dir, "nope")}, "neither a file nor a dataset"},
	} {
		err := adaptCommand(append(append([]string{}, base...), c.args...), &bytes.Buffer{}, &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want one containing %q", c.args, err, c.want)
		}
	}
	if err := adaptCommand([]string{"--source-train", source}, &bytes.Buffer{}, &bytes.Buffer{}); err == nil {
		t.Error("no target: no error")
	}
}

// TestAdaptCommandAmazonDatasets runs books → kitchen by dataset name with GloVe features.
func TestAdaptCommandAmazonDatasets(t *testing.T) {
	needGloVe(t)
	store := cliStore()
	store.Offline = true
	if _, err := data.LoadAmazon(store, "books"); err != nil {
		t.Skipf("amazon unavailable: %v", err)
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "r.json")
	var stdout, stderr bytes.Buffer
	args := []string{"--encoder", "glove:20000", "--source-train", "amazon/books", "--target-train", "amazon/kitchen",
		"--target-test", "amazon/kitchen", "--method", "dann", "--steps", "100", "--chunk-words", "0", "--out", out}
	if err := adaptCommand(args, &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	m := checkAdaptJSON(t, out)
	if m["n_source_train"].(float64) != 1600 || m["n_source_dev"].(float64) != 200 || m["n_target_train"].(float64) != 1600 ||
		m["n_target_test"].(float64) != 400 {
		t.Errorf("sizes %v/%v/%v/%v; want 1600 source train, 200 dev, 1600 target texts, 400 target test",
			m["n_source_train"], m["n_source_dev"], m["n_target_train"], m["n_target_test"])
	}
	// Books and kitchen reviews are told apart well above chance.
	if m["a_distance_before"].(float64) < 0.5 {
		t.Errorf("A-distance books/kitchen %v, want ≥ 0.5", m["a_distance_before"])
	}
	if acc := m["target_accuracy"].(float64); acc < 0.6 {
		t.Errorf("target accuracy %v, want ≥ 0.6", acc)
	}
}

// readAdaptJSON reads a JSON object.
func readAdaptJSON(t *testing.T, path string) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return m
}
