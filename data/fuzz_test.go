package data

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"unicode/utf8"
)

// Fuzz targets of every parser of the package. `go test` runs their seeds; `make fuzz`
// (go test -fuzz) explores further. Each checks that the parser never panics, that its
// errors name the file (and line), and the invariants of what it returns.

// fuzzFileSeq numbers the files fuzz targets write.
var fuzzFileSeq atomic.Int64

// fuzzFile writes content to a new file named like name in dir and returns its path.
func fuzzFile(t *testing.T, dir, name string, content []byte) string {
	t.Helper()
	path := filepath.Join(dir, fmt.Sprintf("%d-%s", fuzzFileSeq.Add(1), name))
	if err := os.WriteFile(path, content, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Remove(path) })
	return path
}

// textSeeds are labelled-text files of every shape: the formats, their edge cases, bad bytes.
var textSeeds = []string{
	"pos great film\nneg dull , slow\n\nneu\tit was a film\n",
	"spam\tWin money now\r\nham\tsee you at 5, ok?\r\n",
	"label,text\n\"Hello, world\",greeting\nbye,farewell\n",
	"text,category\n\"multi\nline\",a\nb,c\n",
	"\xef\xbb\xbfgood\tfine\n",
	"\xff\xfeg\x00o\x00\n\x00",
	"good caf\xe9\n",
	"good\n",
	"\tno label\n",
	"a\tb\tc\nd\te\n",
	"label,text\ngood,a \"fine\" film\n",
	"   \n\t\n",
	"",
	"1 one\n10 ten\n2 two\n",
}

// FuzzLoadTextFile fuzzes LoadTextFile on .txt, .tsv and .csv files.
func FuzzLoadTextFile(f *testing.F) {
	for i, s := range textSeeds {
		f.Add([]byte(s), uint8(i%3))
	}
	dir := f.TempDir()
	exts := []string{".txt", ".tsv", ".csv"}
	f.Fuzz(func(t *testing.T, content []byte, kind uint8) {
		path := fuzzFile(t, dir, "in"+exts[int(kind)%len(exts)], content)
		task, err := LoadTextFile(path)
		if err != nil {
			if !strings.Contains(err.Error(), path) {
				t.Fatalf("error %q does not name the file %s", err, path)
			}
			return
		}
		if len(task.Train) == 0 || len(task.Labels) == 0 {
			t.Fatalf("no error, but %d examples and %d labels", len(task.Train), len(task.Labels))
		}
		seen := map[string]bool{}
		for _, l := range task.Labels {
			if l == "" || seen[l] || !utf8.ValidString(l) {
				t.Fatalf("labels %q: empty, repeated or not UTF-8", task.Labels)
			}
			seen[l] = true
		}
		for i, ex := range task.Train {
			if ex.Label < 0 || ex.Label >= len(task.Labels) {
				t.Fatalf("example %d: label %d of %d", i, ex.Label, len(task.Labels))
			}
			if ex.Text == "" || ex.Text != strings.TrimSpace(ex.Text) || !utf8.ValidString(ex.Text) {
				t.Fatalf("example %d: text %q is empty, untrimmed or not UTF-8", i, ex.Text)
			}
			if bytes.IndexByte([]byte(ex.Text), 0) >= 0 {
				t.Fatalf("example %d: text %q holds a NUL byte", i, ex.Text)
			}
		}
	})
}

// FuzzParseLabelLines fuzzes the `LABEL text` line parser shared by the sentiment and TREC
// loaders.
func FuzzParseLabelLines(f *testing.F) {
	for _, s := range textSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, content string) {
		texts, err := parseLabelLines(content, "in.txt")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "in.txt:") {
				t.Fatalf("error %q does not start with the file and line", err)
			}
			return
		}
		if len(texts) > strings.Count(content, "\n")+1 {
			t.Fatalf("%d examples from %d lines", len(texts), strings.Count(content, "\n")+1)
		}
		for i, lt := range texts {
			if lt.Label == "" || strings.ContainsAny(lt.Label, " \t\n") {
				t.Fatalf("example %d: label %q is empty or holds a separator", i, lt.Label)
			}
			if lt.Text == "" || lt.Text != strings.TrimSpace(lt.Text) || strings.Contains(lt.Text, "\n") {
				t.Fatalf("example %d: text %q", i, lt.Text)
			}
		}
	})
}

