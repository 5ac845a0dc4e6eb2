package pretrain

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/nlp-transfer/gotl/tlkit/wordpiece"
)

// maskRows returns n random rows of length tokens ([CLS] … [SEP], ordinary tokens between,
// with an [UNK] now and then), and the tokenizer.
func maskRows(t *testing.T, n, length int) (*wordpiece.Tokenizer, [][]int32) {
	t.Helper()
	tok, err := wordpiece.NewBertUncased()
	if err != nil {
		t.Fatal(err)
	}
	cls, _ := tok.TokenToID(wordpiece.ClsToken)
	sep, _ := tok.TokenToID(wordpiece.SepToken)
	unk, _ := tok.TokenToID(wordpiece.UnkToken)
	rng := rand.New(rand.NewPCG(7, 7))
	rows := make([][]int32, n)
	for i := range rows {
		row := []int32{int32(cls)}
		for range length - 2 {
			id := int32(1999 + rng.IntN(28000)) // Ordinary tokens.
			if rng.IntN(20) == 0 {
				id = int32(unk)
			}
			row = append(row, id)
		}
		rows[i] = append(row, int32(sep))
	}
	return tok, rows
}

// Masking chooses 15% of the maskable tokens of each row, never a special token, and splits
// them 80/10/10 into [MASK], random and unchanged tokens.
func TestMaskStatistics(t *testing.T) {
	const length = 128
	tok, rows := maskRows(t, 2000, length)
	m, err := NewMasker(tok, length, 0)
	if err != nil {
		t.Fatal(err)
	}
	if m.Prob != 0.15 || m.MaxPredictions != 19 {
		t.Fatalf("Prob %g, MaxPredictions %d; want 0.15 and ceil(0.15·126) = 19", m.Prob, m.MaxPredictions)
	}
	var chosen, maskable, masked, random, kept int
	rng := stepRNG(1, 0)
	for _, row := range rows {
		got := m.Mask(row, rng)
		candidates := 0
		for _, id := range row {
			if !m.Special[id] {
				candidates++
			}
		}
		if want := min(int(math.Round(0.15*float64(candidates))), m.MaxPredictions); len(got.Positions) != want {
			t.Fatalf("%d positions chosen among %d maskable tokens, want %d", len(got.Positions), candidates, want)
		}
		if !slices.IsSorted(got.Positions) {
			t.Fatalf("positions %v are not sorted", got.Positions)
		}
		chosen += len(got.Positions)
		maskable += candidates
		isChosen := map[int]bool{}
		for k, pos := range got.Positions {
			isChosen[pos] = true
			if m.Special[row[pos]] {
				t.Fatalf("special token %d at %d was chosen", row[pos], pos)
			}
			if got.Labels[k] != row[pos] {
				t.Fatalf("label %d at %d, want the original token %d", got.Labels[k], pos, row[pos])
			}
			switch id := got.IDs[pos]; {
			case id == m.MaskID:
				masked++
			case id == row[pos]:
				kept++
			default:
				if m.Special[id] {
					t.Fatalf("random replacement %d is a special token", id)
				}
				random++
			}
		}
		for pos, id := range got.IDs {
			if !isChosen[pos] && id != row[pos] {
				t.Fatalf("position %d was changed (%d → %d) but not chosen", pos, row[pos], id)
			}
		}
	}
	frac := func(n int) float64 { return float64(n) / float64(chosen) }
	t.Logf("chosen %.4f of maskable tokens; [MASK] %.4f, random %.4f, kept %.4f of %d predictions",
		float64(chosen)/float64(maskable), frac(masked), frac(random), frac(kept), chosen)
	if r := float64(chosen) / float64(maskable); math.Abs(r-0.15) > 0.005 {
		t.Errorf("chose %.4f of the maskable tokens, want 0.15", r)
	}
	// About 38000 predictions: the standard error of a fraction is at most 0.0026.
	for _, c := range []struct {
		name      string
		got, want float64
	}{{"[MASK]", frac(masked), 0.8}, {"random", frac(random), 0.1}, {"kept", frac(kept), 0.1}} {
		if math.Abs(c.got-c.want) > 0.012 {
			t.Errorf("%s: %.4f of the predictions, want %.2f", c.name, c.got, c.want)
		}
	}
}

// The masks depend only on (seed, step): the same pair gives the same masks, another seed or
// step others.
func TestMaskDeterminism(t *testing.T) {
	tok, rows := maskRows(t, 16, 64)
	m, err := NewMasker(tok, 64, 0.15)
	if err != nil {
		t.Fatal(err)
	}
	masks := func(seed uint64, step int) []Masked {
		rng := stepRNG(seed, step)
		var out []Masked
		for _, row := range rows {
			out = append(out, m.Mask(row, rng))
		}
		return out
	}
	same := func(a, b []Masked) bool {
		for i := range a {
			if !slices.Equal(a[i].IDs, b[i].IDs) || !slices.Equal(a[i].Positions, b[i].Positions) || !slices.Equal(a[i].Labels, b[i].Labels) {
				return false
			}
		}
		return true
	}
	if !same(masks(1, 5), masks(1, 5)) {
		t.Error("the same seed and step gave different masks")
	}
	if same(masks(1, 5), masks(2, 5)) {
		t.Error("seeds 1 and 2 gave the same masks")
	}
	if same(masks(1, 5), masks(1, 6)) {
		t.Error("steps 5 and 6 gave the same masks (masking is not dynamic)")
	}
}

// Rows without maskable tokens are left alone; a short row gets at least one prediction.
func TestMaskEdgeCases(t *testing.T) {
	tok, _ := maskRows(t, 1, 8)
	m, err := NewMasker(tok, 16, 0.15)
	if err != nil {
		t.Fatal(err)
	}
	cls, _ := tok.TokenToID(wordpiece.ClsToken)
	sep, _ := tok.TokenToID(wordpiece.SepToken)
	rng := stepRNG(3, 0)
	if got := m.Mask([]int32{int32(cls), int32(sep)}, rng); len(got.Positions) != 0 {
		t.Errorf("[CLS] [SEP] got positions %v", got.Positions)
	}
	if got := m.Mask([]int32{int32(cls), 2000, int32(sep)}, rng); !slices.Equal(got.Positions, []int{1}) {
		t.Errorf("one maskable token: positions %v, want [1]", got.Positions)
	}
	for _, bad := range []float64{-0.1, 1, 1.5} {
		if _, err := NewMasker(tok, 16, bad); err == nil {
			t.Errorf("NewMasker accepted probability %g", bad)
		}
	}
	if _, err := NewMasker(tok, 2, 0.15); err == nil {
		t.Error("NewMasker accepted rows of 2 tokens")
	}
}
