package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit"
	"github.com/nlp-transfer/gotl/tlkit/bert"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/glove"
	"github.com/nlp-transfer/gotl/tlkit/wordpiece"
)

// buildTlkit builds the tlkit command into a temporary folder and returns its path.
func buildTlkit(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "tlkit")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// runTlkit runs bin with args and stdin, and returns its standard output; it fails the test
// on a non-zero exit.
func runTlkit(t *testing.T, bin string, stdin string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tlkit %v: %v\n%s", args, err, stderr.String())
	}
	return out
}

// readVectors parses one JSON array of floats a line.
func readVectors(t *testing.T, out []byte) [][]float64 {
	t.Helper()
	var vs [][]float64
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var v []float64
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("output line %d is not a JSON array of numbers: %v", len(vs)+1, err)
		}
		vs = append(vs, v)
	}
	return vs
}

// TestEmbedUSELiteParity runs "tlkit embed" on the sentences of the TF.js reference fixture,
// the way an outsider checks parity, and compares the vectors.
func TestEmbedUSELiteParity(t *testing.T) {
	raw, err := os.ReadFile("../../tlkit/uselite/testdata/reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Sentences []struct {
			Text      string
			Embedding []float64
		}
	}
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	var lines []string
	var want [][]float64
	for _, s := range ref.Sentences {
		// One sentence a line: texts holding line breaks, or empty, can't be sent this way.
		if s.Text == "" || strings.ContainsAny(s.Text, "\r\n") {
			continue
		}
		lines = append(lines, s.Text)
		want = append(want, s.Embedding)
	}
	if len(lines) < 50 {
		t.Fatalf("only %d fixture sentences fit on one line; want at least 50", len(lines))
	}
	bin := buildTlkit(t)
	got := readVectors(t, runTlkit(t, bin, strings.Join(lines, "\n")+"\n", "embed", "--encoder", "use-lite"))
	if len(got) != len(want) {
		t.Fatalf("tlkit embed wrote %d vectors for %d lines", len(got), len(want))
	}
	maxErr := 0.0
	for i := range want {
		if len(got[i]) != len(want[i]) {
			t.Fatalf("line %d: %d values, want %d", i+1, len(got[i]), len(want[i]))
		}
		for j := range want[i] {
			maxErr = max(maxErr, math.Abs(got[i][j]-want[i][j]))
		}
	}
	t.Logf("tlkit embed vs TF.js: max abs error %.3g over %d sentences", maxErr, len(want))
	if maxErr > 1e-4 {
		t.Errorf("max abs error %g > 1e-4", maxErr)
	}
}

// TestEmbedErrors checks that bad input fails with a message naming the line, and a non-zero exit.
func TestEmbedErrors(t *testing.T) {
	bin := buildTlkit(t)
	for _, c := range []struct {
		name, stdin string
		args        []string
		want        string
	}{
		{"empty line", "fine\n\nalso fine\n", []string{"embed", "--encoder", "use-lite"}, "line 2 is empty"},
		{"not UTF-8", "ok\n\xff\xfe\n", []string{"embed", "--encoder", "use-lite"}, "line 2 is not valid UTF-8"},
		{"unknown encoder", "x\n", []string{"embed", "--encoder", "word2vec"}, `unknown encoder "word2vec"`},
		{"unknown pooling", "x\n", []string{"embed", "--pool", "max"}, `unknown pooling "max"`},
		{"missing BERT folder", "x\n", []string{"embed", "--encoder", "bert:/nonexistent/bert"}, "/nonexistent/bert"},
	} {
		cmd := exec.Command(bin, c.args...)
		cmd.Stdin = strings.NewReader(c.stdin)
		out, err := cmd.CombinedOutput()
		if err == nil {
			t.Errorf("%s: exit 0, want an error", c.name)
			continue
		}
		if !strings.Contains(string(out), c.want) {
			t.Errorf("%s: output %q lacks %q", c.name, out, c.want)
		}
	}
}

// TestEmbedBERTCheckpoint writes a small random BERT checkpoint in HuggingFace's format, then
// checks that "tlkit embed --encoder bert:DIR" gives, for each pooling, the vectors that the
// library computes in-process.
func TestEmbedBERTCheckpoint(t *testing.T) {
	tok, err := wordpiece.NewBertUncased()
	if err != nil {
		t.Fatal(err)
	}
	cfg := bert.BaseConfig()
	cfg.HiddenSize, cfg.NumHiddenLayers, cfg.NumAttentionHeads, cfg.IntermediateSize = 32, 2, 2, 64
	cfg.MaxPositionEmbeddings = 64
	m, err := bert.New(cfg, tok.VocabPath(), 3)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "bert-tiny")
	if err := m.Save(dir); err != nil {
		t.Fatal(err)
	}
	texts := []string{"A gripping, funny film.", "Dull.", "The plot, sadly, never quite comes together at all."}
	runner := encoder.NewRunner(tlkit.MustBackend(), m)
	bin := buildTlkit(t)
	for _, pool := range []encoder.Pooling{encoder.PoolNative, encoder.PoolMean, encoder.PoolCLS} {
		want, err := runner.Embed(texts, pool)
		if err != nil {
			t.Fatal(err)
		}
		got := readVectors(t, runTlkit(t, bin, strings.Join(texts, "\n")+"\n", "embed", "--encoder", "bert:"+dir, "--pool", pool.String()))
		if len(got) != len(texts) {
			t.Fatalf("--pool %s: %d vectors for %d lines", pool, len(got), len(texts))
		}
		for i := range want {
			if len(got[i]) != cfg.HiddenSize {
				t.Fatalf("--pool %s, line %d: %d values, want %d", pool, i+1, len(got[i]), cfg.HiddenSize)
			}
			for j := range want[i] {
				if d := math.Abs(got[i][j] - float64(want[i][j])); d > 1e-6 {
					t.Fatalf("--pool %s, line %d, value %d: CLI %g, library %g", pool, i+1, j, got[i][j], want[i][j])
				}
			}
		}
	}
}

// TestEmbedGloVe checks "tlkit embed --encoder glove" against the plain-Go mean of the
// sentence's GloVe vectors.
func TestEmbedGloVe(t *testing.T) {
	vectors, err := glove.Load(data.DefaultStore(), 0)
	if err != nil {
		t.Skipf("GloVe vectors unavailable (run make setup): %v", err)
	}
	texts := []string{"The cat sat on the mat.", "Stocks fell sharply in early trading."}
	bin := buildTlkit(t)
	got := readVectors(t, runTlkit(t, bin, strings.Join(texts, "\n")+"\n", "embed", "--encoder", "glove"))
	if len(got) != len(texts) {
		t.Fatalf("%d vectors for %d lines", len(got), len(texts))
	}
	for i, text := range texts {
		want, _, err := vectors.Mean(text)
		if err != nil {
			t.Fatal(err)
		}
		if len(got[i]) != len(want) {
			t.Fatalf("line %d: %d values, want %d", i+1, len(got[i]), len(want))
		}
		for j := range want {
			if d := math.Abs(got[i][j] - float64(want[j])); d > 1e-5 {
				t.Fatalf("line %d, value %d: CLI %g, mean of GloVe vectors %g", i+1, j, got[i][j], want[j])
			}
		}
	}
}
