package probe

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/nlp-transfer/gotl/tlkit/encoder"
)

// DefaultChunkWords is the default chunk size of ExtractChunkedFeatures: 80 words, about
// 100 USE-lite tokens, under its 128-token limit.
const DefaultChunkWords = 80

// SplitChunks cuts text into consecutive chunks of at most maxWords words each, cutting
// between sentences (after '.', '!' or '?') where it can: sentences are packed greedily into
// a chunk, and a sentence longer than maxWords is cut between words. Whitespace is
// normalised to single spaces. A text without words gives no chunk.
func SplitChunks(text string, maxWords int) []string {
	if maxWords < 1 {
		maxWords = 1
	}
	var chunks, cur []string
	flush := func() {
		if len(cur) > 0 {
			chunks = append(chunks, strings.Join(cur, " "))
			cur = nil
		}
	}
	for _, sentence := range sentences(text) {
		words := strings.Fields(sentence)
		if len(cur)+len(words) > maxWords {
			flush()
		}
		for len(words) > maxWords {
			chunks = append(chunks, strings.Join(words[:maxWords], " "))
			words = words[maxWords:]
		}
		cur = append(cur, words...)
	}
	flush()
	return chunks
}

// sentences splits text after each run of '.', '!' or '?' followed by a space.
func sentences(text string) []string {
	var out []string
	runes := []rune(text)
	start := 0
	for i := 0; i < len(runes); i++ {
		if !strings.ContainsRune(".!?", runes[i]) {
			continue
		}
		j := i
		for j+1 < len(runes) && strings.ContainsRune(".!?\"')", runes[j+1]) {
			j++
		}
		if j+1 < len(runes) && unicode.IsSpace(runes[j+1]) {
			out = append(out, string(runes[start:j+1]))
			start = j + 1
		}
		i = j
	}
	return append(out, string(runes[start:]))
}

// ExtractChunkedFeatures returns one vector a text for texts longer than the encoder reads
// (USE-lite keeps the first 128 tokens, about 100 words): each text is cut into chunks of
// at most maxWords words (SplitChunks; 0 means DefaultChunkWords), every chunk is embedded
// with ExtractFeatures (so cached on disk), and a text's vector is the mean of its chunks'
// vectors. A text without words is an error naming it.
func ExtractChunkedFeatures(enc encoder.Encoder, texts []string, maxWords int, opts FeatureOptions) ([][]float32, error) {
	if maxWords == 0 {
		maxWords = DefaultChunkWords
	}
	if maxWords < 1 {
		return nil, fmt.Errorf("chunked features: %d words a chunk; want at least 1", maxWords)
	}
	var all []string
	owner := make([]int, 0, len(texts))
	for i, t := range texts {
		chunks := SplitChunks(t, maxWords)
		if len(chunks) == 0 {
			return nil, fmt.Errorf("chunked features: text %d has no words", i)
		}
		for _, c := range chunks {
			all = append(all, c)
			owner = append(owner, i)
		}
	}
	vectors, err := ExtractFeatures(enc, all, opts)
	if err != nil {
		return nil, err
	}
	out := make([][]float32, len(texts))
	counts := make([]int, len(texts))
	for k, v := range vectors {
		i := owner[k]
		if out[i] == nil {
			out[i] = make([]float32, len(v))
		}
		for j, x := range v {
			out[i][j] += x
		}
		counts[i]++
	}
	for i, row := range out {
		for j := range row {
			row[j] /= float32(counts[i])
		}
	}
	return out, nil
}
