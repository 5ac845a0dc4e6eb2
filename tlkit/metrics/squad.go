package metrics

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// AnswerRules chooses how extractive-QA answers are normalised and split into tokens before
// they are compared (NormalizeAnswer, AnswerExactMatch, AnswerF1).
type AnswerRules int

const (
	// SQuADRules are those of SQuAD v1.1's official evaluate-v1.1.py: lower case, remove
	// ASCII punctuation (Python's string.punctuation), remove the articles a, an and the
	// (as whole words), fold white space; tokens are the words between white space.
	SQuADRules AnswerRules = iota
	// ChineseRules are those of MLQA's evaluate_mlqa.py for "zh", also used for the Chinese
	// half of XQuAD: lower case, remove every Unicode punctuation character (categories P*)
	// and the ASCII ones, no articles; each CJK ideograph (U+4E00–U+9FA5) is a token of its
	// own and the rest is split at white space, so F1 counts characters of Chinese text and
	// words of embedded Latin text or numbers.
	ChineseRules
)

// String returns "squad" or "zh".
func (r AnswerRules) String() string {
	switch r {
	case SQuADRules:
		return "squad"
	case ChineseRules:
		return "zh"
	}
	return fmt.Sprintf("AnswerRules(%d)", int(r))
}

// asciiPunctuation is Python's string.punctuation.
const asciiPunctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"

// NormalizeAnswer returns s as the rules' official script normalises it before comparing:
// for SQuADRules, normalize_answer of evaluate-v1.1.py (lower case, ASCII punctuation
// removed, articles replaced by a space, white space folded to single spaces). Python's
// semantics are kept where Go's differ: str.lower's final sigma and dotted capital I,
// str.split's white space (which includes U+001C–U+001F), and re's Unicode \b.
func NormalizeAnswer(s string, rules AnswerRules) string {
	return strings.Join(answerTokens(s, rules), " ")
}

// answerTokens returns the tokens of s after normalisation: what the scripts' f1_score
// gets from normalize_answer(s).split().
func answerTokens(s string, rules AnswerRules) []string {
	s = pyLower(s)
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(asciiPunctuation, r) || (rules == ChineseRules && unicode.IsPunct(r)) {
			continue
		}
		b.WriteRune(r)
	}
	s = b.String()
	if rules == SQuADRules {
		return pyFields(removeArticles(s))
	}
	// mixed_segmentation: each ideograph alone, the runs between them split at white space.
	var out []string
	start := 0
	for i, r := range s {
		if r >= 0x4e00 && r <= 0x9fa5 {
			out = append(out, pyFields(s[start:i])...)
			out = append(out, string(r))
			start = i + utf8.RuneLen(r)
		}
	}
	return append(out, pyFields(s[start:])...)
}

// AnswerExactMatch returns 1 if pred and gold are equal once normalised, else 0.
func AnswerExactMatch(pred, gold string, rules AnswerRules) float64 {
	if NormalizeAnswer(pred, rules) == NormalizeAnswer(gold, rules) {
		return 1
	}
	return 0
}

// AnswerF1 returns the token F1 of pred against gold (the scripts' f1_score): the harmonic
// mean of precision and recall of the tokens they share, counted with multiplicity. It is 0
// when they share no token, including when both are empty (as evaluate-v1.1.py has it).
func AnswerF1(pred, gold string, rules AnswerRules) float64 {
	p, g := answerTokens(pred, rules), answerTokens(gold, rules)
	counts := map[string]int{}
	for _, t := range g {
		counts[t]++
	}
	same := 0
	for _, t := range p {
		if counts[t] > 0 {
			counts[t]--
			same++
		}
	}
	if same == 0 {
		return 0
	}
	precision, recall := float64(same)/float64(len(p)), float64(same)/float64(len(g))
	return 2 * precision * recall / (precision + recall)
}

// QAGold is one question's gold answers, for QAScores.
type QAGold struct {
	ID      string
	Answers []string
}

