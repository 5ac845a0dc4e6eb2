package data

import (
	"fmt"
	"slices"
	"testing"
)

// checkPartition fails unless parts are disjoint and hold each of 0..n-1 once.
func checkPartition(t *testing.T, parts [][]int, n int) {
	t.Helper()
	seen := make([]bool, n)
	total := 0
	for _, part := range parts {
		for _, i := range part {
			if i < 0 || i >= n || seen[i] {
				t.Fatalf("index %d out of range or in two parts", i)
			}
			seen[i] = true
			total++
		}
	}
	if total != n {
		t.Fatalf("parts hold %d indices, want %d", total, n)
	}
}

func TestSplitDeterministic(t *testing.T) {
	a, err := Split(1000, 7, 0.8, 0.1, 0.1)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Split(1000, 7, 0.8, 0.1, 0.1)
	c, _ := Split(1000, 8, 0.8, 0.1, 0.1)
	checkPartition(t, a, 1000)
	checkPartition(t, c, 1000)
	if len(a[0]) != 800 || len(a[1]) != 100 || len(a[2]) != 100 {
		t.Errorf("sizes %d/%d/%d, want 800/100/100", len(a[0]), len(a[1]), len(a[2]))
	}
	for k := range a {
		if !slices.Equal(a[k], b[k]) {
			t.Fatalf("same seed, different part %d", k)
		}
	}
	if slices.Equal(a[1], c[1]) {
		t.Error("different seeds, same dev part")
	}
	if slices.IsSorted(a[0]) {
		t.Error("train part not shuffled")
	}
}

// TestSplitGolden pins the split of a seed so that a change of generator or shuffle (which
// would silently change every dataset's default split) fails. The wanted value was computed
// by an independent Python implementation of PCG-DXSM (math/rand/v2's constants), Lemire's
// bounded draw and the Fisher–Yates loop.
func TestSplitGolden(t *testing.T) {
	parts, err := Split(10, 1, 0.5, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(parts)
	const want = "[[0 5 2 3 1] [4 8 7 6 9]]"
	if got != want {
		t.Errorf("Split(10, 1, 0.5, 0.5) = %s, want %s", got, want)
	}
}

func TestStratifiedSplit(t *testing.T) {
	// 300 items of label 0, 100 of label 1, 20 of label 2, interleaved.
	var labels []int
	for i := 0; i < 300; i++ {
		labels = append(labels, 0)
		if i%3 == 0 {
			labels = append(labels, 1)
		}
		if i%15 == 0 {
			labels = append(labels, 2)
		}
	}
	parts, err := StratifiedSplit(labels, DefaultSeed, 0.8, 0.1, 0.1)
	if err != nil {
		t.Fatal(err)
	}
	checkPartition(t, parts, len(labels))
	wantCounts := [][3]int{{240, 80, 16}, {30, 10, 2}, {30, 10, 2}}
	for k, part := range parts {
		var counts [3]int
		for _, i := range part {
			counts[labels[i]]++
		}
		if counts != wantCounts[k] {
			t.Errorf("part %d label counts %v, want %v", k, counts, wantCounts[k])
		}
	}
	again, _ := StratifiedSplit(labels, DefaultSeed, 0.8, 0.1, 0.1)
	other, _ := StratifiedSplit(labels, DefaultSeed+1, 0.8, 0.1, 0.1)
	if !slices.Equal(parts[2], again[2]) {
		t.Error("same seed, different test part")
	}
	if slices.Equal(parts[2], other[2]) {
		t.Error("different seed, same test part")
	}
}

func TestSplitErrors(t *testing.T) {
	for _, fractions := range [][]float64{nil, {0.5, 0.4}, {1.2, -0.2}} {
		if _, err := Split(10, 1, fractions...); err == nil {
			t.Errorf("fractions %v: no error", fractions)
		}
	}
}

func TestResplit(t *testing.T) {
	var examples []Example
	for i := range 100 {
		examples = append(examples, Example{Text: fmt.Sprint("text ", i), Label: i % 2})
	}
	a := &TextClassification{Name: "toy", Labels: []string{"a", "b"}, Train: slices.Clone(examples)}
	b := &TextClassification{Name: "toy", Labels: []string{"a", "b"}, Train: slices.Clone(examples)}
	if err := a.Resplit(3, 0.6, 0.2, 0.2); err != nil {
		t.Fatal(err)
	}
	if err := b.Resplit(3, 0.6, 0.2, 0.2); err != nil {
		t.Fatal(err)
	}
	if got := [3]int{len(a.Train), len(a.Dev), len(a.Test)}; got != [3]int{60, 20, 20} {
		t.Errorf("sizes %v", got)
	}
	if !slices.Equal(a.Test, b.Test) {
		t.Error("Resplit with the same seed gave different tests")
	}
	if c := a.LabelCounts(a.Dev); !slices.Equal(c, []int{10, 10}) {
		t.Errorf("dev label counts %v, want [10 10]", c)
	}
	// Resplitting again pools everything, so the result does not depend on the first split.
	if err := a.Resplit(3, 0.6, 0.2, 0.2); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Test, b.Test) {
		t.Error("Resplit is not idempotent")
	}
}

func ExampleSplit() {
	parts, err := Split(10, DefaultSeed, 0.6, 0.2, 0.2)
	if err != nil {
		panic(err)
	}
	fmt.Println(len(parts[0]), len(parts[1]), len(parts[2]))
	// Output: 6 2 2
}
