package glove_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/nlp-transfer/gotl/tlkit/glove"
)

func TestSplit(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"", nil},
		{"  \t\n ", nil},
		{"The King, the Queen.", []string{"the", "king", ",", "the", "queen", "."}},
		{"Don't stop; it's well-known!", []string{"do", "n't", "stop", ";", "it", "'s", "well-known", "!"}},
		{"can't won't they're we've I'll he'd I'm", []string{"ca", "n't", "wo", "n't", "they", "'re", "we", "'ve", "i", "'ll", "he", "'d", "i", "'m"}},
		{"It’s O'Neill’s", []string{"it", "'s", "o'neill", "'s"}},
		{"$3.50 for 1,000 items (10%)", []string{"$", "3.50", "for", "1,000", "items", "(", "10", "%", ")"}},
		{"end. 3.x 1,a", []string{"end", ".", "3", ".", "x", "1", ",", "a"}},
		{"-dash- 'quoted' x--y", []string{"-", "dash", "-", "'", "quoted", "'", "x", "-", "-", "y"}},
		{"“Café” naïve…", []string{"“", "café", "”", "naïve", "…"}},
		{"e-mail h1n1 mid-1990s", []string{"e-mail", "h1n1", "mid-1990s"}},
	} {
		if got := glove.Split(tc.text); !slices.Equal(got, tc.want) {
			t.Errorf("Split(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

func TestTokensFallBacks(t *testing.T) {
	v := tinyVectors(t, 0)
	for _, tc := range []struct {
		text string
		want []string
	}{
		// Known as a whole; unknown compound split into its parts (hyphens dropped).
		{"well-known good-great bad-zzz", []string{"well-known", "good", "great", "bad", "zzz"}},
		// Diacritics folded only when that makes a known word.
		{"Café CAFÉ naïve", []string{"cafe", "cafe", "naïve"}},
		// Clitics stay whole; "don't" gives the known "do".
		{"don't can't King's", []string{"do", "n't", "ca", "n't", "king", "'s"}},
		{"o'banana", []string{"o", "banana"}},
	} {
		if got := v.Tokens(tc.text); !slices.Equal(got, tc.want) {
			t.Errorf("Tokens(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
	if !v.Known("queen") || v.Known("Queen") || v.Known("n't") {
		t.Error("Known: want queen known, Queen and n't unknown")
	}
}

func ExampleSplit() {
	fmt.Printf("%q\n", glove.Split("The movie wasn't bad: it's a well-made, 2-hour film (8.5/10)!"))
	// Output:
	// ["the" "movie" "was" "n't" "bad" ":" "it" "'s" "a" "well-made" "," "2-hour" "film" "(" "8.5" "/" "10" ")" "!"]
}
