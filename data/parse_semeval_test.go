package data

import (
	"strings"
	"testing"
)

func TestParseSemEvalRelations(t *testing.T) {
	raw := "1\t\"The <e1>child</e1> was wrapped into the <e2>cradle</e2>.\"\r\nOther\r\nComment:\r\n\r\n" +
		"7\t\"<e2>Müller's</e2> new <e1>red car</e1>\"\nProduct-Producer(e1,e2)\nComment: made by\n\n" +
		"9\t\"a <e1>b</e1> <e2>c</e2>\"\nCause-Effect(e2,e1)\n" // No comment, no final blank line.
	got, err := ParseSemEvalRelations([]byte(raw), "x.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("%d examples, want 3", len(got))
	}
	want := []struct {
		id         int
		text       string
		e1, e2     string
		label, cmt string
	}{
		{1, "The child was wrapped into the cradle.", "child", "cradle", "Other", ""},
		{7, "Müller's new red car", "red car", "Müller's", "Product-Producer(e1,e2)", "made by"},
		{9, "a b c", "b", "c", "Cause-Effect(e2,e1)", ""},
	}
	for i, w := range want {
		ex := got[i]
		if ex.ID != w.id || ex.Text != w.text || ex.Text[ex.E1.Start:ex.E1.End] != w.e1 ||
			ex.Text[ex.E2.Start:ex.E2.End] != w.e2 || ex.Label != w.label || ex.Comment != w.cmt {
			t.Errorf("example %d = %+v, want %+v", i, ex, w)
		}
	}
	d := NewRelationClassification("x", got, nil, nil)
	if strings.Join(d.Labels, " ") != "Other Cause-Effect(e2,e1) Product-Producer(e1,e2)" {
		t.Errorf("labels %v: want Other first, then sorted", d.Labels)
	}
}

func TestParseSemEvalRelationsErrors(t *testing.T) {
	for _, c := range []struct{ raw, want string }{
		{"", "x.txt: no examples"},
		{"\n\n", "x.txt: no examples"},
		{"1 \"<e1>a</e1> <e2>b</e2>\"\nOther\n", "x.txt:1: want ID<TAB>"},
		{"one\t\"<e1>a</e1> <e2>b</e2>\"\nOther\n", "x.txt:1: want a numeric ID"},
		{"1\t<e1>a</e1> <e2>b</e2>\nOther\n", "x.txt:1: example 1: the sentence must be in double quotes"},
		{"1\t\"<e1>a</e1> b\"\nOther\n", "x.txt:1: example 1: no <e2>…</e2> marker"},
		{"1\t\"<e1>a <e2>b</e2></e1>\"\nOther\n", "entities cannot nest"},
		{"1\t\"<e1>a</e1> <e1>b</e1> <e2>c</e2>\"\nOther\n", "<e1> appears twice"},
		{"1\t\"<e1></e1> <e2>c</e2>\"\nOther\n", "marks an empty entity"},
		{"1\t\"<e1>a</e2> <e2>c</e2>\"\nOther\n", "</e2> without a matching <e2>"},
		{"1\t\"<e1>a <e2>c</e2>\"\nOther\n", "entities cannot nest"},
		{"1\t\"<e2>c</e2> <e1>a\"\nOther\n", "<e1> is never closed"},
		{"1\t\"<e1>a</e1> <e2>c</e2>\"\n\n", "x.txt:2: example 1 has no label line"},
		{"1\t\"<e1>a</e1> <e2>c</e2>\"\nCause-Effect\n", "x.txt:2: example 1: label \"Cause-Effect\" is neither Other"},
		{"1\t\"<e1>a</e1> <e2>c</e2>\"\nOther\n\n1\t\"<e1>a</e1> <e2>c</e2>\"\nOther\n", "x.txt:4: ID 1 already used on line 1"},
		{"1\t\"<e1>a\xff</e1> <e2>c</e2>\"\nOther\n", "x.txt:1: invalid UTF-8 byte 0xFF"},
	} {
		_, err := ParseSemEvalRelations([]byte(c.raw), "x.txt")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseSemEvalRelations(%q) error %v, want one containing %q", c.raw, err, c.want)
		}
	}
}

func TestSplitRelationLabel(t *testing.T) {
	for _, c := range []struct {
		label    string
		name     string
		reversed bool
		ok       bool
	}{
		{"Other", "Other", false, true},
		{"Cause-Effect(e1,e2)", "Cause-Effect", false, true},
		{"Cause-Effect(e2,e1)", "Cause-Effect", true, true},
		{"Cause-Effect(e1,e1)", "", false, false},
		{"other", "", false, false},
	} {
		name, reversed, err := SplitRelationLabel(c.label)
		if (err == nil) != c.ok || name != c.name || reversed != c.reversed {
			t.Errorf("SplitRelationLabel(%q) = %q, %v, %v", c.label, name, reversed, err)
		}
	}
}
