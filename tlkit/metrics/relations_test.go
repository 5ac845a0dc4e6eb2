package metrics

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/nlp-transfer/gotl/data"
)

// TestSemEvalRelationsByHand checks the official score on a case small enough to count by
// hand: a wrong direction counts against precision and recall, Other is left out of the
// average, and a relation never predicted has P = 0.
func TestSemEvalRelationsByHand(t *testing.T) {
	gold := []string{"Cause-Effect(e1,e2)", "Cause-Effect(e2,e1)", "Cause-Effect(e1,e2)", "Other", "Other", "Member-Collection(e1,e2)"}
	pred := []string{"Cause-Effect(e1,e2)", "Cause-Effect(e1,e2)", "Other", "Cause-Effect(e2,e1)", "Other", "Other"}
	s, err := SemEvalRelations(pred, gold)
	if err != nil {
		t.Fatal(err)
	}
	// Cause-Effect: 1 correct; proposed 2 (pred 1 right, pred 4 on an Other), 1 wrong
	// direction (pred 2): P = 1/3, R = 1/3 (3 gold), F1 = 1/3. Member-Collection: P = 0
	// (never predicted), R = 0, F1 = 0. Macro F1 = (1/3 + 0) / 2.
	want := map[string][6]float64{ // correct, proposed, wrongDir, gold, P, R
		"Cause-Effect":      {1, 2, 1, 3, 1.0 / 3, 1.0 / 3},
		"Member-Collection": {0, 0, 0, 1, 0, 0},
		"Other":             {1, 3, 0, 2, 1.0 / 3, 0.5},
	}
	if len(s.Relations) != 3 {
		t.Fatalf("relations %+v", s.Relations)
	}
	for _, r := range s.Relations {
		w := want[r.Relation]
		if float64(r.Correct) != w[0] || float64(r.Proposed) != w[1] || float64(r.WrongDirection) != w[2] ||
			float64(r.Gold) != w[3] || math.Abs(r.Precision-w[4]) > 1e-12 || math.Abs(r.Recall-w[5]) > 1e-12 {
			t.Errorf("%s: %+v, want counts/P/R %v", r.Relation, r, w)
		}
	}
	if math.Abs(s.MacroF1-1.0/6) > 1e-12 || math.Abs(s.Accuracy-2.0/6) > 1e-12 {
		t.Errorf("macro F1 %g (want 1/6), accuracy %g (want 1/3)", s.MacroF1, s.Accuracy)
	}
	// Micro: correct 1, proposed 2+1+0, gold 4: P = 1/3, R = 1/4.
	if math.Abs(s.MicroF1-2*(1.0/3)*(0.25)/(1.0/3+0.25)) > 1e-12 {
		t.Errorf("micro F1 %g", s.MicroF1)
	}
	if _, err := SemEvalRelations([]string{"Cause-Effect"}, []string{"Other"}); err == nil {
		t.Error("a label without direction: no error")
	}
	if _, err := SemEvalRelations([]string{"Other"}, []string{"Other", "Other"}); err == nil {
		t.Error("misaligned labels: no error")
	}
}

// TestSemEvalRelationsAgainstPerlScorer runs the task's official scorer (Debian's perl on
// semeval2010_task8_scorer-v1.2.pl from the dataset mirror) on corrupted copies of the real
// test keys and checks that SemEvalRelations gives the same official macro-F1, to the
// scorer's two decimals.
func TestSemEvalRelationsAgainstPerlScorer(t *testing.T) {
	perl, err := exec.LookPath("perl")
	if err != nil {
		t.Skip("perl not installed: the Go scorer is not checked against the official Perl one (apt-get install perl)")
	}
	mirror := data.FindMirror()
	if mirror == "" {
		t.Skip("no dataset mirror: set TLKIT_DATA to run the scorer comparison")
	}
	d, err := data.LoadSemEval2010(&data.Store{Mirror: mirror, CacheDir: t.TempDir(), Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	scorer := filepath.Join(mirror, data.SemEvalScorer)
	gold := make([]string, len(d.Test))
	for i, ex := range d.Test {
		gold[i] = ex.Label
	}
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "key.txt")
	writeAnswers(t, keyFile, d.Test, gold)
	official := regexp.MustCompile(`macro-averaged F1 = ([0-9.]+)%`)
	rng := rand.New(rand.NewPCG(11, 12))
	for trial, noise := range []float64{0, 0.1, 0.3, 0.6, 0.9} {
		pred := make([]string, len(gold))
		for i, g := range gold {
			pred[i] = g
			switch r := rng.Float64(); {
			case r < noise/2:
				pred[i] = d.Labels[rng.IntN(len(d.Labels))]
			case r < noise && strings.Contains(g, "(e1,e2)"):
				pred[i] = strings.Replace(g, "(e1,e2)", "(e2,e1)", 1)
			case r < noise:
				pred[i] = data.OtherRelation
			}
		}
		predFile := filepath.Join(dir, fmt.Sprintf("pred%d.txt", trial))
		writeAnswers(t, predFile, d.Test, pred)
		out, err := exec.Command(perl, scorer, predFile, keyFile).CombinedOutput()
		if err != nil {
			t.Fatalf("perl scorer: %v\n%s", err, out)
		}
		m := official.FindSubmatch(out)
		if m == nil {
			t.Fatalf("no official score in the Perl scorer's output:\n%s", out)
		}
		want, _ := strconv.ParseFloat(string(m[1]), 64)
		s, err := SemEvalRelations(pred, gold)
		if err != nil {
			t.Fatal(err)
		}
		if got := 100 * s.MacroF1; math.Abs(got-want) > 0.005+1e-9 {
			t.Errorf("noise %.1f: Go macro-F1 %.4f%%, Perl scorer %.2f%%", noise, got, want)
		} else {
			t.Logf("noise %.1f: Go %.4f%%, Perl %.2f%%", noise, got, want)
		}
	}
}

// writeAnswers writes the scorer's "ID<TAB>LABEL" file.
func writeAnswers(t *testing.T, path string, examples []data.RelationExample, labels []string) {
	t.Helper()
	var b strings.Builder
	for i, ex := range examples {
		fmt.Fprintf(&b, "%d\t%s\n", ex.ID, labels[i])
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}
