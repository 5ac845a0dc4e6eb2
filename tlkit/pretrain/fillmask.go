package pretrain

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/nlp-transfer/gotl/internal/backend"
	"github.com/nlp-transfer/gotl/tlkit/bert"
	"github.com/nlp-transfer/gotl/tlkit/wordpiece"
)

// Candidate is one prediction for a [MASK]: a vocabulary token and its probability.
type Candidate struct {
	Token string
	ID    int
	Prob  float64
}

// Blank is the model's guess for one [MASK] of a text: its position among the text's tokens
// ([CLS] is 0) and the top candidates, most probable first.
type Blank struct {
	Position   int
	Candidates []Candidate
}

// FillMask returns, for each text, the model's top k candidates for each [MASK] in it (written
// literally, e.g. "the [MASK] sat on the mat."), from the MLM head (the model must have one:
// bert.Model.HasMLMHead). A text without [MASK] gets no blanks.
func FillMask(m *bert.Model, texts []string, k int) ([][]Blank, error) {
	if !m.HasMLMHead() {
		return nil, fmt.Errorf("pretrain: FillMask: %s has no MLM head (pretrain it, or load a checkpoint saved with one)", m.Name())
	}
	if k < 1 {
		return nil, fmt.Errorf("pretrain: FillMask: k is %d, want at least 1", k)
	}
	tok := m.Tokenizer()
	maskID, ok := tok.TokenToID(wordpiece.MaskToken)
	if !ok {
		return nil, errors.New("pretrain: FillMask: the vocabulary has no [MASK]")
	}
	rows, err := m.Tokenize(texts)
	if err != nil {
		return nil, fmt.Errorf("pretrain: FillMask: %w", err)
	}
	length := 0
	for _, r := range rows {
		length = max(length, len(r))
	}
	n := len(rows)
	ids := make([]int32, n*length)
	mask := make([]bool, n*length)
	for i, r := range rows {
		copy(ids[i*length:], r)
		for j := range r {
			mask[i*length+j] = true
		}
	}
	be, err := backend.Get()
	if err != nil {
		return nil, err
	}
	cfg := m.Config()
	exec, err := model.NewExec(be, m.Store(), func(scope *model.Scope, ids, mask *graph.Node) *graph.Node {
		states, _ := bert.Encoder(scope, cfg, ids, mask)
		return graph.Softmax(bert.MLMLogits(scope, cfg, states), -1)
	})
	if err != nil {
		return nil, fmt.Errorf("pretrain: FillMask: %w", err)
	}
	defer exec.Finalize()
	out, err := exec.Exec(tensors.FromFlatDataAndDimensions(ids, n, length), tensors.FromFlatDataAndDimensions(mask, n, length))
	if err != nil {
		return nil, fmt.Errorf("pretrain: FillMask: %w", err)
	}
	probs, err := tensors.CopyFlatData[float32](out[0])
	_ = out[0].FinalizeAll()
	if err != nil {
		return nil, err
	}
	v := cfg.VocabSize
	result := make([][]Blank, n)
	for i, r := range rows {
		for j, id := range r {
			if int(id) != maskID {
				continue
			}
			p := probs[(i*length+j)*v : (i*length+j+1)*v]
			result[i] = append(result[i], Blank{Position: j, Candidates: topK(tok, p, k)})
		}
	}
	return result, nil
}

// topK returns the k most probable tokens of p (ties by id).
func topK(tok *wordpiece.Tokenizer, p []float32, k int) []Candidate {
	idx := make([]int, len(p))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case p[a] > p[b]:
			return -1
		case p[a] < p[b]:
			return 1
		}
		return 0
	})
	out := make([]Candidate, 0, k)
	for _, id := range idx[:min(k, len(idx))] {
		t, _ := tok.IDToToken(id)
		out = append(out, Candidate{Token: t, ID: id, Prob: float64(p[id])})
	}
	return out
}

// FormatBlanks writes text with each [MASK] replaced by its candidates, as
// "the [cat 12% | dog 8% | man 5%] sat on the mat.".
func FormatBlanks(text string, blanks []Blank) string {
	var b strings.Builder
	rest := text
	for _, bl := range blanks {
		before, after, ok := strings.Cut(rest, wordpiece.MaskToken)
		if !ok {
			break
		}
		b.WriteString(before)
		b.WriteByte('[')
		for i, c := range bl.Candidates {
			if i > 0 {
				b.WriteString(" | ")
			}
			fmt.Fprintf(&b, "%s %.0f%%", c.Token, math.Round(100*c.Prob))
		}
		b.WriteByte(']')
		rest = after
	}
	b.WriteString(rest)
	return b.String()
}