// FuzzParseCoNLL fuzzes the CoNLL column parser.
func FuzzParseCoNLL(f *testing.F) {
	for _, s := range []string{
		"-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\n\nPeter NNP B-NP B-PER\n",
		"Confidence NN B-NP\nin IN B-PP\n\n\n",
		"a\tb\tO\nc\t\tO\n",
		"\ufeffword TAG\r\nother TAG\r\n",
		"one\n",
		"a b\nc d e\n",
		"caf\xe9 O\n",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, content string) {
		sentences, err := ParseCoNLL(strings.NewReader(content))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "line ") && !strings.HasPrefix(err.Error(), "reading CoNLL input") {
				t.Fatalf("error %q does not give the line", err)
			}
			return
		}
		for i, s := range sentences {
			if len(s.Tokens) == 0 || len(s.Tokens) != len(s.Tags) {
				t.Fatalf("sentence %d: %d tokens, %d tags", i, len(s.Tokens), len(s.Tags))
			}
			for j := range s.Tokens {
				if strings.ContainsAny(s.Tokens[j], "\n") || strings.ContainsAny(s.Tags[j], "\n") || !utf8.ValidString(s.Tokens[j]+s.Tags[j]) {
					t.Fatalf("sentence %d, token %d: %q / %q", i, j, s.Tokens[j], s.Tags[j])
				}
			}
		}
	})
}

// FuzzParseAmazonReviews fuzzes the parser of the multi-domain sentiment .review files.
func FuzzParseAmazonReviews(f *testing.F) {
	for _, s := range []string{
		"<review>\n<title>\nGreat &amp;quot;book&quot;\n</title>\n<rating>\n5.0\n</rating>\n<review_text>\nLoved it &#45; a <lot>.\n</review_text>\n</review>\n",
		"<reviews>\n<review>\n<review_text>\nx\x1ay\n</review_text>\n</review>\n</reviews>\n",
		"<review>\n<review>\n",
		"<review>\n<title>\nno text\n</title>\n</review>\n",
		"stray line\n",
		"<review>\n<review_text>\nunclosed\n",
		"\xff",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, content string) {
		reviews, err := parseAmazonReviews(content, "dvd/positive.review")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "dvd/positive.review") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		for i, r := range reviews {
			if r.Text == "" || !utf8.ValidString(r.Text+r.Title+r.Rating) {
				t.Fatalf("review %d: %+v", i, r)
			}
		}
	})
}

// FuzzEncodings fuzzes the decoders: toUTF8 always returns UTF-8, keeps UTF-8 input as it is,
// and decodes Windows-1252 one rune a byte; firstInvalidUTF8 finds the first bad byte.
func FuzzEncodings(f *testing.F) {
	for _, s := range []string{"plain", "caf\xe9", "\x85\x91\x92\x93\x94\x96\x97", "na\xc3\xafve", "\xa1@\xa1X\xa1K", "\x81\x8d\x8f\x90\x9d", ""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		out := toUTF8(b)
		if !utf8.ValidString(out) {
			t.Fatalf("toUTF8(%q) = %q, not UTF-8", b, out)
		}
		if utf8.Valid(b) && out != string(b) {
			t.Fatalf("toUTF8 changed valid UTF-8 %q into %q", b, out)
		}
		dec := decodeWindows1252(b)
		if n := utf8.RuneCountInString(dec); n != len(b) || !utf8.ValidString(dec) {
			t.Fatalf("decodeWindows1252(%q) = %q: %d runes for %d bytes", b, dec, n, len(b))
		}
		big5 := big5Punctuation.Replace(string(b))
		if utf8.Valid(b) && big5 != string(b) && !strings.Contains(string(b), "\xa1") {
			t.Fatalf("the Big5 replacer changed %q", b)
		}
		i := firstInvalidUTF8(string(b))
		switch {
		case utf8.Valid(b) != (i < 0):
			t.Fatalf("firstInvalidUTF8(%q) = %d, but utf8.Valid = %v", b, i, utf8.Valid(b))
		case i >= 0 && (!utf8.Valid(b[:i]) || utf8.FullRune(b[i:]) && func() bool { r, _ := utf8.DecodeRune(b[i:]); return r != utf8.RuneError }()):
			t.Fatalf("firstInvalidUTF8(%q) = %d is not the first invalid byte", b, i)
		}
		if err := checkNotUTF16(b, "f.txt"); (err == nil) == (bytes.IndexByte(b, 0) >= 0 || bytes.HasPrefix(b, []byte{0xff, 0xfe}) || bytes.HasPrefix(b, []byte{0xfe, 0xff})) {
			t.Fatalf("checkNotUTF16(%q) = %v", b, err)
		}
	})
}

