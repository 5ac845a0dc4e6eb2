package glove_test

import (
	"math"
	"slices"
	"testing"

	"github.com/nlp-transfer/gotl/tlkit/glove"
)

func TestNearest(t *testing.T) {
	v := tinyVectors(t, 0)
	nb, err := v.NearestWords("king", 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(nb) != 2 || nb[0].Word != "queen" || nb[0].Index != 7 {
		t.Fatalf("NearestWords(king, 2) = %v, want queen first", nb)
	}
	if want := glove.Cosine(tinyVecs[6], tinyVecs[7]); math.Abs(nb[0].Cosine-want) > 1e-12 || nb[1].Cosine > nb[0].Cosine {
		t.Errorf("cosines %v, want %v first, decreasing", nb, want)
	}
	// Nearest includes the query word itself; results are sorted and at most k.
	all := v.Nearest(tinyVecs[3], 100)
	if len(all) != v.Len() || all[0].Word != "good" || math.Abs(all[0].Cosine-1) > 1e-6 {
		t.Fatalf("Nearest(good, 100): %d results, first %v", len(all), all[0])
	}
	if !slices.IsSortedFunc(all, func(a, b glove.Neighbor) int { return -cmpF(a.Cosine, b.Cosine) }) {
		t.Errorf("Nearest not sorted: %v", all)
	}
	if all[len(all)-1].Word != "bad" {
		t.Errorf("least similar to good: %v, want bad", all[len(all)-1])
	}
	if _, err := v.NearestWords("zzz", 3); err == nil {
		t.Error("NearestWords(zzz): no error")
	}
	good, _ := v.Similarity("good", "great")
	banana, _ := v.Similarity("good", "banana")
	if good <= banana {
		t.Errorf("cos(good, great) = %.3f <= cos(good, banana) = %.3f", good, banana)
	}
}

func TestNewVectorsChecks(t *testing.T) {
	if _, err := glove.NewVectors([]string{"a", "a"}, 1, []float32{1, 2}, ""); err == nil {
		t.Error("duplicate words: no error")
	}
	if _, err := glove.NewVectors([]string{"a", "b"}, 2, []float32{1, 2}, ""); err == nil {
		t.Error("too few values: no error")
	}
	if v, err := glove.NewVectors([]string{"a", "b"}, 1, []float32{3, 4}, "x"); err != nil || v.Index["b"] != 1 || math.Abs(v.Std()-0.5) > 1e-9 {
		t.Errorf("NewVectors: %v, %v", v, err)
	}
}

func cmpF(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
