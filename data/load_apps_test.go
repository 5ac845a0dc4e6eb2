package data

import (
	"archive/zip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseAGNews(t *testing.T) {
	csv := `"3","Fears for T N pension after talks","Unions say they are 'disappointed' after talks."
"4","Wins #39;Grant#39; &lt;b&gt;...&lt;/b&gt;","A US\$5 million quot;plan quot; for\\free access."
"3","Fears for T N pension after talks","Unions say they are 'disappointed' after talks."
`
	got, err := parseAGNews([]byte(csv), "test.csv")
	if err != nil {
		t.Fatal(err)
	}
	want := []Example{
		{Text: "Fears for T N pension after talks\nUnions say they are 'disappointed' after talks.", Label: 2},
		{Text: "Wins 'Grant' ...\nA US $5 million \"plan \" for free access.", Label: 3},
	}
	if len(got) != len(want) {
		t.Fatalf("%d examples %+v, want %d (the repeated row dropped)", len(got), got, len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("example %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	for _, c := range []struct{ csv, want string }{
		{"", "no rows"},
		{`"5","a","b"` + "\n", "test.csv:1: class \"5\""},
		{`"1","a","b"` + "\n" + `"x","a","b"` + "\n", "test.csv:2: class \"x\""},
		{`"1","a"` + "\n", "test.csv:1: 2 columns, want 3"},
		{`"1","",""` + "\n", "test.csv:1: empty title"},
		{"\"1\",\"a\xff\",\"b\"\n", "invalid UTF-8"},
	} {
		if _, err := parseAGNews([]byte(c.csv), "test.csv"); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want one containing %q", c.csv, err, c.want)
		}
	}
}

const npsSession = `<!-- a comment -->
<Session>
	<Posts>
		<Post class="Greet" user="U1">hey   everyone  <terminals>
				<t pos="UH" word="hey"/><t pos="NN" word="everyone"/>
			</terminals>
		</Post>
		<Post class="ynQuestion" user="U2">r u &lt;there&gt;?<terminals><t pos="VBP" word="r"/></terminals></Post>
		<Post class="System" user="U3"><terminals></terminals></Post>
	</Posts>
</Session>`

func TestParseNPSChat(t *testing.T) {
	got, err := parseNPSChat([]byte(npsSession), "s.xml")
	if err != nil {
		t.Fatal(err)
	}
	want := []Example{{Text: "hey everyone", Label: 6}, {Text: "r u <there>?", Label: 14}}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("posts %+v, want %+v (the empty post skipped)", got, want)
	}
	for _, c := range []struct{ xml, want string }{
		{"", "s.xml: not an NPS Chat session"},
		{"<Session><Posts></Posts></Session>", "s.xml: no <Post>"},
		{`<Session><Posts><Post class="Shout">HI</Post></Posts></Session>`, `s.xml: post 1 has class "Shout"`},
		{`<Session><Posts><Post class="Greet">hi</Posts></Session>`, "s.xml: not an NPS Chat session"},
	} {
		if _, err := parseNPSChat([]byte(c.xml), "s.xml"); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want one containing %q", c.xml, err, c.want)
		}
	}
}

