package qa_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/internal/testkit"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/qa"
)

func TestSplitWords(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"Denver Broncos, 2016.", "[Denver Broncos , 2016 .]"},
		{"  北京是首都。 ", "[北 京 是 首 都 。]"},
		{"state-of-the-art $5", "[state - of - the - art $ 5]"},
		{"", "[]"},
	} {
		var words []string
		for _, s := range qa.SplitWords(c.text) {
			words = append(words, c.text[s.Start:s.End])
		}
		if got := fmt.Sprint(words); got != c.want && !(c.want == "[]" && words == nil) {
			t.Errorf("SplitWords(%q) = %s, want %s", c.text, got, c.want)
		}
	}
}

// context20 is a context of 20 one-piece words for the toy encoder (one piece a word).
const context20 = "w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w13 w14 w15 w16 w17 w18 w19"

// example returns a question about context20 whose answer is words first..last.
func example(first, last int) data.QAExample {
	words := strings.Fields(context20)
	text := strings.Join(words[first:last+1], " ")
	return data.QAExample{ID: "q", Question: "why", Context: context20,
		Answers: []data.Answer{{Text: text, Start: strings.Index(context20+" ", text+" ")}}}
}

func TestWindows(t *testing.T) {
	tok, err := encoder.NewWordTokenizer(testkit.NewToyEncoder(t), 0) // 8 tokens, no special ones.
	if err != nil {
		t.Fatal(err)
	}
	opts := qa.WindowOptions{Stride: 2, MaxQuestion: 4}
	// 1 question token, 7 context tokens a window, advancing by 5: [0,7) [5,12) [10,17) [15,20).
	for _, c := range []struct {
		name        string
		first, last int
		want        string // window: start-end word of the answer, "-" for not in the window
	}{
		{"first word of the context", 0, 0, "[0-0 - - -]"},
		{"last word of the context", 19, 19, "[- - - 19-19]"},
		{"across the first boundary", 6, 7, "[- 6-7 - -]"},
		{"in the overlap", 5, 6, "[5-6 5-6 - -]"},
	} {
		ws, err := qa.Windows(tok, example(c.first, c.last), opts)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, w := range ws {
			if len(w.IDs) > 8 || w.ContextStart != 1 {
				t.Fatalf("%s: window of %d tokens, context from %d; want ≤ 8 and 1", c.name, len(w.IDs), w.ContextStart)
			}
			if w.Start < 0 {
				got = append(got, "-")
				continue
			}
			got = append(got, fmt.Sprintf("%d-%d", w.Words[w.Start-w.ContextStart], w.Words[w.End-w.ContextStart]))
		}
		if fmt.Sprint(got) != c.want {
			t.Errorf("%s: windows %v, want %s", c.name, got, c.want)
		}
	}
	if _, err := qa.Windows(tok, example(0, 0), qa.WindowOptions{Stride: 7}); err == nil {
		t.Error("an overlap as large as the room: no error")
	}
	if _, err := qa.Windows(tok, data.QAExample{ID: "e", Question: "why", Context: " "}, opts); err == nil || !strings.Contains(err.Error(), "empty context") {
		t.Errorf("empty context: error %v", err)
	}
}

func TestDecode(t *testing.T) {
	tok, err := encoder.NewWordTokenizer(testkit.NewToyEncoder(t), 0)
	if err != nil {
		t.Fatal(err)
	}
	ex := example(6, 7)
	ws, err := qa.Windows(tok, ex, qa.WindowOptions{Stride: 2})
	if err != nil {
		t.Fatal(err)
	}
	// Logits that peak at the gold positions of the window that holds the answer, and a
	// higher start logit on the question token, which must not be picked.
	start, end := make([][]float32, len(ws)), make([][]float32, len(ws))
	for i, w := range ws {
		start[i], end[i] = make([]float32, len(w.IDs)), make([]float32, len(w.IDs))
		start[i][0] = 100
		if w.Start >= 0 {
			start[i][w.Start], end[i][w.End] = 5, 4
		}
	}
	p, err := qa.Decode(ex.Context, ws, start, end, 30)
	if err != nil {
		t.Fatal(err)
	}
	if p.Text != ex.Answers[0].Text || p.Window != 1 || p.Score != 9 {
		t.Errorf("Decode = %+v, want %q from window 1 with score 9", p, ex.Answers[0].Text)
	}
	// An answer longer than maxAnswer tokens is not taken.
	if p, _ := qa.Decode(ex.Context, ws, start, end, 1); p.Text == ex.Answers[0].Text {
		t.Errorf("maxAnswer 1 picked the 2-token answer %q", p.Text)
	}
	if _, err := qa.Decode(ex.Context, ws, start[:1], end, 30); err == nil {
		t.Error("too few logit rows: no error")
	}
}

// TestWindowsXQuAD cuts every XQuAD question (English and Chinese) into USE-lite windows and
// checks that the answers are labelled in some window and that the labelled pieces' words
// give back the answer's text. An answer longer than the overlap plus one piece can straddle
// every window boundary (as in run_qa.py): 9 long Chinese answers (18 to 66 characters, each
// character a word of about two pieces) are in no window whole.
func TestWindowsXQuAD(t *testing.T) {
	enc := testkit.USELite(t)
	tok, err := encoder.NewWordTokenizer(enc, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range data.XQuADLanguages() {
		examples, err := data.LoadXQuAD(testkit.Store(), lang)
		if err != nil {
			t.Skip(err)
		}
		labelled, exact, windows := 0, 0, 0
		for _, ex := range examples {
			ws, err := qa.Windows(tok, ex, qa.DefaultWindowOptions())
			if err != nil {
				t.Fatal(err)
			}
			windows += len(ws)
			for _, w := range ws {
				if w.Start < 0 {
					continue
				}
				labelled++
				span := ex.Context[w.Spans[w.Start-w.ContextStart].Start:w.Spans[w.End-w.ContextStart].End]
				if span == ex.Answers[0].Text {
					exact++
				}
				break
			}
		}
		t.Logf("xquad.%s: %d questions, %d windows, %d answers labelled, %d recovered exactly", lang, len(examples), windows, labelled, exact)
		if float64(labelled) < 0.99*float64(len(examples)) || float64(exact) < 0.99*float64(labelled) {
			t.Errorf("xquad.%s: %d of %d answers labelled, %d exact; want ≥ 99%% of each", lang, labelled, len(examples), exact)
		}
	}
}
