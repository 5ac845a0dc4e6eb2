package data

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
)

// ParseCoNLL reads sentences in CoNLL format: one token a line as `token ... TAG` (columns
// separated by tabs when the line has one, else by spaces; the first column is the token,
// the last the tag), sentences separated by blank lines. "-DOCSTART-" lines are skipped.
// Every line of the input must have the same number of columns, at least 2.
//
// Errors give the 1-based line number ("line 12: ..."); LoadCoNLLFile adds the file name.
func ParseCoNLL(r io.Reader) ([]TaggedSentence, error) {
	rows, err := parseColumns(r, "")
	if err != nil {
		return nil, err
	}
	return columnsToSentences(rows, 0, -1), nil
}

// LoadCoNLLFile reads a CoNLL file of your own with ParseCoNLL; errors name the file and
// the line ("train.conll:12: ...").
func LoadCoNLLFile(path string) ([]TaggedSentence, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("loading CoNLL sentences: %w", err)
	}
	defer f.Close()
	rows, err := parseColumns(f, path)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s:1: no sentences in the file; want `token ... TAG` lines", path)
	}
	return columnsToSentences(rows, 0, -1), nil
}

// parseColumns reads CoNLL-style column files: it returns, per sentence, the columns of
// each of its lines. name, when not "", prefixes errors as "name:line: ...".
func parseColumns(r io.Reader, name string) ([][][]string, error) {
	where := func(line int) string {
		if name == "" {
			return fmt.Sprintf("line %d", line)
		}
		return fmt.Sprintf("%s:%d", name, line)
	}
	var (
		sentences  [][][]string
		current    [][]string
		numColumns int
		firstLine  int
	)
	scanner := bufio.NewScanner(r)
	scanner.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	lineNo := 0
	for scanner.Scan() {
		lineNo++
		line := strings.TrimRight(scanner.Text(), "\r")
		if lineNo == 1 {
			line = strings.TrimPrefix(line, "\ufeff")
		}
		if strings.TrimSpace(line) == "" {
			if len(current) > 0 {
				sentences = append(sentences, current)
				current = nil
			}
			continue
		}
		if i := firstInvalidUTF8(line); i >= 0 {
			return nil, fmt.Errorf("%s: invalid UTF-8 byte 0x%02X at column %d; convert the file to UTF-8", where(lineNo), line[i], i+1)
		}
		var cols []string
		if strings.Contains(line, "\t") {
			cols = strings.Split(line, "\t")
		} else {
			cols = strings.Fields(line)
		}
		if cols[0] == "-DOCSTART-" {
			continue
		}
		if len(cols) < 2 {
			return nil, fmt.Errorf("%s: got %q, want `token ... TAG` (at least 2 columns)", where(lineNo), line)
		}
		if numColumns == 0 {
			numColumns, firstLine = len(cols), lineNo
		} else if len(cols) != numColumns {
			return nil, fmt.Errorf("%s: %d columns, want %d like line %d", where(lineNo), len(cols), numColumns, firstLine)
		}
		current = append(current, cols)
	}
	if err := scanner.Err(); err != nil {
		if name == "" {
			return nil, fmt.Errorf("reading CoNLL input: %w", err)
		}
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	if len(current) > 0 {
		sentences = append(sentences, current)
	}
	return sentences, nil
}

// columnsToSentences takes tokens from column tokenCol and tags from column tagCol (-1: the
// last column).
func columnsToSentences(rows [][][]string, tokenCol, tagCol int) []TaggedSentence {
	out := make([]TaggedSentence, len(rows))
	for i, sentence := range rows {
		s := TaggedSentence{Tokens: make([]string, len(sentence)), Tags: make([]string, len(sentence))}
		for j, cols := range sentence {
			s.Tokens[j] = cols[tokenCol]
			if tagCol < 0 {
				s.Tags[j] = cols[len(cols)-1]
			} else {
				s.Tags[j] = cols[tagCol]
			}
		}
		out[i] = s
	}
	return out
}