// QAReport is the outcome of QAScores: the official scripts' numbers, as fractions in [0, 1]
// (the scripts print them ×100).
type QAReport struct {
	// ExactMatch and F1 are the means over every gold question; an unanswered question
	// scores 0 in both, as in the scripts.
	ExactMatch, F1 float64
	// PerQuestionEM and PerQuestionF1 are each gold question's scores, in order: the max over
	// its gold answers (for confidence intervals and paired differences).
	PerQuestionEM, PerQuestionF1 []float64
	// Total counts the gold questions, Answered those with a prediction.
	Total, Answered int
}

// QAScores scores predictions (question ID → predicted answer text) against gold with
// rules, as evaluate-v1.1.py does: for each gold question the max over its gold answers of
// exact match and of token F1, averaged over all gold questions. A question without gold
// answers is an error naming it.
func QAScores(pred map[string]string, gold []QAGold, rules AnswerRules) (QAReport, error) {
	r := QAReport{Total: len(gold)}
	if len(gold) == 0 {
		return r, fmt.Errorf("QA scores: no gold questions")
	}
	for _, q := range gold {
		if len(q.Answers) == 0 {
			return r, fmt.Errorf("QA scores: question %s has no gold answer", q.ID)
		}
		em, f1 := 0.0, 0.0
		if p, ok := pred[q.ID]; ok {
			r.Answered++
			for _, a := range q.Answers {
				em, f1 = max(em, AnswerExactMatch(p, a, rules)), max(f1, AnswerF1(p, a, rules))
			}
		}
		r.PerQuestionEM, r.PerQuestionF1 = append(r.PerQuestionEM, em), append(r.PerQuestionF1, f1)
		r.ExactMatch += em
		r.F1 += f1
	}
	r.ExactMatch /= float64(len(gold))
	r.F1 /= float64(len(gold))
	return r, nil
}

// removeArticles is re.sub(r'\b(a|an|the)\b', ' ', s) with Python's Unicode \w.
func removeArticles(s string) string {
	runes := []rune(s)
	word := func(i int) bool { return i >= 0 && i < len(runes) && pyWordRune(runes[i]) }
	var b strings.Builder
	for i := 0; i < len(runes); {
		matched := 0
		if !word(i - 1) {
			for _, a := range []string{"a", "an", "the"} { // The alternation's order.
				n := len(a)
				if i+n <= len(runes) && string(runes[i:i+n]) == a && !word(i+n) {
					matched = n
					break
				}
			}
		}
		if matched > 0 {
			b.WriteByte(' ')
			i += matched
			continue
		}
		b.WriteRune(runes[i])
		i++
	}
	return b.String()
}

// pyWordRune reports whether r matches Python's re \w on str: alphanumeric or '_'.
func pyWordRune(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r) }

// pyFields is Python's str.split(): runs of non-space characters, where the space
// characters are str.isspace's (Unicode white space plus U+001C–U+001F).
func pyFields(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f) })
}

// pyLower is Python's str.lower(): Go's lower case, except capital I with dot (U+0130),
// which becomes "i̇" (i and a combining dot), and capital sigma, which becomes final sigma
// (ς) at the end of a word: after a cased letter and not before one, skipping
// case-ignorable characters.
func pyLower(s string) string {
	if !strings.ContainsAny(s, "\u0130\u03a3") {
		return strings.ToLower(s)
	}
	runes := []rune(s)
	var b strings.Builder
	for i, r := range runes {
		switch r {
		case 0x130:
			b.WriteString("i\u0307")
		case 0x3a3:
			if casedAround(runes, i, -1) && !casedAround(runes, i, 1) {
				b.WriteRune('ς')
			} else {
				b.WriteRune('σ')
			}
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// casedAround reports whether the first character from i in direction dir (-1 or 1) that
// is not case-ignorable is cased.
func casedAround(runes []rune, i, dir int) bool {
	for j := i + dir; j >= 0 && j < len(runes); j += dir {
		r := runes[j]
		if unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf, unicode.Lm, unicode.Sk) || strings.ContainsRune("'.:^`\u00b7\u2018\u2019\u2024\u2027", r) {
			continue
		}
		return unicode.IsUpper(r) || unicode.IsLower(r) || unicode.IsTitle(r)
	}
	return false
}
