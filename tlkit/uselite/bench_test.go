package uselite_test

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sst2Dev returns the sentences of the SST-2 dev split (stsa.binary.dev, "<label> <sentence>"
// per line) from the dataset mirror at $TLKIT_DATA, falling back to ../shared/data relative to
// the repository root; it skips if neither holds the file.
func sst2Dev(tb testing.TB) []string {
	tb.Helper()
	var candidates []string
	if d := os.Getenv("TLKIT_DATA"); d != "" {
		candidates = append(candidates, filepath.Join(d, "sst2", "stsa.binary.dev"))
	}
	if root, err := repoRoot(); err == nil {
		candidates = append(candidates, filepath.Join(root, "..", "shared", "data", "sst2", "stsa.binary.dev"))
	}
	for _, path := range candidates {
		f, err := os.Open(path)
		if err != nil {
			continue
		}
		defer f.Close()
		var sentences []string
		scanner := bufio.NewScanner(f)
		for scanner.Scan() {
			line := strings.TrimSpace(scanner.Text())
			if _, text, ok := strings.Cut(line, " "); ok && text != "" {
				sentences = append(sentences, text)
			}
		}
		if err := scanner.Err(); err != nil {
			tb.Fatalf("reading %s: %v", path, err)
		}
		return sentences
	}
	tb.Skipf("SST-2 dev split not found in %v: set $TLKIT_DATA to the dataset mirror", candidates)
	return nil
}

// BenchmarkEmbed embeds the SST-2 dev sentences (872) per iteration and reports sentences/s.
func BenchmarkEmbed(b *testing.B) {
	m := loadTestModel(b)
	sentences := sst2Dev(b)
	if _, err := m.Embed(sentences); err != nil { // Compile the graphs of every bucket.
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := m.Embed(sentences); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(sentences))/b.Elapsed().Seconds(), "sent/s")
}
