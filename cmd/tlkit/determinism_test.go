package main

import (
	"path/filepath"
	"testing"
)

// TestCommandsAreDeterministic runs each method of the command line twice, in separate
// processes, with the same seed: features with a logistic and an MLP head (once computing the
// features, once reading them from the cache or computing them again) and fine-tuning (each
// with its own checkpoint folder). The results (metrics, per-class scores, confusion matrix,
// dev accuracy, steps) are identical; only the wall time and the checkpoint folder differ.
func TestCommandsAreDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("runs tlkit six times")
	}
	bin := buildTlkit(t)
	cache := freshCache(t)
	dir := t.TempDir()
	trainPath := noisyLines(t, dir, "train.txt", 80, 0)
	testPath := noisyLines(t, dir, "test.txt", 24, 3)
	common := []string{"--encoder", cliGloVe, "--train", trainPath, "--test", testPath, "--seed", "11"}
	for _, c := range []struct {
		name   string
		first  []string
		second []string
	}{
		{"features, logistic head", []string{"features", "--head", "logistic"}, []string{"features", "--head", "logistic"}},
		{"features, mlp head", []string{"features", "--head", "mlp", "--hidden", "16", "--no-cache"}, []string{"features", "--head", "mlp", "--hidden", "16"}},
		{"finetune", []string{"finetune", "--epochs", "4", "--batch", "8", "--lr", "0.05", "--checkpoint", filepath.Join(dir, "ckpt-a")},
			[]string{"finetune", "--epochs", "4", "--batch", "8", "--lr", "0.05", "--checkpoint", filepath.Join(dir, "ckpt-b")}},
	} {
		t.Run(c.name, func(t *testing.T) {
			outs := []string{filepath.Join(dir, c.name+" 1.json"), filepath.Join(dir, c.name+" 2.json")}
			for i, args := range [][]string{c.first, c.second} {
				args = append(append(append([]string{}, args...), common...), "--out", outs[i])
				if o := runTlkitIn(t, bin, cache, args...); o.code != 0 {
					t.Fatalf("run %d: %v", i+1, o)
				}
			}
			sameResults(t, c.name+", two runs with seed 11", outs[0], outs[1])
			m := readJSONMap(t, outs[0])
			t.Logf("%s: accuracy %v, macro-F1 %v, dev %v, twice", c.name, m["accuracy"], m["macro_f1"], m["dev_accuracy"])
		})
	}
}