// FuzzUnescapeEntities fuzzes the HTML entity decoder of the Amazon reviews.
func FuzzUnescapeEntities(f *testing.F) {
	for _, s := range []string{"&amp;quot;", "&#45;&#x2D;", "AT&T & co", "&#xD800;", "&#99999999;", "&lt;&gt", "&"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := unescapeEntities(s)
		if utf8.ValidString(s) && !utf8.ValidString(out) {
			t.Fatalf("unescapeEntities(%q) = %q, not UTF-8", s, out)
		}
		if !strings.Contains(s, "&") && out != s {
			t.Fatalf("unescapeEntities changed %q (no entity) into %q", s, out)
		}
	})
}

// FuzzLoadRegistryText fuzzes the loaders of the registry's plain-text formats through a
// fake file resolver: SST-2 style `0|1 text` lines, TREC's `COARSE:fine question` lines and
// WikiText-2 articles.
func FuzzLoadRegistryText(f *testing.F) {
	for _, s := range []string{
		"1 a stirring , funny film .\n0 apparently reassembled .\n",
		"DESC:manner How did serfdom develop ?\nENTY:cremat What films featured Tom ?\n",
		" = Valkyria Chronicles = \n\n Senjō no Valkyria 3 \n\n = = Gameplay = = \n\n text \n",
		" = 1 <unk> / s and = \n",
		"2 bad label\n",
		"NOCOLON question\n",
		"caf\xe9 \x93quoted\x94\n",
	} {
		f.Add([]byte(s))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, content []byte) {
		path := fuzzFile(t, dir, "registry.txt", content)
		paths := func(string) (string, error) { return path, nil }
		if examples, err := loadBinaryLines(paths, "sst2/stsa.binary.train"); err == nil {
			for i, ex := range examples {
				if ex.Label != 0 && ex.Label != 1 || ex.Text == "" || !utf8.ValidString(ex.Text) {
					t.Fatalf("sst2 example %d: %+v", i, ex)
				}
			}
		} else if !strings.Contains(err.Error(), "sst2/stsa.binary.train") {
			t.Fatalf("sst2 error %q does not name the file", err)
		}
		for _, fine := range []bool{false, true} {
			task, err := loadTREC(paths, fine)
			if err != nil {
				if !strings.HasPrefix(err.Error(), "loading trec") {
					t.Fatalf("trec error %q", err)
				}
				continue
			}
			if !slices.IsSorted(task.Labels) || len(task.Train) != len(task.Test) {
				t.Fatalf("trec: labels %q unsorted, or %d train vs %d test from one file", task.Labels, len(task.Train), len(task.Test))
			}
			for _, ex := range append(task.Train, task.Test...) {
				if ex.Label < 0 || ex.Label >= len(task.Labels) || (!fine && strings.Contains(task.Labels[ex.Label], ":")) {
					t.Fatalf("trec example %+v, labels %q", ex, task.Labels)
				}
			}
		}
		corpus, err := loadWikiText2(paths, "valid")
		if err != nil {
			if !strings.Contains(err.Error(), "wikitext2/valid.txt") {
				t.Fatalf("wikitext2 error %q does not name the file", err)
			}
			return
		}
		for i, d := range corpus.Documents {
			if d.Text == "" || !utf8.ValidString(d.Text) {
				t.Fatalf("wikitext2 document %d: %+v", i, d)
			}
		}
	})
}

