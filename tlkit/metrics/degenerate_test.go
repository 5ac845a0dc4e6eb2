package metrics

import (
	"strings"
	"testing"
)

func TestDegenerate(t *testing.T) {
	gold := make([]int, 200)
	for i := range gold {
		gold[i] = i % 2 // Balanced.
	}
	oneClass := make([]int, 200) // All 0: the one-class "baseline" of a broken run.
	nearly := append([]int(nil), oneClass...)
	for i := 0; i < 6; i++ {
		nearly[2*i+1] = 1 // 97% class 0, 6 right answers of class 1.
	}
	healthy := append([]int(nil), gold...)
	for i := 0; i < 40; i++ {
		healthy[i] = 1 - healthy[i] // 80% accuracy.
	}
	lopsided := make([]int, 200) // Gold 97% class 0: predicting it is not a broken run.
	lopsidedGold := make([]int, 200)
	for i := 0; i < 6; i++ {
		lopsidedGold[i], lopsided[i] = 1, 1
	}
	for _, c := range []struct {
		name       string
		pred, gold []int
		want       string
	}{
		{"one class", oneClass, gold, "predicts class 0 for 100.0% of the test examples (gold: 50.0%)"},
		{"nearly one class", nearly, gold, "predicts class 0 for 97.0%"},
		{"healthy", healthy, gold, ""},
		{"lopsided gold, good predictions", lopsided, lopsidedGold, ""},
		{"at chance", append(make([]int, 190), 1, 1, 1, 1, 1, 1, 1, 1, 1, 1), lopsidedGold, "no better than always predicting class 0"},
	} {
		got := Degenerate(c.pred, c.gold, 2)
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("%s: Degenerate = %q, want %q", c.name, got, c.want)
		}
	}
}
