package metrics

import (
	"math"
	"strings"
	"testing"
)

func TestRetrievalAccuracy(t *testing.T) {
	en := [][]float32{{1, 0}, {0, 1}, {1, 1}, {-1, 0}}
	// zh 0 and 1 sit by their translations, zh 2 is nearer en 0 than en 2, zh 3 is scaled.
	zh := [][]float32{{2, 0.1}, {0.1, 3}, {1, 0.2}, {-5, 0}}
	got, err := RetrievalAccuracy(zh, en)
	if err != nil {
		t.Fatal(err)
	}
	if got != 0.75 {
		t.Errorf("zh→en accuracy %v, want 0.75", got)
	}
	// en→zh: en 0 = (1,0) is nearest zh 0 (cos 0.9988) before zh 2 (0.9806); en 2 = (1,1)/√2
	// is nearest zh 2 (cos 0.8321) against zh 0 (0.7416) and zh 1 (0.7307).
	if got, err := RetrievalAccuracy(en, zh); err != nil || got != 1 {
		t.Errorf("en→zh accuracy %v (%v), want 1", got, err)
	}
	// Ties go to the lowest index: with identical candidates only the first query is right.
	same := [][]float32{{1, 0}, {1, 0}}
	if got, _ := RetrievalAccuracy(same, same); got != 0.5 {
		t.Errorf("tied candidates: accuracy %v, want 0.5", got)
	}
	for _, c := range []struct {
		q, c [][]float32
		want string
	}{
		{en, zh[:3], "4 queries and 3 candidates"},
		{nil, nil, "0 queries"},
		{[][]float32{{1, 0}, {1}}, zh[:2], "query 1 has 1 dimensions"},
		{[][]float32{{float32(math.NaN()), 0}}, [][]float32{{1, 0}}, "NaN"},
	} {
		if _, err := RetrievalAccuracy(c.q, c.c); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("err = %v, want %q", err, c.want)
		}
	}
}