// FuzzParseSQuAD fuzzes the SQuAD parser with a one-question file built from its inputs
// (and with raw bytes): it never panics, an error names the file, and every accepted answer
// stands at its byte offset.
func FuzzParseSQuAD(f *testing.F) {
	f.Add("北京是中国的首都。", "中国", 3, "")
	f.Add("The answer is 42, not 42.", "42", 22, "")
	f.Add("abc", "", 5, "")
	f.Add("ab\xffc", "c", -1, "")
	f.Add("", "", 0, `{"data": [{"paragraphs": [{"context": "x", "qas": [{"id": "1"}]}]}]}`)
	f.Fuzz(func(t *testing.T, context, answer string, chars int, raw string) {
		doc := raw
		if doc == "" {
			b, err := json.Marshal(map[string]any{"version": "1.1", "data": []any{map[string]any{"title": "t",
				"paragraphs": []any{map[string]any{"context": context, "qas": []any{map[string]any{
					"id": "q1", "question": "why?", "answers": []any{map[string]any{"text": answer, "answer_start": chars}}}}}}}}})
			if err != nil {
				return
			}
			doc = string(b)
		}
		examples, err := ParseSQuAD([]byte(doc), "fuzz.json")
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.json") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		for _, ex := range examples {
			for _, a := range ex.Answers {
				if a.Start < 0 || a.Start+len(a.Text) > len(ex.Context) || ex.Context[a.Start:a.Start+len(a.Text)] != a.Text {
					t.Fatalf("question %s: answer %q not at byte %d of %q", ex.ID, a.Text, a.Start, ex.Context)
				}
			}
		}
	})
}

func FuzzParseSemEvalRelations(f *testing.F) {
	f.Add("1\t\"The <e1>child</e1> was in the <e2>cradle</e2>.\"\r\nOther\r\nComment:\r\n\r\n")
	f.Add("2\t\"<e2>a</e2> b <e1>c d</e1>\"\nCause-Effect(e2,e1)\n")
	f.Add("3\t\"<e1>a <e2>b</e2></e1>\"\nOther\n")
	f.Add("4\t\"<e1>x\xff</e1><e2>y</e2>\"\nOther\n")
	f.Fuzz(func(t *testing.T, raw string) {
		examples, err := ParseSemEvalRelations([]byte(raw), "fuzz.txt")
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.txt") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		for _, ex := range examples {
			for _, sp := range []TextSpan{ex.E1, ex.E2} {
				if sp.Start < 0 || sp.End <= sp.Start || sp.End > len(ex.Text) {
					t.Fatalf("example %d: span %+v outside %q", ex.ID, sp, ex.Text)
				}
			}
			if _, _, err := SplitRelationLabel(ex.Label); err != nil {
				t.Fatalf("example %d: %v", ex.ID, err)
			}
		}
	})
}

// FuzzParseMail checks that ParseMail never panics and returns UTF-8 text without control
// characters other than newlines and tabs.
func FuzzParseMail(f *testing.F) {
	for _, s := range []string{
		"Subject: hi\n\nbody\n",
		"From x\nSubject: =?utf-8?b?w6k=?=\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/html\nContent-Transfer-Encoding: quoted-printable\n\n<p>a=3Db</p>\n--b--\n",
		"Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: multipart/mixed; boundary=b\n\n--b\n",
		"Subject: \xff\xfe\n\n\x00\x01<script>x</script>",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		subject, body, err := ParseMail(raw)
		if err != nil {
			return
		}
		for _, s := range []string{subject, body} {
			if !utf8.ValidString(s) {
				t.Fatalf("not UTF-8: %q", s)
			}
			if strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 && r != '\n' && r != '\t' }) {
				t.Fatalf("control character in %q", s)
			}
		}
	})
}

