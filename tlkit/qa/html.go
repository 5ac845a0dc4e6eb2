package qa

import (
	"fmt"
	"html"
	"sort"
	"strings"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/metrics"
)

// AnswerHTML returns ex as an HTML fragment for a notebook (gonbui.DisplayHTML): the
// question, its F1 with rules, and the context around the answers (at most window bytes
// either side; 0: all of it), the gold answers on a green background and the predicted
// answer span outlined (green when it scores EM 1, else red). pred is Prediction.Span.
// Where the spans overlap, both styles apply.
func AnswerHTML(ex data.QAExample, pred Span, rules metrics.AnswerRules, window int) string {
	text := ex.Context[pred.Start:pred.End]
	em, f1 := 0.0, 0.0
	for _, a := range ex.Answers {
		em, f1 = max(em, metrics.AnswerExactMatch(text, a.Text, rules)), max(f1, metrics.AnswerF1(text, a.Text, rules))
	}
	border := "#d62728"
	if em == 1 {
		border = "#2ca02c"
	}
	lo, hi := pred.Start, pred.End
	cuts := []int{pred.Start, pred.End}
	for _, a := range ex.Answers {
		lo, hi = min(lo, a.Start), max(hi, a.Start+len(a.Text))
		cuts = append(cuts, a.Start, a.Start+len(a.Text))
	}
	from, to := 0, len(ex.Context)
	if window > 0 {
		from, to = max(0, lo-window), min(len(ex.Context), hi+window)
		for from > 0 && !isBoundary(ex.Context, from) {
			from--
		}
		for to < len(ex.Context) && !isBoundary(ex.Context, to) {
			to++
		}
	}
	cuts = append(cuts, from, to)
	sort.Ints(cuts)
	inGold := func(i int) bool {
		for _, a := range ex.Answers {
			if i >= a.Start && i < a.Start+len(a.Text) {
				return true
			}
		}
		return false
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<div style="margin:6px 0"><b>Q:</b> %s <span style="color:#666">(F1 %.2f)</span><br>`, html.EscapeString(ex.Question), f1)
	if from > 0 {
		b.WriteString("… ")
	}
	// Each piece between two cuts is styled as gold, predicted, both or neither.
	for k := 0; k+1 < len(cuts); k++ {
		a, z := max(cuts[k], from), min(cuts[k+1], to)
		if a >= z {
			continue
		}
		piece := html.EscapeString(ex.Context[a:z])
		var style []string
		if inGold(a) {
			style = append(style, "background:#ccebc5")
		}
		if a >= pred.Start && a < pred.End {
			style = append(style, "outline:2px solid "+border, "border-radius:3px")
		}
		if style == nil {
			b.WriteString(piece)
		} else {
			fmt.Fprintf(&b, `<span style="%s">%s</span>`, strings.Join(style, ";"), piece)
		}
	}
	if to < len(ex.Context) {
		b.WriteString(" …")
	}
	b.WriteString("</div>")
	return b.String()
}

// isBoundary reports whether byte i of s starts a UTF-8 character.
func isBoundary(s string, i int) bool { return i >= len(s) || s[i]&0xc0 != 0x80 }
