package glove

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Split splits text into lower-case tokens roughly as the Stanford tokenizer that GloVe's corpus
// went through does:
//
//   - a word is a run of letters, digits and combining marks, joined across a hyphen or an
//     apostrophe between two such characters ("well-known", "o'neill"), and across a '.' or ','
//     between two digits ("3.5", "1,000");
//   - English clitics are split off: "don't" → "do", "n't"; "can't" → "ca", "n't"; "it's" →
//     "it", "'s" (also 're, 've, 'll, 'd, 'm); a typographic apostrophe (’) counts as one;
//   - every other character that is not a space is a token by itself ("(", "?", "$", "“").
//
// Split knows no vocabulary; Vectors.Tokens adds the fall-backs for unknown words.
func Split(text string) []string {
	var tokens []string
	rs := []rune(strings.ToLower(text))
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r) || unicode.IsControl(r):
			i++
		case isWordRune(r):
			start := i
			i++
			for i < len(rs) {
				if isWordRune(rs[i]) {
					i++
					continue
				}
				if i+1 < len(rs) && isWordRune(rs[i+1]) {
					joiner := rs[i]
					if joiner == '-' || joiner == '\'' || joiner == '’' ||
						((joiner == '.' || joiner == ',') && unicode.IsDigit(rs[i-1]) && unicode.IsDigit(rs[i+1])) {
						i += 2
						continue
					}
				}
				break
			}
			tokens = appendWord(tokens, strings.ReplaceAll(string(rs[start:i]), "’", "'"))
		default:
			tokens = append(tokens, string(r))
			i++
		}
	}
	return tokens
}

// isWordRune reports whether r belongs in a word: a letter, a digit or a combining mark.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// clitics are split off the end of a word, after an apostrophe (which they start with).
var clitics = []string{"'s", "'re", "'ve", "'ll", "'d", "'m"}

// appendWord appends word to tokens, splitting off a final clitic.
func appendWord(tokens []string, word string) []string {
	if len(word) > 3 && strings.HasSuffix(word, "n't") {
		return append(tokens, word[:len(word)-3], "n't")
	}
	for _, c := range clitics {
		if len(word) > len(c) && strings.HasSuffix(word, c) {
			return append(tokens, word[:len(word)-len(c)], c)
		}
	}
	return append(tokens, word)
}

// Tokens splits text with Split and then, for each token that is not one of v's words, tries:
// the token without diacritics ("café" → "cafe"); and for a word joined by hyphens or
// apostrophes, its parts, each looked up the same way ("ultra-violet" → "ultra", "violet"; the
// hyphens are dropped). Tokens that are still unknown are returned as they are: Known tells them
// apart.
func (v *Vectors) Tokens(text string) []string {
	split := Split(text)
	tokens := make([]string, 0, len(split))
	for _, t := range split {
		if _, ok := v.Index[t]; ok {
			tokens = append(tokens, t)
			continue
		}
		if folded := foldDiacritics(t); folded != t {
			if _, ok := v.Index[folded]; ok {
				tokens = append(tokens, folded)
				continue
			}
		}
		parts := strings.FieldsFunc(t, func(r rune) bool { return r == '-' || r == '\'' })
		if len(parts) < 2 || t == "n't" || strings.HasPrefix(t, "'") { // Not joined, or a clitic.
			tokens = append(tokens, t)
			continue
		}
		for _, p := range parts {
			if _, ok := v.Index[p]; !ok {
				if folded := foldDiacritics(p); folded != p {
					if _, ok := v.Index[folded]; ok {
						p = folded
					}
				}
			}
			tokens = append(tokens, p)
		}
	}
	return tokens
}

// Known reports whether token is one of v's words.
func (v *Vectors) Known(token string) bool {
	_, ok := v.Index[token]
	return ok
}

// diacritics maps accented Latin letters (lower case) to their base letters.
var diacritics = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a", 'ā': "a", 'ă': "a", 'ą': "a",
	'æ': "ae", 'ç': "c", 'ć': "c", 'č': "c", 'ď': "d", 'đ': "d",
	'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ē': "e", 'ė': "e", 'ę': "e", 'ě': "e",
	'ì': "i", 'í': "i", 'î': "i", 'ï': "i", 'ī': "i", 'ı': "i",
	'ł': "l", 'ñ': "n", 'ń': "n", 'ň': "n",
	'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ö': "o", 'ø': "o", 'ō': "o", 'ő': "o", 'œ': "oe",
	'ř': "r", 'ś': "s", 'š': "s", 'ş': "s", 'ß': "ss", 'ť': "t", 'ţ': "t",
	'ù': "u", 'ú': "u", 'û': "u", 'ü': "u", 'ū': "u", 'ů': "u", 'ű': "u",
	'ý': "y", 'ÿ': "y", 'ź': "z", 'ż': "z", 'ž': "z",
}

// foldDiacritics returns s with the accented Latin letters of diacritics replaced by their base
// letters, and combining marks removed.
func foldDiacritics(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if base, ok := diacritics[r]; ok {
			b.WriteString(base)
		} else if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
