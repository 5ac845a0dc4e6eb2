package encoder

import (
	"errors"
	"fmt"
	"sort"
	"unicode"
)

// UnknownToken is an Encoder that names the token id it gives text its vocabulary does not
// cover (SentencePiece's "unknown" piece, WordPiece's [UNK], GloVe's unknown word).
type UnknownToken interface {
	Encoder

	// UnknownID is the token id of uncovered text.
	UnknownID() int32
}

// Coverage says how much of a text collection an encoder can read, character by character:
// the "language diversity" check to run before trusting an encoder on a new language.
type Coverage struct {
	// Encoder is the encoder's Name.
	Encoder string
	// Chars counts the characters of the texts (spaces excluded), Distinct the distinct ones.
	Chars, Distinct int
	// Unknown counts the characters whose tokens hold the encoder's unknown token (or that
	// give no token at all), UnknownDistinct the distinct ones.
	Unknown, UnknownDistinct int
	// Frequent lists the most frequent unknown characters, most frequent first (at most 10).
	Frequent []string
}

// UnknownShare is Unknown / Chars: the share of the text the encoder cannot see.
func (c Coverage) UnknownShare() float64 {
	if c.Chars == 0 {
		return 0
	}
	return float64(c.Unknown) / float64(c.Chars)
}

// String reports the coverage in one line.
func (c Coverage) String() string {
	return fmt.Sprintf("%s: %.1f%% of %d characters unknown (%d of %d distinct), most frequent unknown %v",
		c.Encoder, 100*c.UnknownShare(), c.Chars, c.UnknownDistinct, c.Distinct, c.Frequent)
}

// CharacterCoverage tokenizes each distinct character of texts on its own with enc and counts
// the character occurrences whose tokens hold enc's unknown token, or that give no token: for
// Chinese, where a character is often a word, the share of the text a model never sees. enc
// must be an UnknownToken (uselite, bert and glove encoders are).
func CharacterCoverage(enc Encoder, texts []string) (Coverage, error) {
	u, ok := enc.(UnknownToken)
	if !ok {
		return Coverage{}, fmt.Errorf("character coverage: encoder %s does not name its unknown token", enc.Name())
	}
	counts := map[rune]int{}
	for _, t := range texts {
		for _, r := range t {
			if !unicode.IsSpace(r) {
				counts[r]++
			}
		}
	}
	c := Coverage{Encoder: enc.Name(), Distinct: len(counts)}
	chars := make([]rune, 0, len(counts))
	for r, n := range counts {
		chars = append(chars, r)
		c.Chars += n
	}
	sort.Slice(chars, func(i, j int) bool {
		if counts[chars[i]] != counts[chars[j]] {
			return counts[chars[i]] > counts[chars[j]]
		}
		return chars[i] < chars[j]
	})
	unk := u.UnknownID()
	for _, r := range chars {
		known := false
		ids, err := enc.Tokenize([]string{string(r)})
		switch {
		case errors.Is(err, ErrEmptyText):
		case err != nil:
			return Coverage{}, fmt.Errorf("character coverage of %s: %q: %w", enc.Name(), r, err)
		default:
			known = readsAs(ids[0], unk)
		}
		if !known {
			c.Unknown += counts[r]
			c.UnknownDistinct++
			if len(c.Frequent) < 10 {
				c.Frequent = append(c.Frequent, string(r))
			}
		}
	}
	return c, nil
}

// readsAs reports whether ids, the tokens of one character, are free of the unknown token.
func readsAs(ids []int32, unk int32) bool {
	for _, id := range ids {
		if id == unk {
			return false
		}
	}
	return len(ids) > 0
}