// FuzzParseApplicationSets checks that the AG News, NPS Chat and RTE parsers never panic,
// name the file in their errors, and return UTF-8 texts that are not empty, with labels in
// range.
func FuzzParseApplicationSets(f *testing.F) {
	f.Add(`"1","a #39;b","c quot;d quot; &lt;b&gt;e&lt;/b&gt;"`)
	f.Add(`<Session><Posts><Post class="Greet">hi<terminals/></Post></Posts></Session>`)
	f.Add(`<entailment-corpus><pair id="1" value="TRUE"><t>a</t><h>b</h></pair></entailment-corpus>`)
	f.Add("<entailment-corpus><pair id=\"1\" entailment=\"NO\"><t>\xff</t><h>b</h></pair></entailment-corpus>")
	f.Fuzz(func(t *testing.T, raw string) {
		for _, p := range []struct {
			parse  func([]byte, string) ([]Example, error)
			labels int
			pairs  bool
		}{{parseAGNews, len(AGNewsLabels), false}, {parseNPSChat, len(NPSChatLabels), false}, {parseRTE, len(RTELabels), true}} {
			examples, err := p.parse([]byte(raw), "fuzz.in")
			if err != nil {
				if !strings.Contains(err.Error(), "fuzz.in") {
					t.Fatalf("error %q does not name the file", err)
				}
				continue
			}
			for _, ex := range examples {
				if strings.TrimSpace(ex.Text) == "" || (p.pairs && strings.TrimSpace(ex.TextB) == "") {
					t.Fatalf("empty text in %+v", ex)
				}
				if ex.Label < 0 || ex.Label >= p.labels {
					t.Fatalf("label %d outside %d labels", ex.Label, p.labels)
				}
			}
		}
	})
}

// FuzzParseTranslationPairs checks that ParseTranslationPairs never panics, names the file in
// its errors and returns non-empty UTF-8 sides, and that SplitPairs never leaks a sentence.
func FuzzParseTranslationPairs(f *testing.F) {
	f.Add("Hi.\t嗨。\nHi.\t你好。\nRun.\t你用跑的。\tCC-BY\n")
	f.Add("a\tx\r\n\r\nb\ty\n")
	f.Add("no tab\n")
	f.Add("a\t\xff\n")
	f.Fuzz(func(t *testing.T, raw string) {
		pairs, err := ParseTranslationPairs([]byte(raw), "fuzz.txt")
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.txt") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		for _, p := range pairs {
			if p.Source == "" || p.Target == "" || !utf8.ValidString(p.Source) || !utf8.ValidString(p.Target) {
				t.Fatalf("bad pair %q", p)
			}
		}
		train, test, err := SplitPairs(pairs, len(pairs)/2, 1)
		if err != nil {
			return
		}
		checkNoShared(t, train, test)
	})
}

// FuzzParseFewRel checks that ParseFewRel never panics, names the file in its errors and
// returns entity spans inside their sentences that do not overlap.
func FuzzParseFewRel(f *testing.F) {
	f.Add(fewRelSample)
	f.Add(`{"P1": [{"tokens": ["a", "b"], "h": ["a", "Q", [[0, 1]]], "t": ["b", "Q", [[1]]]}]}`)
	f.Add(`{"P1": [{"tokens": ["a"], "h": ["a", "Q", [[-1]]], "t": ["b", "Q", [[0]]]}]}`)
	f.Fuzz(func(t *testing.T, raw string) {
		rels, err := ParseFewRel([]byte(raw), "fuzz.json")
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.json") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		for _, r := range rels {
			for _, ex := range r.Examples {
				for _, sp := range []TextSpan{ex.E1, ex.E2} {
					if sp.Start < 0 || sp.End <= sp.Start || sp.End > len(ex.Text) {
						t.Fatalf("span %+v outside %q", sp, ex.Text)
					}
				}
				if ex.E1.Start < ex.E2.End && ex.E2.Start < ex.E1.End {
					t.Fatalf("overlapping spans in %+v", ex)
				}
			}
		}
	})
}