func TestParseRTE(t *testing.T) {
	rte1 := `<?xml version="1.0" encoding="UTF-8"?>
<entailment-corpus challenge="1">
<pair id="8" value="FALSE" task="IR">
	<t>Crude oil traded at $37.80 a barrel,
	down 28 cents</t>
	<h>Crude oil prices rose</h>
</pair>
<pair id="13" value="TRUE" task="IR"><t>iTunes has seen strong sales.</t><h>Strong sales for iTunes.</h></pair>
</entailment-corpus>`
	got, err := parseRTE([]byte(rte1), "rte1.xml")
	if err != nil {
		t.Fatal(err)
	}
	want := []Example{
		{Text: "Crude oil traded at $37.80 a barrel, down 28 cents", TextB: "Crude oil prices rose", Label: 0},
		{Text: "iTunes has seen strong sales.", TextB: "Strong sales for iTunes.", Label: 1},
	}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("pairs %+v, want %+v", got, want)
	}
	rte3 := `<entailment-corpus><pair id="1" entailment="YES"><t>a b</t><h>a</h></pair><pair id="2" entailment="NO"><t>a</t><h>c</h></pair></entailment-corpus>`
	if got, err := parseRTE([]byte(rte3), "rte3.xml"); err != nil || len(got) != 2 || got[0].Label != 1 || got[1].Label != 0 {
		t.Errorf("RTE-3 attributes: %+v, %v; want labels 1, 0", got, err)
	}
	for _, c := range []struct{ xml, want string }{
		{"<entailment-corpus></entailment-corpus>", "r.xml: no <pair>"},
		{`<entailment-corpus><pair id="4" value="MAYBE"><t>a</t><h>b</h></pair></entailment-corpus>`, `r.xml: pair "4" has value "MAYBE"`},
		{`<entailment-corpus><pair id="5" value="TRUE"><t>a</t><h> </h></pair></entailment-corpus>`, `r.xml: pair "5" has an empty`},
		{`<entailment-corpus><pair id="6" value="TRUE"><t>a & b</t><h>b</h></pair></entailment-corpus>`, "r.xml: not an RTE file"},
	} {
		if _, err := parseRTE([]byte(c.xml), "r.xml"); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want one containing %q", c.xml, err, c.want)
		}
	}
}

// TestLoadRTEMissingMember checks that a zip without a challenge file is named in the error.
func TestLoadRTEMissingMember(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "rte.zip")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	z := zip.NewWriter(f)
	w, _ := z.Create("rte/rte3_test.xml")
	_, _ = w.Write([]byte(`<entailment-corpus><pair id="1" entailment="YES"><t>a</t><h>a</h></pair></entailment-corpus>`))
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, err = loadRTE(func(string) (string, error) { return path, nil })
	if err == nil || !strings.Contains(err.Error(), "rte/rte1_dev.xml") || !strings.Contains(err.Error(), "sha256") {
		t.Errorf("error %v, want one naming the missing rte/rte1_dev.xml", err)
	}
}

func TestLoadApplicationSets(t *testing.T) {
	s := loadTestStore(t)
	ag, err := LoadAGNews(s)
	if err != nil {
		t.Fatal(err)
	}
	checkExamples(t, ag)
	checkCounts(t, "ag_news", tcCounts(ag), [3]int{6080, 760, 760})
	if c := ag.LabelCounts(ag.Test); c[0] != 190 || c[3] != 190 {
		t.Errorf("ag_news test topics %v, want 190 each", c)
	}
	for _, ex := range ag.All() {
		if strings.Contains(ex.Text, "#39;") || strings.Contains(ex.Text, "&lt;") || strings.Contains(ex.Text, "quot;") {
			t.Fatalf("undecoded entity in %q", ex.Text)
		}
	}

	nps, err := LoadNPSChat(s)
	if err != nil {
		t.Fatal(err)
	}
	checkExamples(t, nps)
	checkCounts(t, "nps_chat", tcCounts(nps), [3]int{8452, 1060, 1055})
	counts := nps.LabelCounts(nps.All())
	if counts[9] != 3185 || counts[10] != 2632 || counts[7] != 35 {
		t.Errorf("nps_chat classes %v, want Statement 3185, System 2632, Other 35", counts)
	}

	rte, err := LoadRTE(s)
	if err != nil {
		t.Fatal(err)
	}
	checkExamples(t, rte)
	checkCounts(t, "rte", tcCounts(rte), [3]int{3031, 336, 800})
	if !rte.IsPairs() || ag.IsPairs() {
		t.Error("IsPairs: want true for rte, false for ag_news")
	}
	if c := rte.LabelCounts(rte.Test); c[0] != 390 || c[1] != 410 {
		t.Errorf("rte test labels %v, want [390 410] (RTE-3 test)", c)
	}
	test := map[[2]string]bool{}
	for _, ex := range rte.Test {
		test[[2]string{ex.Text, ex.TextB}] = true
	}
	for _, ex := range append(rte.Train, rte.Dev...) {
		if ex.TextB == "" {
			t.Fatalf("pair without hypothesis: %q", ex.Text)
		}
		if test[[2]string{ex.Text, ex.TextB}] {
			t.Fatalf("test pair in train/dev: %q", ex.Text)
		}
	}
}
