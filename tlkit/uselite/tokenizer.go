package uselite

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"unicode/utf16"

	"golang.org/x/text/unicode/norm"
)

// NumReservedPieces is the number of special pieces at the start of the vocabulary ("�" for
// unknown text, "<s>", "</s>" and three "extra_token_id_*"), which the tokenizer never matches.
const NumReservedPieces = 6

// UnknownID is the token id of text that no vocabulary piece covers. Runs of unknown symbols
// are merged into one UnknownID.
const UnknownID = 0

// WordSeparator is SentencePiece's word-boundary mark "▁" (U+2581): the tokenizer prefixes
// the text with it and replaces every space (U+0020) by it.
const WordSeparator = "\u2581"

// Piece is one vocabulary entry: its text and its unigram log-probability score.
type Piece struct {
	Text  string
	Score float64
}

// Tokenizer is a port of the TF.js Universal Sentence Encoder tokenizer
// (@tensorflow-models/universal-sentence-encoder, as bundled in @energetic-ai/embeddings):
// a SentencePiece-style unigram segmentation found by a Viterbi search over a trie of the
// vocabulary pieces.
//
// It reproduces the TF.js behaviour exactly, quirks included:
//
//   - The text is NFKC-normalised but not lower-cased; every space U+0020 (but no other
//     whitespace) becomes "▁", and one "▁" is prepended.
//   - A position no piece starts at is covered by a one-symbol unknown piece of score 0, which
//     (scores being negative log-probabilities) the search strongly prefers.
//   - Ties go to the later candidate (score >= best), and a best score of exactly 0 counts
//     as "unset".
//   - Scores that are null in vocab.json count as 0.
//   - The back-tracking step uses the piece's length in UTF-16 code units, as JavaScript's
//     String.length does, while the forward pass counts code points.
//   - Consecutive unknown ids are merged into one.
type Tokenizer struct {
	pieces   []Piece
	jsLength []int // JavaScript String.length (UTF-16 code units) of each piece's text.
	root     *trieNode
}

// trieNode is a node of the vocabulary trie, keyed by code points.
type trieNode struct {
	children map[rune]*trieNode
	end      bool    // A piece ends here.
	depth    int     // Length of the piece ending here, in code points.
	score    float64 // Score of the piece ending here.
	id       int32   // Id of the piece ending here.
}

// NewTokenizer returns a tokenizer over the given vocabulary: the piece with index i has
// token id i. The first NumReservedPieces pieces are never produced except UnknownID.
func NewTokenizer(vocab []Piece) (*Tokenizer, error) {
	if len(vocab) <= NumReservedPieces {
		return nil, fmt.Errorf("vocabulary has %d pieces, want more than the %d reserved ones", len(vocab), NumReservedPieces)
	}
	t := &Tokenizer{
		pieces:   append([]Piece{}, vocab...),
		jsLength: make([]int, len(vocab)),
		root:     &trieNode{children: map[rune]*trieNode{}},
	}
	for i, p := range vocab {
		t.jsLength[i] = len(utf16.Encode([]rune(p.Text)))
		if i < NumReservedPieces {
			continue
		}
		node := t.root
		symbols := []rune(p.Text)
		for j, r := range symbols {
			child, ok := node.children[r]
			if !ok {
				child = &trieNode{children: map[rune]*trieNode{}, depth: j + 1}
				node.children[r] = child
			}
			node = child
		}
		if len(symbols) > 0 {
			// Later duplicates overwrite earlier ones, as in TF.js.
			node.end, node.score, node.id = true, p.Score, int32(i)
		}
	}
	return t, nil
}

// LoadVocab reads a TF.js USE vocab.json: a JSON array of [piece, score] pairs, where a
// score may be null (read as 0, as JavaScript arithmetic does).
func LoadVocab(path string) ([]Piece, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading vocabulary: %w", err)
	}
	var raw [][]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("parsing vocabulary %s (want a JSON array of [piece, score] pairs): %w", path, err)
	}
	vocab := make([]Piece, len(raw))
	for i, pair := range raw {
		if len(pair) != 2 {
			return nil, fmt.Errorf("vocabulary %s: entry %d has %d elements, want [piece, score]", path, i, len(pair))
		}
		if err := json.Unmarshal(pair[0], &vocab[i].Text); err != nil {
			return nil, fmt.Errorf("vocabulary %s: entry %d: piece is not a string: %w", path, i, err)
		}
		if s := strings.TrimSpace(string(pair[1])); s != "null" {
			vocab[i].Score, err = strconv.ParseFloat(s, 64)
			if err != nil {
				return nil, fmt.Errorf("vocabulary %s: entry %d (%q): score is not a number: %w", path, i, vocab[i].Text, err)
			}
		}
	}
	return vocab, nil
}

// VocabSize returns the number of pieces in the vocabulary.
func (t *Tokenizer) VocabSize() int { return len(t.pieces) }

// Piece returns the vocabulary piece with the given id, or false if id is out of range.
func (t *Tokenizer) Piece(id int32) (Piece, bool) {
	if id < 0 || int(id) >= len(t.pieces) {
		return Piece{}, false
	}
	return t.pieces[id], true
}

// Normalize applies the tokenizer's input transformation: NFKC normalisation, spaces replaced
// by "▁" and a "▁" prepended. The empty string stays empty.
func Normalize(text string) string {
	n := norm.NFKC.String(text)
	if n == "" {
		return ""
	}
	return WordSeparator + strings.ReplaceAll(n, " ", WordSeparator)
}

// candidate is one vocabulary piece (or the unknown fallback) spanning symbols [start, start+length).
type candidate struct {
	length int
	score  float64
	id     int32
}

// Encode returns the token ids of text. The empty string gives no ids; any other text gives
// at least one.
func (t *Tokenizer) Encode(text string) []int32 {
	symbols := []rune(Normalize(text))
	n := len(symbols)
	if n == 0 {
		return nil
	}
	// ending[e] lists the candidates ending at symbol e, in increasing start order (the order
	// in which TF.js iterates its nodes[e] object).
	ending := make([][]candidate, n+1)
	for i := 0; i < n; i++ {
		found := false
		node := t.root.children[symbols[i]]
		for j := i; node != nil; {
			if node.end {
				ending[i+node.depth] = append(ending[i+node.depth], candidate{node.depth, node.score, node.id})
				found = true
			}
			j++
			if j >= n {
				break
			}
			node = node.children[symbols[j]]
		}
		if !found {
			ending[i+1] = append(ending[i+1], candidate{1, 0, UnknownID})
		}
	}

	// Viterbi, maximising the summed scores.
	best := make([]float64, n+1)
	words := make([]int32, n+1)
	for end := 0; end <= n; end++ {
		for _, c := range ending[end] {
			score := c.score + best[end-c.length]
			if best[end] == 0 || score >= best[end] {
				best[end] = score
				words[end] = c.id
			}
		}
	}

	// Back-track from the end. As in TF.js, the step is the piece's JavaScript length.
	var reversed []int32
	for pos := n; pos > 0; pos -= t.jsLength[words[pos]] {
		reversed = append(reversed, words[pos])
	}
	ids := make([]int32, 0, len(reversed))
	previousUnknown := false
	for i := len(reversed) - 1; i >= 0; i-- {
		id := reversed[i]
		if !(previousUnknown && id == UnknownID) {
			ids = append(ids, id)
		}
		previousUnknown = id == UnknownID
	}
	return ids
}
