package multitask_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/multitask"
)

func TestMarkEntities(t *testing.T) {
	for _, c := range []struct {
		text           string
		e1, e2         data.TextSpan
		want           string
		wantE1, wantE2 int
	}{
		{"The child was in the cradle.", data.TextSpan{Start: 4, End: 9}, data.TextSpan{Start: 21, End: 27},
			"The @ child @ was in the # cradle # .", 1, 7},
		// e2 first, multi-word e1, an entity at the end.
		{"Müller's new red car", data.TextSpan{Start: 14, End: 21}, data.TextSpan{Start: 0, End: 9},
			"# Müller ' s # new @ red car @", 6, 0},
		// Adjacent nominals, one cutting a word.
		{"abcdef", data.TextSpan{Start: 0, End: 3}, data.TextSpan{Start: 3, End: 6}, "@ abc @ # def #", 0, 3},
	} {
		words, e1, e2, err := multitask.MarkEntities(data.RelationExample{ID: 1, Text: c.text, E1: c.e1, E2: c.e2})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(words, " "); got != c.want || e1 != c.wantE1 || e2 != c.wantE2 {
			t.Errorf("MarkEntities(%q) = %q, %d, %d; want %q, %d, %d", c.text, got, e1, e2, c.want, c.wantE1, c.wantE2)
		}
		if words[e1] != multitask.E1Marker || words[e2] != multitask.E2Marker {
			t.Errorf("%q: words %d and %d are %q and %q, not the opening markers", c.text, e1, e2, words[e1], words[e2])
		}
	}
	for _, bad := range []data.RelationExample{
		{ID: 2, Text: "abc", E1: data.TextSpan{Start: 0, End: 2}, E2: data.TextSpan{Start: 1, End: 3}},
		{ID: 3, Text: "abc", E1: data.TextSpan{Start: 0, End: 5}, E2: data.TextSpan{Start: 1, End: 3}},
	} {
		if _, _, _, err := multitask.MarkEntities(bad); err == nil {
			t.Errorf("MarkEntities(%+v): no error", bad)
		}
	}
}

// toyRelations returns sentences of toy words with two marked words: "bob" and "paris" in
// either order are Lives-In (directed: the person is e1 in Lives-In(e1,e2)); any other pair
// is Other. Telling the direction needs the states of both markers.
func toyRelations(n int, seed uint64) *data.RelationClassification {
	rng := rand.New(rand.NewPCG(seed, 2))
	var splits [3][]data.RelationExample
	for i := range n {
		words := make([]string, 4+rng.IntN(4))
		for j := range words {
			words[j] = toyWords[rng.IntN(len(toyWords))]
		}
		a := rng.IntN(len(words))
		b := (a + 1 + rng.IntN(len(words)-1)) % len(words)
		label := "Other"
		if rng.IntN(2) == 0 { // Half the examples hold the relation, in either direction.
			words[a], words[b] = "bob", "paris"
			label = "Lives-In(e1,e2)"
			if rng.IntN(2) == 0 {
				a, b = b, a
				label = "Lives-In(e2,e1)"
			}
		}
		var text strings.Builder
		spans := make([]data.TextSpan, len(words))
		for j, w := range words {
			if j > 0 {
				text.WriteString(" ")
			}
			spans[j] = data.TextSpan{Start: text.Len(), End: text.Len() + len(w)}
			text.WriteString(w)
		}
		if label == "Other" && ((words[a] == "bob" && words[b] == "paris") || (words[a] == "paris" && words[b] == "bob")) {
			continue
		}
		ex := data.RelationExample{ID: i + 1, Text: text.String(), E1: spans[a], E2: spans[b], Label: label}
		split := 0
		switch {
		case i >= n*8/10:
			split = 2
		case i >= n*7/10:
			split = 1
		}
		splits[split] = append(splits[split], ex)
	}
	return data.NewRelationClassification("toy-rel", splits[0], splits[1], splits[2])
}

// TestRelations trains the relation head on the toy relation, scores it with the official
// metric and writes the scorer's prediction file.
func TestRelations(t *testing.T) {
	enc := tinyBERT(t)
	d := toyRelations(400, 3)
	opts := toyOptions()
	opts.NoCheckpoint, opts.Steps, opts.EvalEvery = true, 1500, 300
	res, err := multitask.Relations(enc, d, opts)
	if err != nil {
		t.Fatal(err)
	}
	tr := res.Tasks[0]
	if tr.Kind != "relation" || tr.Metric != "macro-F1" || tr.Relations == nil || len(tr.TestLabels) != len(d.Test) {
		t.Fatalf("task result kind %q metric %q relations %v, %d test labels for %d examples",
			tr.Kind, tr.Metric, tr.Relations, len(tr.TestLabels), len(d.Test))
	}
	if tr.Test < 0.9 {
		t.Errorf("toy relations: test macro-F1 %.3f, want ≥ 0.9\n%s", tr.Test, tr.Relations.Markdown())
	}
	path := filepath.Join(t.TempDir(), "pred.txt")
	if err := multitask.WriteRelationPredictions(path, d.Test, tr.TestLabels); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(raw), "\n"), "\n")
	if first := fmt.Sprintf("%d\t%s", d.Test[0].ID, tr.TestLabels[0]); len(lines) != len(d.Test) || lines[0] != first {
		t.Errorf("prediction file: %d lines (want %d), first %q (want %q)", len(lines), len(d.Test), lines[0], first)
	}
	t.Logf("toy relations: test macro-F1 %.3f on %d examples\n%s", tr.Test, len(d.Test), tr.Relations.Markdown())
}
