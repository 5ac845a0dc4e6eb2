package pretrain

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/nlp-transfer/gotl/tlkit/wordpiece"
)

// Masker chooses and corrupts the positions a masked language model predicts, as BERT does
// (Devlin et al. 2019): Prob of the tokens of each row (rounded, at least one, at most
// MaxPredictions), never a special token ([CLS], [SEP], [PAD], [UNK], [MASK]); of those,
// MaskFraction become [MASK], RandomFraction a random ordinary token, and the rest are kept
// unchanged. The model must predict the original token at every chosen position.
type Masker struct {
	// Prob is the fraction of a row's maskable tokens chosen for prediction (0.15).
	Prob float64
	// MaskFraction and RandomFraction split the chosen tokens (0.8 and 0.1; the remaining 0.1
	// are kept).
	MaskFraction, RandomFraction float64
	// MaxPredictions caps the chosen positions per row; it is the number of prediction slots
	// per row in a batch.
	MaxPredictions int
	// MaskID is the id of [MASK].
	MaskID int32
	// Special marks the ids never chosen (special[id] true); ids past its end are ordinary.
	Special []bool
	// Replacements are the ids a random replacement draws from, uniformly: every ordinary
	// token of the vocabulary (not special, not [unusedN]).
	Replacements []int32
}

// NewMasker returns a Masker for rows of at most length tokens over the tokenizer's
// vocabulary, with prob 0.15 split 80/10/10 (the BERT recipe) when prob is 0. MaxPredictions
// is ceil(prob·(length−2)): enough for a full row less [CLS] and [SEP].
func NewMasker(tok *wordpiece.Tokenizer, length int, prob float64) (*Masker, error) {
	if prob == 0 {
		prob = 0.15
	}
	if !(prob > 0 && prob < 1) {
		return nil, fmt.Errorf("pretrain: mask probability %g must be in (0, 1)", prob)
	}
	if length < 3 {
		return nil, fmt.Errorf("pretrain: sequence length %d leaves no room for tokens between [CLS] and [SEP]", length)
	}
	maskID, ok := tok.TokenToID(wordpiece.MaskToken)
	if !ok {
		return nil, fmt.Errorf("pretrain: the vocabulary %s has no %s token", tok.VocabPath(), wordpiece.MaskToken)
	}
	m := &Masker{Prob: prob, MaskFraction: 0.8, RandomFraction: 0.1, MaskID: int32(maskID),
		MaxPredictions: int(math.Ceil(prob * float64(length-2))), Special: make([]bool, tok.VocabSize())}
	for id := range tok.VocabSize() {
		t, _ := tok.IDToToken(id)
		if strings.HasPrefix(t, "[") && strings.HasSuffix(t, "]") {
			m.Special[id] = true // [PAD], [UNK], [CLS], [SEP], [MASK], [unused0], ...
			continue
		}
		m.Replacements = append(m.Replacements, int32(id))
	}
	if len(m.Replacements) == 0 {
		return nil, fmt.Errorf("pretrain: the vocabulary %s has no ordinary token", tok.VocabPath())
	}
	return m, nil
}

// Masked is one row after masking: the corrupted ids, and the positions (columns, increasing)
// to predict with their original tokens.
type Masked struct {
	IDs       []int32
	Positions []int
	Labels    []int32
}

// Mask chooses and corrupts the prediction positions of row (token ids, [CLS] and [SEP]
// included) with rng; row is not modified. The number of positions is
// round(Prob·maskable tokens), at least 1 when a token is maskable, at most MaxPredictions.
func (m *Masker) Mask(row []int32, rng *rand.Rand) Masked {
	out := Masked{IDs: slices.Clone(row)}
	var candidates []int
	for i, id := range row {
		if !m.special(id) {
			candidates = append(candidates, i)
		}
	}
	if len(candidates) == 0 {
		return out
	}
	n := int(math.Round(m.Prob * float64(len(candidates))))
	n = min(max(n, 1), m.MaxPredictions, len(candidates))
	// A partial Fisher-Yates shuffle picks n distinct candidates.
	for i := range n {
		j := i + rng.IntN(len(candidates)-i)
		candidates[i], candidates[j] = candidates[j], candidates[i]
	}
	chosen := candidates[:n]
	slices.Sort(chosen)
	out.Positions = chosen
	out.Labels = make([]int32, n)
	for k, pos := range chosen {
		out.Labels[k] = row[pos]
		switch r := rng.Float64(); {
		case r < m.MaskFraction:
			out.IDs[pos] = m.MaskID
		case r < m.MaskFraction+m.RandomFraction:
			out.IDs[pos] = m.Replacements[rng.IntN(len(m.Replacements))]
		}
	}
	return out
}

// special reports whether id is never masked.
func (m *Masker) special(id int32) bool {
	return int(id) < len(m.Special) && m.Special[id]
}

// stepRNG returns the generator of the masking of one training step: a PCG seeded by (seed,
// step), so that the masks of a run depend only on its seed and are the same when it resumes.
func stepRNG(seed uint64, step int) *rand.Rand {
	return rand.New(rand.NewPCG(seed^0x6d61736b, uint64(step)))
}
