package main

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
)

// minExamplesForLabelCheck is the smallest training file that checkLabelled judges.
const minExamplesForLabelCheck = 10

// checkLabelled rejects a training file that looks unlabelled: a `LABEL text` line takes its
// first word as the label, so plain sentences give many "labels" (more than one for every
// four examples), most of them used once; no classifier learns a class from one example.
func checkLabelled(task *data.TextClassification, path string) error {
	n := len(task.Train)
	if n < minExamplesForLabelCheck || 4*len(task.Labels) <= n {
		return nil
	}
	counts := task.LabelCounts(task.Train)
	var once []string
	for label, c := range counts {
		if c == 1 {
			once = append(once, fmt.Sprintf("%q", task.Labels[label]))
		}
	}
	if 2*len(once) < len(task.Labels) {
		return nil
	}
	return fmt.Errorf("%s: %d distinct labels among %d examples, %d of them used once (%s): is the file unlabelled? "+
		"Each line must start with its label: `LABEL<TAB>text` or `LABEL text`",
		path, len(task.Labels), n, len(once), strings.Join(once[:min(5, len(once))], ", ")+ifMore(len(once) > 5))
}

// ifMore returns ", ..." when more is true.
func ifMore(more bool) string {
	if more {
		return ", ..."
	}
	return ""
}

// checkTexts tokenizes every text of task as enc does, failing on a text that yields no
// token, and warns on w when texts are longer than limit tokens (limit ≤ enc.MaxTokens(); 0
// means enc.MaxTokens()), which the commands truncate. flag names the option that sets the
// limit ("" when there is none).
func checkTexts(w io.Writer, enc encoder.Encoder, task *data.TextClassification, limit int, flag string) error {
	encLimit := enc.MaxTokens()
	if limit <= 0 || limit > encLimit {
		limit = encLimit
	}
	total, truncated := 0, 0
	var perSplit []string
	for _, split := range []struct {
		name     string
		examples []data.Example
	}{{"training", task.Train}, {"dev", task.Dev}, {"test", task.Test}} {
		texts := task.Texts(split.examples)
		ids, err := enc.Tokenize(texts)
		if err != nil {
			return tokenizeError(enc, split.name, texts, err)
		}
		n := 0
		for _, row := range ids {
			// Tokenize clips at the encoder's limit: at that limit, reaching it is all we know.
			if len(row) > limit || (limit == encLimit && len(row) >= limit) {
				n++
			}
		}
		total += len(texts)
		truncated += n
		if n > 0 {
			perSplit = append(perSplit, fmt.Sprintf("%s %d", split.name, n))
		}
	}
	if truncated == 0 {
		return nil
	}
	if limit < encLimit {
		more := ""
		if flag != "" {
			more = fmt.Sprintf(" (raise %s, up to %d for %s, to keep more)", flag, encLimit, enc.Name())
		}
		fmt.Fprintf(w, "warning: %d of %d texts (%s) are longer than %d tokens: they are truncated to their first %d%s\n",
			truncated, total, strings.Join(perSplit, ", "), limit, limit, more)
		return nil
	}
	fmt.Fprintf(w, "warning: %d of %d texts (%s) reach the limit of %s, %d tokens: longer texts are truncated to their first %d\n",
		truncated, total, strings.Join(perSplit, ", "), enc.Name(), limit, limit)
	return nil
}

// tokenizeError finds the text of split that enc cannot tokenize (err is the error of the
// whole split) and names it.
func tokenizeError(enc encoder.Encoder, split string, texts []string, err error) error {
	for i, text := range texts {
		if _, terr := enc.Tokenize([]string{text}); terr != nil {
			return fmt.Errorf("%s text %d of %d, %q: %s cannot read it (%v); remove it or fix it",
				split, i+1, len(texts), clip(text, 60), enc.Name(), terr)
		}
	}
	return fmt.Errorf("tokenizing the %s texts with %s: %w", split, enc.Name(), err)
}

// clip shortens s to at most n runes, marking the cut with "…".
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
