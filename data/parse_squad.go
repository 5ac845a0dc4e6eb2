package data

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"
)

// LoadSQuAD loads a SQuAD-format file, v1.1 or v2.0 JSON ({"version", "data": [{"title",
// "paragraphs": [{"context", "qas": [{"id", "question", "answers": [{"text",
// "answer_start"}], "is_impossible"}]}]}]}): one QAExample a question, in file order. Each
// answer_start is a character offset into its context (as Python counts characters); the
// loader checks that the answer's text stands exactly there and turns it into a byte offset,
// so that Context[Start:Start+len(Text)] == Text. v2.0's unanswerable questions
// (is_impossible) have no answers and Impossible set.
//
// Errors name the file and, past the file's structure, the question id: a file that is not
// UTF-8 (with the line), malformed JSON, a missing field, an empty context or question, a
// repeated id, an answerable question without answers, an answer_start that does not point
// at its text (with the text found there).
func LoadSQuAD(path string) ([]QAExample, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("loading SQuAD file: %w", err)
	}
	return ParseSQuAD(raw, path)
}

// ParseSQuAD parses SQuAD-format JSON (see LoadSQuAD); name names it in errors.
func ParseSQuAD(raw []byte, name string) ([]QAExample, error) {
	if err := checkUTF8(raw, name); err != nil {
		return nil, err
	}
	var f squadJSON
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&f); err != nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) {
			return nil, fmt.Errorf("%s:%d: not valid JSON: %w", name, 1+bytes.Count(raw[:min(int(syntax.Offset), len(raw))], []byte("\n")), err)
		}
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: not valid JSON: the file ends too early (truncated?)", name)
		}
		return nil, fmt.Errorf("%s: not SQuAD JSON: %w", name, err)
	}
	if f.Data == nil {
		return nil, fmt.Errorf(`%s: no "data" field: not a SQuAD file`, name)
	}
	var out []QAExample
	seen := map[string]bool{}
	for ai, article := range f.Data {
		for pi, p := range article.Paragraphs {
			where := fmt.Sprintf("%s: article %d (%q), paragraph %d", name, ai, article.Title, pi)
			if p.Context == nil || p.QAs == nil {
				return nil, fmt.Errorf(`%s: missing "context" or "qas"`, where)
			}
			if strings.TrimSpace(*p.Context) == "" {
				return nil, fmt.Errorf("%s: empty context", where)
			}
			for qi, qa := range p.QAs {
				if qa.ID == nil || qa.Question == nil || (qa.Answers == nil && !qa.Impossible) {
					return nil, fmt.Errorf(`%s, question %d: missing "id", "question" or "answers"`, where, qi)
				}
				id := *qa.ID
				switch {
				case id == "":
					return nil, fmt.Errorf("%s, question %d: empty id", where, qi)
				case seen[id]:
					return nil, fmt.Errorf("%s: question %s: the id is used twice", name, id)
				case strings.TrimSpace(*qa.Question) == "":
					return nil, fmt.Errorf("%s: question %s: empty question", name, id)
				case len(qa.Answers) == 0 && !qa.Impossible:
					return nil, fmt.Errorf("%s: question %s: no answers, and not marked is_impossible", name, id)
				}
				seen[id] = true
				ex := QAExample{ID: id, Title: article.Title, Context: *p.Context, Question: *qa.Question, Impossible: qa.Impossible}
				for k, a := range qa.Answers {
					if a.Text == nil || a.Start == nil {
						return nil, fmt.Errorf(`%s: question %s: answer %d has no "text" or "answer_start"`, name, id, k)
					}
					start, err := answerAt(*p.Context, *a.Text, *a.Start)
					if err != nil {
						return nil, fmt.Errorf("%s: question %s: answer %d: %w", name, id, k, err)
					}
					ex.Answers = append(ex.Answers, Answer{Text: *a.Text, Start: start})
				}
				out = append(out, ex)
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no questions", name)
	}
	return out, nil
}

// squadJSON is the SQuAD v1.1 / v2.0 layout; pointers tell a missing field from an empty one.
type squadJSON struct {
	Version string `json:"version"`
	Data    []struct {
		Title      string `json:"title"`
		Paragraphs []struct {
			Context *string `json:"context"`
			QAs     []struct {
				ID         *string `json:"id"`
				Question   *string `json:"question"`
				Impossible bool    `json:"is_impossible"`
				Answers    []struct {
					Text  *string `json:"text"`
					Start *int    `json:"answer_start"`
				} `json:"answers"`
			} `json:"qas"`
		} `json:"paragraphs"`
	} `json:"data"`
}

// answerAt returns the byte offset of answer in context, given its character offset chars,
// or an error saying what stands there instead.
func answerAt(context, answer string, chars int) (int, error) {
	if answer == "" {
		return 0, fmt.Errorf("empty answer text")
	}
	n := utf8.RuneCountInString(context)
	if chars < 0 || chars >= n {
		return 0, fmt.Errorf("answer_start %d outside the context's %d characters (answer %q)", chars, n, answer)
	}
	start, k := 0, 0
	for i := range context {
		if k == chars {
			start = i
			break
		}
		k++
	}
	if strings.HasPrefix(context[start:], answer) {
		return start, nil
	}
	found := context[start:]
	if r := []rune(found); len(r) > utf8.RuneCountInString(answer) {
		found = string(r[:utf8.RuneCountInString(answer)])
	}
	return 0, fmt.Errorf("answer_start %d points at %q, not at the answer %q", chars, found, answer)
}
