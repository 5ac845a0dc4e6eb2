package data

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// writeTestFile writes content to a file called name in a temporary folder.
func writeTestFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadTextFileFormats(t *testing.T) {
	for _, tc := range []struct {
		name, content string
		format        TextFileFormat
		labels        []string
		texts         []string
	}{
		{"reviews.txt", "pos great film\nneg dull , slow\n\nneu\tit was a film\n", TextFileFormat{},
			[]string{"neg", "neu", "pos"}, []string{"great film", "dull , slow", "it was a film"}},
		{"data.tsv", "spam\tWin money now\nham\tsee you at 5, ok?\n", TextFileFormat{},
			[]string{"ham", "spam"}, []string{"Win money now", "see you at 5, ok?"}},
		{"data.csv", "text,category\n\"Hello, world\",greeting\nbye,farewell\n", TextFileFormat{},
			[]string{"farewell", "greeting"}, []string{"Hello, world", "bye"}},
		{"nohead.csv", "10,ten\n2,two\n1,one\n", TextFileFormat{},
			[]string{"1", "2", "10"}, []string{"ten", "two", "one"}},
		{"cols.csv", "id,stars,body\n1,5,loved it\n2,1,hated it\n", TextFileFormat{LabelColumn: "stars", TextColumn: "body"},
			[]string{"1", "5"}, []string{"loved it", "hated it"}},
		{"idx.tsv", "a\tx\tfirst\nb\ty\tsecond\n", TextFileFormat{LabelColumn: "1", TextColumn: "2"},
			[]string{"x", "y"}, []string{"first", "second"}},
		{"data.dat", "l1,one\nl2,two\n", TextFileFormat{Kind: "csv"},
			[]string{"l1", "l2"}, []string{"one", "two"}},
	} {
		path := writeTestFile(t, tc.name, tc.content)
		d, err := LoadTextFileFormat(path, tc.format)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if !slices.Equal(d.Labels, tc.labels) {
			t.Errorf("%s: labels %v, want %v", tc.name, d.Labels, tc.labels)
		}
		if got := d.Texts(d.Train); !slices.Equal(got, tc.texts) {
			t.Errorf("%s: texts %q, want %q", tc.name, got, tc.texts)
		}
		if d.Name != strings.TrimSuffix(tc.name, filepath.Ext(tc.name)) || d.Dev != nil || d.Test != nil {
			t.Errorf("%s: name %q, dev %v, test %v", tc.name, d.Name, d.Dev, d.Test)
		}
	}
	// Labels are kept with their texts.
	d, err := LoadTextFile(writeTestFile(t, "x.txt", "b second\na first\n"))
	if err != nil {
		t.Fatal(err)
	}
	if d.Labels[d.Train[0].Label] != "b" || d.Labels[d.Train[1].Label] != "a" {
		t.Errorf("labels not kept with their texts: %+v %v", d.Train, d.Labels)
	}
}

func TestLoadTextFileErrors(t *testing.T) {
	for _, tc := range []struct {
		name, content string
		format        TextFileFormat
		want          string // after "PATH:"
	}{
		{"empty.txt", "", TextFileFormat{}, "1: empty file"},
		{"blank.tsv", "\n  \n", TextFileFormat{}, "1: empty file"},
		{"nolabel.txt", "pos good\nneg\n", TextFileFormat{}, "2: line has a label \"neg\" but no text"},
		{"latin1.txt", "pos ok\nneg clich\xe9\n", TextFileFormat{}, "2: invalid UTF-8 byte 0xE9"},
		{"latin1.tsv", "pos\tok\nneg\tclich\xe9\n", TextFileFormat{}, "2: invalid UTF-8 byte 0xE9"},
		{"latin1.csv", "pos,ok\n\nneg,clich\xe9\n", TextFileFormat{}, "3: invalid UTF-8 byte 0xE9"},
		{"cols.tsv", "pos\tgood\nneg\tbad\textra\n", TextFileFormat{}, "2: 3 tab-separated columns, want 2 like line 1"},
		{"cols.csv", "label,text\npos,good\nneg,\"bad\",x\n", TextFileFormat{}, "3: 3 comma-separated columns, want 2 like line 1"},
		{"four.csv", "a,b,c,d\n", TextFileFormat{}, "1: 4 columns and no header"},
		{"notext.tsv", "pos\tgood\nneg\t \n", TextFileFormat{}, "2: empty text"},
		{"nolab.csv", "label,text\npos,good\n,bad\n", TextFileFormat{}, "3: empty label"},
		{"quote.csv", "label,text\npos,\"unclosed\n", TextFileFormat{}, "2: extraneous or missing \" in quoted-field"},
		{"name.csv", "a,b\n1,2\n", TextFileFormat{LabelColumn: "stars", TextColumn: "b"}, "1: no label column named \"stars\""},
		{"range.csv", "1,2\n", TextFileFormat{LabelColumn: "0", TextColumn: "5"}, "1: text column 5 out of range"},
	} {
		path := writeTestFile(t, tc.name, tc.content)
		_, err := LoadTextFileFormat(path, tc.format)
		if err == nil {
			t.Errorf("%s: no error, want %q", tc.name, tc.want)
			continue
		}
		if !strings.HasPrefix(err.Error(), path+":"+tc.want) {
			t.Errorf("%s: error %q, want it to start with %q", tc.name, err, path+":"+tc.want)
		}
	}
	if _, err := LoadTextFile(filepath.Join(t.TempDir(), "missing.txt")); err == nil || !strings.Contains(err.Error(), "missing.txt") {
		t.Errorf("missing file: error %v", err)
	}
}

func TestLoadTextFilePairs(t *testing.T) {
	for _, tc := range []struct {
		name, content string
		format        TextFileFormat
	}{
		{"pairs.tsv", "entailment\tA man sleeps.\tA person sleeps.\nnot_entailment\tA dog barks.\tA cat sleeps.\n", TextFileFormat{}},
		{"glue.tsv", "index\tsentence1\tsentence2\tlabel\n0\tA man sleeps.\tA person sleeps.\tentailment\n1\tA dog barks.\tA cat sleeps.\tnot_entailment\n", TextFileFormat{}},
		{"named.csv", "p,h,y\nA man sleeps.,A person sleeps.,entailment\nA dog barks.,A cat sleeps.,not_entailment\n",
			TextFileFormat{LabelColumn: "y", TextColumn: "p", TextBColumn: "h"}},
	} {
		d, err := LoadTextFileFormat(writeTestFile(t, tc.name, tc.content), tc.format)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		want := []Example{{Text: "A man sleeps.", TextB: "A person sleeps.", Label: 0}, {Text: "A dog barks.", TextB: "A cat sleeps.", Label: 1}}
		if !slices.Equal(d.Labels, []string{"entailment", "not_entailment"}) || !slices.Equal(d.Train, want) || !d.IsPairs() {
			t.Errorf("%s: labels %v, examples %+v; want %+v", tc.name, d.Labels, d.Train, want)
		}
	}
	for _, tc := range []struct {
		name, content string
		format        TextFileFormat
		want          string
	}{
		{"gap.tsv", "yes\ta\tb\nno\tc\t \n", TextFileFormat{}, "gap.tsv:2: empty second text (column 2)"},
		{"four.tsv", "yes\ta\tb\tc\n", TextFileFormat{}, "4 columns and no header"},
		{"only.tsv", "yes\ta\tb\n", TextFileFormat{TextBColumn: "2"}, "TextBColumn needs LabelColumn and TextColumn"},
	} {
		_, err := LoadTextFileFormat(writeTestFile(t, tc.name, tc.content), tc.format)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}
