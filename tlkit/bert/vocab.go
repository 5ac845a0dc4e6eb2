package bert

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/nlp-transfer/gotl/tlkit/wordpiece"
)

// readVocab reads the vocabulary of the checkpoint in dir, as vocab.txt content (from vocab.txt,
// or else built from tokenizer.json's WordPiece vocabulary), and whether it is cased (see Load).
// vocabPath is the vocab.txt file, "" when the vocabulary came from tokenizer.json.
func readVocab(dir string) (vocab []byte, vocabPath string, cased bool, err error) {
	var tokJSON *tokenizerJSON
	vocabPath = filepath.Join(dir, VocabFile)
	vocab, err = os.ReadFile(vocabPath)
	if errors.Is(err, fs.ErrNotExist) {
		vocabPath = ""
		tokPath := filepath.Join(dir, TokenizerFile)
		tokJSON, err = readTokenizerJSON(tokPath)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, "", false, fmt.Errorf("no vocabulary: %s has neither %s nor %s", dir, VocabFile, TokenizerFile)
		}
		if err != nil {
			return nil, "", false, err
		}
		if vocab, err = tokJSON.vocabTxt(tokPath); err != nil {
			return nil, "", false, err
		}
	} else if err != nil {
		return nil, "", false, fmt.Errorf("reading the vocabulary: %w", err)
	}

	// Casing: tokenizer_config.json's do_lower_case, else tokenizer.json's normalizer, else uncased.
	cfgPath := filepath.Join(dir, TokenizerConfigFile)
	if data, err := os.ReadFile(cfgPath); err == nil {
		var tc struct {
			DoLowerCase *bool `json:"do_lower_case"`
		}
		if err := json.Unmarshal(data, &tc); err != nil {
			return nil, "", false, fmt.Errorf("reading %s: %w", cfgPath, err)
		}
		if tc.DoLowerCase != nil {
			return vocab, vocabPath, !*tc.DoLowerCase, nil
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, "", false, fmt.Errorf("reading tokenizer config: %w", err)
	}
	if tokJSON == nil {
		tokPath := filepath.Join(dir, TokenizerFile)
		tokJSON, err = readTokenizerJSON(tokPath)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, "", false, err
		}
	}
	if tokJSON != nil {
		if lower, ok := tokJSON.Normalizer.lowercase(); ok {
			return vocab, vocabPath, !lower, nil
		}
	}
	return vocab, vocabPath, false, nil
}

// tokenizerJSON is the part of a HuggingFace tokenizer.json that Load reads.
type tokenizerJSON struct {
	Normalizer *normalizerJSON `json:"normalizer"`
	Model      struct {
		Type  string         `json:"type"`
		Vocab map[string]int `json:"vocab"`
	} `json:"model"`
}

// normalizerJSON is a tokenizer.json normalizer: BertNormalizer, Lowercase, or a Sequence.
type normalizerJSON struct {
	Type        string            `json:"type"`
	Lowercase   *bool             `json:"lowercase"`
	Normalizers []*normalizerJSON `json:"normalizers"`
}

// lowercase reports whether the normalizer lower-cases, and whether it says.
func (n *normalizerJSON) lowercase() (lower, ok bool) {
	if n == nil {
		return false, false
	}
	switch n.Type {
	case "BertNormalizer":
		if n.Lowercase == nil {
			return true, true // The tokenizers library's default.
		}
		return *n.Lowercase, true
	case "Lowercase":
		return true, true
	case "Sequence":
		for _, sub := range n.Normalizers {
			if lower, ok := sub.lowercase(); ok && lower {
				return true, true
			}
		}
		return false, true
	}
	return false, false
}

// readTokenizerJSON parses a tokenizer.json; a missing file is an error wrapping fs.ErrNotExist.
func readTokenizerJSON(path string) (*tokenizerJSON, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var t tokenizerJSON
	if err := json.Unmarshal(data, &t); err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return &t, nil
}

// vocabTxt returns the WordPiece vocabulary as vocab.txt content: one token per line, by id.
func (t *tokenizerJSON) vocabTxt(path string) ([]byte, error) {
	if t.Model.Type != "WordPiece" || len(t.Model.Vocab) == 0 {
		return nil, fmt.Errorf("%s: model is %q with %d tokens, want a WordPiece vocabulary", path, t.Model.Type, len(t.Model.Vocab))
	}
	tokens := make([]string, len(t.Model.Vocab))
	for tok, id := range t.Model.Vocab {
		if id < 0 || id >= len(tokens) || tokens[id] != "" {
			return nil, fmt.Errorf("%s: WordPiece vocabulary ids are not 0..%d, each once (token %q has id %d)", path, len(tokens)-1, tok, id)
		}
		if tok == "" || strings.ContainsAny(tok, "\r\n") {
			return nil, fmt.Errorf("%s: WordPiece token %q (id %d) cannot be written to a vocab.txt", path, tok, id)
		}
		tokens[id] = tok
	}
	var b bytes.Buffer
	for _, tok := range tokens {
		b.WriteString(tok)
		b.WriteByte('\n')
	}
	return b.Bytes(), nil
}

// tokenizerFromVocab returns the WordPiece tokenizer for vocab.txt content, read from path when
// that is the file holding it. wordpiece.LoadVocab reads a file, so without path the content goes
// through a temporary file, removed afterwards.
func tokenizerFromVocab(vocab []byte, path string, lowercase bool) (*wordpiece.Tokenizer, error) {
	if path != "" {
		return wordpiece.LoadVocab(path, lowercase)
	}
	f, err := os.CreateTemp("", "bert-vocab-*.txt")
	if err != nil {
		return nil, fmt.Errorf("writing a temporary vocab.txt: %w", err)
	}
	defer func() { _ = os.Remove(f.Name()) }()
	_, err = f.Write(vocab)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("writing a temporary vocab.txt: %w", err)
	}
	return wordpiece.LoadVocab(f.Name(), lowercase)
}

// modelMaxLength returns tokenizer_config.json's model_max_length when it is in
// [2, maxPositions), else 0 (no cap below maxPositions). The Hub's files sometimes hold a huge
// placeholder (1e30) there, hence the float.
func modelMaxLength(dir string, maxPositions int) int {
	data, err := os.ReadFile(filepath.Join(dir, TokenizerConfigFile))
	if err != nil {
		return 0
	}
	var tc struct {
		ModelMaxLength float64 `json:"model_max_length"`
	}
	if json.Unmarshal(data, &tc) != nil || tc.ModelMaxLength < 2 || tc.ModelMaxLength >= float64(maxPositions) {
		return 0
	}
	return int(tc.ModelMaxLength)
}
