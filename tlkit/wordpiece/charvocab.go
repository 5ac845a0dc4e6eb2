package wordpiece

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/nlp-transfer/gotl/internal/atomicfile"
	"github.com/sugarme/tokenizer/normalizer"
)

// CharacterVocab returns a character-level vocabulary for texts, in vocab.txt order: the
// BERT special tokens ([PAD], [UNK], [CLS], [SEP], [MASK]), then every character that occurs
// at least minCount times, most frequent first (ties by code point), then the "##"
// continuation of each such character that is not a CJK ideograph (the tokenizer splits
// ideographs into words of their own, so they never continue a word; "2006" needs "2",
// "##0", "##0", "##6").
//
// The characters are counted after the tokenizer's normalization (lowercase: the uncased
// one, as LoadVocab(path, lowercase) applies it), whitespace and control characters left
// out. With such a vocabulary the tokenizer reads Chinese text one character a token, and
// every character seen minCount times maps to itself instead of [UNK]: the vocabulary of a
// character-level BERT (e.g. for MSRA NER, whose words are single characters). It returns an
// error when no character reaches minCount.
func CharacterVocab(texts []string, minCount int, lowercase bool) ([]string, error) {
	minCount = max(minCount, 1)
	b := bertNormalizer{lowercase: lowercase}
	counts := map[rune]int{}
	for _, t := range texts {
		for _, r := range t {
			for _, m := range b.mapRune(r) {
				if m != ' ' {
					counts[m]++
				}
			}
		}
	}
	var chars []rune
	for r, n := range counts {
		if n >= minCount {
			chars = append(chars, r)
		}
	}
	if len(chars) == 0 {
		return nil, fmt.Errorf("character vocabulary: no character occurs %d times in the %d texts", minCount, len(texts))
	}
	slices.SortFunc(chars, func(a, b rune) int {
		return cmp.Or(cmp.Compare(counts[b], counts[a]), cmp.Compare(a, b))
	})
	vocab := slices.Clone(bertSpecialTokens)
	special := map[string]bool{}
	for _, s := range bertSpecialTokens {
		special[s] = true
	}
	for _, r := range chars {
		if !special[string(r)] {
			vocab = append(vocab, string(r))
		}
	}
	for _, r := range chars {
		if !normalizer.IsChinese(r) {
			vocab = append(vocab, "##"+string(r))
		}
	}
	return vocab, nil
}

// WriteVocab writes tokens to path as a vocab.txt, one token a line (the line number is the
// id), through a temporary file renamed into place. A token holding a line break or
// repeated is an error: the file would not read back as the same vocabulary.
func WriteVocab(path string, tokens []string) error {
	seen := make(map[string]bool, len(tokens))
	for i, t := range tokens {
		switch {
		case t == "" || strings.ContainsAny(t, "\r\n"):
			return fmt.Errorf("writing vocabulary %s: token %d (%q) is empty or holds a line break", path, i, t)
		case seen[t]:
			return fmt.Errorf("writing vocabulary %s: token %q is repeated (id %d)", path, t, i)
		}
		seen[t] = true
	}
	if err := atomicfile.WriteFile(path, []byte(strings.Join(tokens, "\n")+"\n")); err != nil {
		return fmt.Errorf("writing vocabulary %s: %w", path, err)
	}
	return nil
}
