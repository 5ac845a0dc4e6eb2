package qa

import (
	"strings"
	"unicode"

	"github.com/nlp-transfer/gotl/data"
)

// stopwords are the English words that a question shares with any sentence; Overlap ignores
// them.
var stopwords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`a an the of in on at to for from by with as and or but is are was were be been
		being has have had do does did what which who whom whose when where why how that this these those it its
		there their they them he she his her i you we our not no than then so if into about after before over
		under between during much many most more other some such can could would should will may might`) {
		stopwords[w] = true
	}
}

// Overlap answers ex without any training, as the sliding-window baselines of the SQuAD
// paper do (Rajpurkar et al. 2016, after Richardson et al. 2013): it takes the context's
// sentence that shares the most distinct non-stopwords with the question (the first on a
// tie), and in it the run of words without a question word or a comma, colon, bracket or
// quote nearest to a shared word (a run beside one), cut to its maxWords words nearest that
// word and trimmed of stopwords and punctuation at either end (a run of stopwords only is
// no candidate). It is a reference point: it reads no label, so its one
// parameter, maxWords, is chosen on dev.
func Overlap(ex data.QAExample, maxWords int) Prediction {
	words := SplitWords(ex.Context)
	if len(words) == 0 {
		return Prediction{Window: -1}
	}
	question := map[string]bool{}
	for _, w := range SplitWords(ex.Question) {
		if k := strings.ToLower(ex.Question[w.Start:w.End]); !stopwords[k] && !isPunct(k) {
			question[k] = true
		}
	}
	text := func(i int) string { return strings.ToLower(ex.Context[words[i].Start:words[i].End]) }
	// Sentences: [lo, hi) word ranges ending after ".", "!" or "?".
	var best [2]int
	bestScore := -1
	for lo := 0; lo < len(words); {
		hi := lo
		for hi < len(words) {
			t := text(hi)
			hi++
			if t == "." || t == "!" || t == "?" {
				break
			}
		}
		seen := map[string]bool{}
		for i := lo; i < hi; i++ {
			if question[text(i)] {
				seen[text(i)] = true
			}
		}
		if len(seen) > bestScore {
			best, bestScore = [2]int{lo, hi}, len(seen)
		}
		lo = hi
	}
	// Runs of candidate words in the best sentence, and their distance to a shared word.
	candidate := func(i int) bool { t := text(i); return !question[t] && !strings.ContainsAny(t, breaks) }
	edge := func(i int) bool { t := text(i); return stopwords[t] || isPunct(t) }
	type run struct{ lo, hi, dist, anchor int }
	var pick *run
	for i := best[0]; i < best[1]; {
		if !candidate(i) {
			i++
			continue
		}
		r := run{lo: i}
		for i < best[1] && candidate(i) {
			i++
		}
		r.hi = i
		r.dist, r.anchor = len(words), r.lo
		for j := best[0]; j < best[1]; j++ {
			if !question[text(j)] {
				continue
			}
			d, a := r.lo-j, r.lo
			if j >= r.hi {
				d, a = j-r.hi+1, r.hi-1
			}
			if d < r.dist {
				r.dist, r.anchor = d, a
			}
		}
		// Cut to maxWords nearest the anchor, then trim stopwords at the ends.
		if r.hi-r.lo > maxWords {
			if r.anchor == r.lo {
				r.hi = r.lo + maxWords
			} else {
				r.lo = r.hi - maxWords
			}
		}
		for r.hi > r.lo && edge(r.lo) {
			r.lo++
		}
		for r.hi > r.lo && edge(r.hi-1) {
			r.hi--
		}
		if r.hi > r.lo && (pick == nil || r.dist < pick.dist) {
			pick = &r
		}
	}
	if pick == nil { // Every word is a question word or punctuation: answer the sentence.
		pick = &run{lo: best[0], hi: best[1]}
	}
	span := Span{words[pick.lo].Start, words[pick.hi-1].End}
	return Prediction{Text: ex.Context[span.Start:span.End], Span: span, Window: -1}
}

// breaks are the punctuation marks that end a candidate answer (an apostrophe or a hyphen
// does not).
const breaks = ",;:()[]\"!?.“”"

// isPunct reports whether a word is punctuation or symbols only.
func isPunct(w string) bool {
	for _, r := range w {
		if !unicode.IsPunct(r) && !unicode.IsSymbol(r) {
			return false
		}
	}
	return true
}
