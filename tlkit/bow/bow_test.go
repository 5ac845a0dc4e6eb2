package bow

import (
	"math"
	"slices"
	"testing"
)

func TestTerms(t *testing.T) {
	got := Terms("Not good, isn't it?", 2)
	want := []string{"not", "good", ",", "is", "n't", "it", "?", "not good", "good ,", ", is", "is n't", "n't it", "it ?"}
	if !slices.Equal(got, want) {
		t.Errorf("Terms = %q, want %q", got, want)
	}
	if got := Terms("a b", 1); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("unigrams = %q", got)
	}
}

func TestFitTransform(t *testing.T) {
	train := []string{"good film", "good plot", "bad film", "bad bad acting"}
	v, err := Fit(train, Options{NGrams: 1, MinDF: 1, IDF: true})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"acting", "bad", "film", "good", "plot"}; !slices.Equal(v.Terms, want) {
		t.Fatalf("terms %q, want %q", v.Terms, want)
	}
	// idf = ln(5/(1+df)) + 1: df(good) = 2, df(plot) = 1.
	if got, want := v.IDF[3], math.Log(5.0/3)+1; math.Abs(got-want) > 1e-12 {
		t.Errorf("idf(good) = %v, want %v", got, want)
	}
	x := v.Transform([]string{"bad bad acting", "unseen words", "good plot"})
	// Row 0: counts bad=2 acting=1 (no sublinear), times idf, L2-normalised.
	wb, wa := 2*(math.Log(5.0/3)+1), math.Log(5.0/2)+1
	n := math.Hypot(wb, wa)
	if math.Abs(float64(x[0][1])-wb/n) > 1e-6 || math.Abs(float64(x[0][0])-wa/n) > 1e-6 {
		t.Errorf("row 0 = %v, want bad %v acting %v", x[0], wb/n, wa/n)
	}
	for _, f := range x[1] {
		if f != 0 {
			t.Errorf("unknown words: %v, want zeros", x[1])
		}
	}
	sq := 0.0
	for _, f := range x[2] {
		sq += float64(f) * float64(f)
	}
	if math.Abs(sq-1) > 1e-6 {
		t.Errorf("|row 2|² = %v, want 1", sq)
	}

	// MaxFeatures keeps the most frequent terms; MinDF drops the rare ones.
	v, err = Fit(train, Options{NGrams: 2, MaxFeatures: 2, MinDF: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(v.Terms, []string{"bad", "film"}) {
		t.Errorf("top-2 terms %q, want bad, film (df 2; ties by term: bad, film, good)", v.Terms)
	}
	if v, err = Fit(train, Options{NGrams: 2, MinDF: 2}); err != nil || v.Dim() != 3 {
		t.Errorf("MinDF 2: %v terms (%v), want bad, film, good", v.Terms, err)
	}
	if x := v.Transform([]string{"good good"}); x[0][2] != 1 {
		t.Errorf("IDF off: one term's vector = %v, want a unit vector", x[0])
	}
}

func TestFitErrors(t *testing.T) {
	for _, tc := range []struct {
		texts []string
		opts  Options
	}{
		{nil, DefaultOptions()},
		{[]string{"a"}, Options{NGrams: 3}},
		{[]string{"a"}, Options{NGrams: 1, MinDF: -1}},
		{[]string{"a", "b"}, Options{NGrams: 1, MinDF: 2}},
	} {
		if _, err := Fit(tc.texts, tc.opts); err == nil {
			t.Errorf("Fit(%q, %+v): no error", tc.texts, tc.opts)
		}
	}
}
