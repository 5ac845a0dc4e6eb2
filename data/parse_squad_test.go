package data

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// squadDoc is a SQuAD v2.0 file with two answerable questions (one answer in Chinese, at a
// character offset past multi-byte text, one at the context's last character) and an
// unanswerable one.
const squadDoc = `{"version": "v2.0", "data": [{"title": "Beijing", "paragraphs": [
 {"context": "北京是中国的首都。Beijing is the capital.", "qas": [
  {"id": "a", "question": "首都?", "answers": [{"text": "中国", "answer_start": 3}, {"text": "北京", "answer_start": 0}]},
  {"id": "b", "question": "What is it?", "answers": [{"text": "capital.", "answer_start": 24}]},
  {"id": "c", "question": "Who?", "answers": [], "is_impossible": true, "plausible_answers": [{"text": "Beijing", "answer_start": 9}]}]}]}]}`

func TestParseSQuAD(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mine.json")
	if err := os.WriteFile(path, []byte(squadDoc), 0o644); err != nil {
		t.Fatal(err)
	}
	examples, err := LoadSQuAD(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(examples) != 3 || !examples[2].Impossible || len(examples[2].Answers) != 0 || examples[0].Title != "Beijing" {
		t.Fatalf("examples %+v", examples)
	}
	for _, ex := range examples {
		for _, a := range ex.Answers {
			if ex.Context[a.Start:a.Start+len(a.Text)] != a.Text {
				t.Errorf("question %s: %q not at byte %d", ex.ID, a.Text, a.Start)
			}
		}
	}
	if a := examples[0].Answers[0]; a.Start != 9 { // 3 characters of 3 bytes each.
		t.Errorf("中国 at byte %d, want 9", a.Start)
	}
	if a := examples[1].Answers[0]; a.Start+len(a.Text) != len(examples[1].Context) {
		t.Errorf("the last answer ends at byte %d, the context at %d", a.Start+len(a.Text), len(examples[1].Context))
	}
}

func TestParseSQuADErrors(t *testing.T) {
	one := func(context, qa string) string {
		return `{"data": [{"title": "T", "paragraphs": [{"context": ` + context + `, "qas": [` + qa + `]}]}]}`
	}
	for _, c := range []struct {
		name, doc, want string
	}{
		{"not UTF-8", "{\"data\": [\n\xff]}", "bad.json:2: invalid UTF-8 byte 0xFF"},
		{"malformed", `{"data": [`, "bad.json: not valid JSON"},
		{"bad token", "{\n\"data\": [}", "bad.json:2: not valid JSON"},
		{"no data", `{"version": "1.1"}`, `no "data" field`},
		{"empty context", one(`" "`, `{"id": "q", "question": "?", "answers": [{"text": "x", "answer_start": 0}]}`), "empty context"},
		{"missing id", one(`"x"`, `{"question": "?", "answers": [{"text": "x", "answer_start": 0}]}`), `missing "id"`},
		{"missing start", one(`"x"`, `{"id": "q7", "question": "?", "answers": [{"text": "x"}]}`), `question q7: answer 0 has no "text" or "answer_start"`},
		{"wrong start", one(`"the cat sat"`, `{"id": "q8", "question": "?", "answers": [{"text": "cat", "answer_start": 5}]}`),
			`question q8: answer 0: answer_start 5 points at "at ", not at the answer "cat"`},
		{"start past the end", one(`"cat"`, `{"id": "q9", "question": "?", "answers": [{"text": "cat", "answer_start": 3}]}`), "outside the context's 3 characters"},
		{"no answers", one(`"cat"`, `{"id": "q10", "question": "?", "answers": []}`), "question q10: no answers, and not marked is_impossible"},
		{"empty question", one(`"cat"`, `{"id": "q11", "question": " ", "answers": [{"text": "cat", "answer_start": 0}]}`), "question q11: empty question"},
		{"repeated id", one(`"cat"`, `{"id": "q", "question": "?", "answers": [{"text": "cat", "answer_start": 0}]}, {"id": "q", "question": "?", "answers": [{"text": "cat", "answer_start": 0}]}`), "question q: the id is used twice"},
		{"no questions", `{"data": []}`, "no questions"},
	} {
		_, err := ParseSQuAD([]byte(c.doc), "bad.json")
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "bad.json") {
			t.Errorf("%s: error %v, want one naming bad.json and containing %q", c.name, err, c.want)
		}
	}
	if _, err := LoadSQuAD(filepath.Join(t.TempDir(), "missing.json")); err == nil || !strings.Contains(err.Error(), "missing.json") {
		t.Errorf("missing file: error %v", err)
	}
}
