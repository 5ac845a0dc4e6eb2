package data

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// loadTestStore returns an offline Store on the dataset mirror, skipping the test when
// there is none.
func loadTestStore(t *testing.T) *Store {
	t.Helper()
	mirror := FindMirror()
	if mirror == "" {
		t.Skip("no dataset mirror: set TLKIT_DATA to a mirror folder (like ../shared/data) to run the loader tests")
	}
	return &Store{Mirror: mirror, CacheDir: t.TempDir(), Offline: true}
}

// checkCounts fails unless the splits have the wanted sizes.
func checkCounts(t *testing.T, name string, got [3]int, want [3]int) {
	t.Helper()
	if got != want {
		t.Errorf("%s: train/dev/test sizes %v, want %v", name, got, want)
	}
}

// checkExamples fails on empty or non-UTF-8 texts and out-of-range labels.
func checkExamples(t *testing.T, d *TextClassification) {
	t.Helper()
	for _, split := range [][]Example{d.Train, d.Dev, d.Test} {
		for i, ex := range split {
			if strings.TrimSpace(ex.Text) == "" || !utf8.ValidString(ex.Text) || ex.Label < 0 || ex.Label >= len(d.Labels) {
				t.Fatalf("%s: bad example %d: %+v", d.Name, i, ex)
			}
		}
	}
}

func tcCounts(d *TextClassification) [3]int {
	a, b, c := d.Counts()
	return [3]int{a, b, c}
}

func TestLoadSST2(t *testing.T) {
	d, err := LoadSST2(loadTestStore(t))
	if err != nil {
		t.Fatal(err)
	}
	checkCounts(t, "sst2", tcCounts(d), [3]int{6920, 872, 1821})
	checkExamples(t, d)
	if !slices.Equal(d.Labels, []string{"negative", "positive"}) {
		t.Errorf("labels %v", d.Labels)
	}
	if got := d.LabelCounts(d.Train); !slices.Equal(got, []int{3310, 3610}) {
		t.Errorf("sst2 train label counts %v, want [3310 3610]", got)
	}
	first := d.Train[0]
	if first.Label != 1 || !strings.HasPrefix(first.Text, "a stirring , funny and finally transporting") {
		t.Errorf("first train example %+v", first)
	}
}

func TestLoadMRAndSUBJ(t *testing.T) {
	s := loadTestStore(t)
	mr, err := LoadMR(s)
	if err != nil {
		t.Fatal(err)
	}
	checkExamples(t, mr)
	checkCounts(t, "mr", tcCounts(mr), [3]int{8530, 1066, 1066})
	if got := mr.LabelCounts(mr.All()); !slices.Equal(got, []int{5331, 5331}) {
		t.Errorf("mr label counts %v", got)
	}
	// The Windows-1252 "é" of "cliché" is decoded.
	found := false
	for _, ex := range mr.All() {
		if strings.Contains(ex.Text, "the action clichés just pile up") {
			found = true
		}
	}
	if !found {
		t.Error("mr: no decoded \"cliché\"")
	}

	subj, err := LoadSUBJ(s)
	if err != nil {
		t.Fatal(err)
	}
	checkExamples(t, subj)
	checkCounts(t, "subj", tcCounts(subj), [3]int{8000, 1000, 1000})
	for name, split := range map[string][]Example{"train": subj.Train, "dev": subj.Dev, "test": subj.Test} {
		c := subj.LabelCounts(split)
		if c[0] != c[1] {
			t.Errorf("subj %s split not balanced: %v", name, c)
		}
	}
}

func TestLoadTREC(t *testing.T) {
	s := loadTestStore(t)
	coarse, err := LoadTREC(s)
	if err != nil {
		t.Fatal(err)
	}
	checkExamples(t, coarse)
	checkCounts(t, "trec", tcCounts(coarse), [3]int{5452, 0, 500})
	if !slices.Equal(coarse.Labels, []string{"ABBR", "DESC", "ENTY", "HUM", "LOC", "NUM"}) {
		t.Errorf("trec coarse labels %v", coarse.Labels)
	}
	if got := coarse.LabelCounts(coarse.Train); !slices.Equal(got, []int{86, 1162, 1250, 1223, 835, 896}) {
		t.Errorf("trec train label counts %v", got)
	}
	fine, err := LoadTRECFine(s)
	if err != nil {
		t.Fatal(err)
	}
	checkCounts(t, "trec-fine", tcCounts(fine), [3]int{5452, 0, 500})
	if len(fine.Labels) != 50 {
		t.Errorf("trec fine: %d labels, want 50", len(fine.Labels))
	}
	if ex := fine.Train[0]; fine.Labels[ex.Label] != "DESC:manner" || ex.Text != "How did serfdom develop in and then leave Russia ?" {
		t.Errorf("trec fine first example %q %q", fine.Labels[ex.Label], ex.Text)
	}
	if err := coarse.CarveDev(0.1, DefaultSeed); err != nil {
		t.Fatal(err)
	}
	checkCounts(t, "trec after CarveDev", tcCounts(coarse), [3]int{4907, 545, 500})
	if err := coarse.CarveDev(0.1, DefaultSeed); err == nil {
		t.Error("CarveDev twice: no error")
	}
}

func TestLoadAmazon(t *testing.T) {
	all, err := LoadAmazonDomains(loadTestStore(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 4 {
		t.Fatalf("%d domains, want 4", len(all))
	}
	for _, domain := range AmazonDomains() {
		d := all[domain]
		checkExamples(t, d)
		checkCounts(t, d.Name, tcCounts(d), [3]int{1600, 200, 200})
		for _, split := range [][]Example{d.Train, d.Dev, d.Test} {
			if c := d.LabelCounts(split); c[0] != c[1] {
				t.Errorf("%s: unbalanced split %v", d.Name, c)
			}
		}
		for _, ex := range d.All() {
			if strings.ContainsAny(ex.Text, "\x1a") || strings.Contains(ex.Text, "&quot;") || strings.Contains(ex.Text, "<review") {
				t.Fatalf("%s: unclean text %q", d.Name, ex.Text)
			}
		}
	}
	// The stray 0x1A of dvd/positive.review became U+FFFD.
	found := false
	for _, ex := range all["dvd"].All() {
		if strings.Contains(ex.Text, "his fianc\ufffd and career") {
			found = true
		}
	}
	if !found {
		t.Error("amazon/dvd: the 0x1A byte was not replaced by U+FFFD")
	}
	if _, err := LoadAmazon(loadTestStore(t), "toys"); err == nil || !strings.Contains(err.Error(), "books") {
		t.Errorf("unknown domain: error %v, want one listing the domains", err)
	}
}

func TestLoadIMDB2kAndMovieReviews(t *testing.T) {
	s := loadTestStore(t)
	imdb, err := LoadIMDB2k(s)
	if err != nil {
		t.Fatal(err)
	}
	checkExamples(t, imdb)
	checkCounts(t, "imdb2k", tcCounts(imdb), [3]int{1600, 200, 200})
	if c := imdb.LabelCounts(imdb.All()); !slices.Equal(c, []int{1000, 1000}) {
		t.Errorf("imdb2k label counts %v", c)
	}
	for _, ex := range imdb.All() {
		if strings.Contains(ex.Text, "<br") {
			t.Fatalf("imdb2k: <br /> left in %q", ex.Text)
		}
	}
	mr, err := LoadMovieReviews(s)
	if err != nil {
		t.Fatal(err)
	}
	checkExamples(t, mr)
	checkCounts(t, "movie_reviews", tcCounts(mr), [3]int{1600, 200, 200})
}

func TestLoadCoLA(t *testing.T) {
	d, err := LoadCoLA(loadTestStore(t))
	if err != nil {
		t.Fatal(err)
	}
	checkExamples(t, d)
	checkCounts(t, "cola", tcCounts(d), [3]int{8551, 527, 516})
	if c := d.LabelCounts(d.Train); !slices.Equal(c, []int{2528, 6023}) {
		t.Errorf("cola train label counts %v, want [2528 6023]", c)
	}
	if ex := d.Dev[0]; ex.Text != "The sailors rode the breeze clear of the rocks." || d.Labels[ex.Label] != "acceptable" {
		t.Errorf("cola first dev example %+v", ex)
	}
}

func tokCounts(d *TokenClassification) [3]int {
	a, b, c := d.Counts()
	return [3]int{a, b, c}
}

// checkTagged fails on sentences with mismatched or empty tokens and tags outside TagSet.
func checkTagged(t *testing.T, d *TokenClassification) {
	t.Helper()
	for _, split := range [][]TaggedSentence{d.Train, d.Dev, d.Test} {
		for i, s := range split {
			if len(s.Tokens) == 0 || len(s.Tokens) != len(s.Tags) {
				t.Fatalf("%s: sentence %d has %d tokens and %d tags", d.Name, i, len(s.Tokens), len(s.Tags))
			}
			for j := range s.Tokens {
				if s.Tokens[j] == "" || !slices.Contains(d.TagSet, s.Tags[j]) {
					t.Fatalf("%s: sentence %d token %d: %q/%q", d.Name, i, j, s.Tokens[j], s.Tags[j])
				}
			}
		}
	}
}

func TestLoadCoNLL2003(t *testing.T) {
	d, err := LoadCoNLL2003(loadTestStore(t))
	if err != nil {
		t.Fatal(err)
	}
	checkCounts(t, "conll2003", tokCounts(d), [3]int{14041, 3250, 3453})
	checkTagged(t, d)
	want := []string{"O", "B-LOC", "B-MISC", "B-ORG", "B-PER", "I-LOC", "I-MISC", "I-ORG", "I-PER"}
	if !slices.Equal(d.TagSet, want) {
		t.Errorf("conll2003 tags %v, want %v", d.TagSet, want)
	}
	if got := d.TagCounts(d.Train)["B-PER"]; got != 6592 {
		t.Errorf("conll2003 train B-PER count %d, want 6592", got)
	}
	if s := d.Train[0]; strings.Join(s.Tokens, " ") != "EU rejects German call to boycott British lamb ." || s.Tags[0] != "B-ORG" {
		t.Errorf("conll2003 first sentence %v %v", s.Tokens, s.Tags)
	}
	for _, s := range d.Test {
		if s.Tokens[0] == "-DOCSTART-" {
			t.Fatal("conll2003: -DOCSTART- kept")
		}
	}
}

func TestLoadCoNLL2000(t *testing.T) {
	s := loadTestStore(t)
	chunks, err := LoadCoNLL2000Chunking(s)
	if err != nil {
		t.Fatal(err)
	}
	pos, err := LoadCoNLL2000POS(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []*TokenClassification{chunks, pos} {
		checkCounts(t, d.Name, tokCounts(d), [3]int{8936, 0, 2012})
		checkTagged(t, d)
	}
	if got := chunks.Train[0].Tags[:3]; !slices.Equal(got, []string{"B-NP", "B-PP", "B-NP"}) {
		t.Errorf("chunk tags %v", got)
	}
	if got := pos.Train[0].Tags[:3]; !slices.Equal(got, []string{"NN", "IN", "DT"}) {
		t.Errorf("POS tags %v", got)
	}
	if !slices.Equal(chunks.Train[5].Tokens, pos.Train[5].Tokens) {
		t.Error("the chunk and POS layers have different tokens")
	}
	if len(chunks.TagSet) != 23 {
		t.Errorf("conll2000 chunk tag set has %d tags: %v", len(chunks.TagSet), chunks.TagSet)
	}
}

func TestLoadMSRA(t *testing.T) {
	d, err := LoadMSRA(loadTestStore(t))
	if err != nil {
		t.Fatal(err)
	}
	checkCounts(t, "msra", tokCounts(d), [3]int{0, 3000, 3442})
	checkTagged(t, d)
	for _, s := range d.Test[:100] {
		for _, tok := range s.Tokens {
			if utf8.RuneCountInString(tok) != 1 {
				t.Fatalf("msra: token %q is not one character", tok)
			}
		}
	}
	if got := d.TagCounts(d.Test)["B-PER"]; got != 1973 {
		t.Errorf("msra test B-PER count %d, want 1973", got)
	}
	// msra_test_bio.tsv holds the same test split in CoNLL format.
	p, err := loadTestStore(t).Path("msra/msra_test_bio.tsv")
	if err != nil {
		t.Fatal(err)
	}
	tsv, err := LoadCoNLLFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(tsv) != len(d.Test) || !slices.Equal(tsv[7].Tokens, d.Test[7].Tokens) || !slices.Equal(tsv[7].Tags, d.Test[7].Tags) {
		t.Errorf("msra_test_bio.tsv (%d sentences) differs from test/ (%d)", len(tsv), len(d.Test))
	}
}

func TestLoadCLINC150(t *testing.T) {
	d, err := LoadCLINC150(loadTestStore(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Intents) != 150 || len(d.Domains) != 10 {
		t.Errorf("clinc150: %d intents in %d domains, want 150 in 10", len(d.Intents), len(d.Domains))
	}
	a, b, c := d.Counts()
	if [3]int{a, b, c} != [3]int{15000, 3000, 4500} {
		t.Errorf("clinc150 sizes %d/%d/%d", a, b, c)
	}
	if [3]int{len(d.OOSTrain), len(d.OOSDev), len(d.OOSTest)} != [3]int{100, 100, 1000} {
		t.Errorf("clinc150 oos sizes %d/%d/%d", len(d.OOSTrain), len(d.OOSDev), len(d.OOSTest))
	}
	for _, domain := range d.DomainNames() {
		if len(d.Domains[domain]) != 15 {
			t.Errorf("clinc150 domain %s has %d intents", domain, len(d.Domains[domain]))
		}
	}
	if ex := d.Train[0]; ex.Intent != "translate" || ex.Domain != "travel" {
		t.Errorf("clinc150 first example %+v", ex)
	}
	if ex := d.OOSTest[0]; ex.Intent != "oos" || ex.Domain != "" {
		t.Errorf("clinc150 oos example %+v", ex)
	}
	tc := d.TextClassification()
	if len(tc.Labels) != 150 || len(tc.Train) != 15000 || tc.Labels[tc.Train[0].Label] != "translate" {
		t.Errorf("clinc150 as text classification: %v", tc)
	}
}

func TestLoadBanking77(t *testing.T) {
	d, err := LoadBanking77(loadTestStore(t))
	if err != nil {
		t.Fatal(err)
	}
	a, b, c := d.Counts()
	if len(d.Intents) != 77 || [3]int{a, b, c} != [3]int{10003, 0, 3080} {
		t.Errorf("banking77: %d intents, %d/%d/%d", len(d.Intents), a, b, c)
	}
	if ex := d.Train[0]; ex.Text != "I am still waiting on my card?" || ex.Intent != "card_arrival" || ex.Domain != "banking" {
		t.Errorf("banking77 first example %+v", ex)
	}
	if err := d.CarveDev(0.1, DefaultSeed); err != nil {
		t.Fatal(err)
	}
	if len(d.Train)+len(d.Dev) != 10003 || len(d.Dev) < 950 || len(d.Dev) > 1050 {
		t.Errorf("banking77 after CarveDev: %d/%d", len(d.Train), len(d.Dev))
	}
}

func TestLoadXQuAD(t *testing.T) {
	s := loadTestStore(t)
	var ids [2][]string
	for i, lang := range XQuADLanguages() {
		examples, err := LoadXQuAD(s, lang)
		if err != nil {
			t.Fatal(err)
		}
		if len(examples) != 1190 {
			t.Errorf("xquad.%s: %d questions, want 1190", lang, len(examples))
		}
		for _, ex := range examples {
			if len(ex.Answers) != 1 || ex.Question == "" {
				t.Fatalf("xquad.%s: %+v", lang, ex)
			}
			for _, a := range ex.Answers {
				if ex.Context[a.Start:a.Start+len(a.Text)] != a.Text {
					t.Fatalf("xquad.%s %s: answer %q not at byte %d", lang, ex.ID, a.Text, a.Start)
				}
			}
			ids[i] = append(ids[i], ex.ID)
		}
	}
	if !slices.Equal(ids[0], ids[1]) {
		t.Error("xquad: en and zh question IDs differ")
	}
	if _, err := LoadXQuAD(s, "de"); err == nil {
		t.Error("xquad de: no error")
	}
}

func TestLoadCorpora(t *testing.T) {
	s := loadTestStore(t)
	for _, tc := range []struct {
		load func() (*Corpus, error)
		docs int
	}{
		{func() (*Corpus, error) { return LoadWikiText2(s, "valid") }, 60},
		{func() (*Corpus, error) { return LoadWikiText2(s, "test") }, 60},
		{func() (*Corpus, error) { return LoadBrown(s) }, 500},
		{func() (*Corpus, error) { return LoadStateUnion(s) }, 65},
		{func() (*Corpus, error) { return LoadAusten(s) }, 6},
		{func() (*Corpus, error) { return LoadGutenberg(s) }, 3},
	} {
		c, err := tc.load()
		if err != nil {
			t.Fatal(err)
		}
		if c.Len() != tc.docs {
			t.Errorf("%s: %d documents, want %d", c.Name, c.Len(), tc.docs)
		}
		for _, d := range c.Documents {
			if d.Name == "" || len(d.Text) < 1000 || !utf8.ValidString(d.Text) {
				t.Errorf("%s: bad document %q (%d bytes)", c.Name, d.Name, len(d.Text))
			}
		}
		switch c.Name {
		case "wikitext2/valid":
			if c.Documents[0].Name != "Homarus gammarus" {
				t.Errorf("wikitext2 valid first article %q", c.Documents[0].Name)
			}
		case "brown":
			if d := c.Documents[0]; d.Name != "ca01" || d.Category != "news" || !strings.HasPrefix(d.Text, "The Fulton County Grand Jury said Friday") {
				t.Errorf("brown first document %q %q %.50q", d.Name, d.Category, d.Text)
			}
		case "state_union":
			text := c.Text()
			if strings.Contains(text, "\xa1") || strings.Contains(text, "¡") || !strings.Contains(text, "man’s genius") {
				t.Error("state_union: Big5 punctuation not decoded")
			}
		case "austen":
			if !strings.HasPrefix(c.Documents[0].Text, "EMMA") {
				t.Errorf("austen first document starts %.20q", c.Documents[0].Text)
			}
		}
	}
}

func TestLoadBrownTagged(t *testing.T) {
	d, err := LoadBrownTagged(loadTestStore(t))
	if err != nil {
		t.Fatal(err)
	}
	tokens := 0
	for _, s := range d.Train {
		tokens += len(s.Tokens)
	}
	if len(d.Train) != 57340 || tokens != 1161192 {
		t.Errorf("brown: %d sentences, %d tokens; want 57340, 1161192", len(d.Train), tokens)
	}
	checkTagged(t, d)
	if s := d.Train[0]; s.Tokens[1] != "Fulton" || s.Tags[1] != "np-tl" {
		t.Errorf("brown first sentence %v %v", s.Tokens[:3], s.Tags[:3])
	}
}

func TestLoadSemEval2010(t *testing.T) {
	d, err := LoadSemEval2010(loadTestStore(t))
	if err != nil {
		t.Fatal(err)
	}
	tr, dev, test := d.Counts()
	checkCounts(t, d.Name, [3]int{tr, dev, test}, [3]int{8000, 0, 2717})
	if len(d.Labels) != 19 || d.Labels[0] != OtherRelation {
		t.Errorf("labels %v: want 19, Other first", d.Labels)
	}
	if d.Train[0].ID != 1 || d.Test[0].ID != 8001 || d.Test[0].Label != "Message-Topic(e1,e2)" ||
		d.Test[0].Text[d.Test[0].E1.Start:d.Test[0].E1.End] != "audits" {
		t.Errorf("first examples: %+v, %+v", d.Train[0], d.Test[0])
	}
	if err := d.CarveDev(0.1, 1); err != nil {
		t.Fatal(err)
	}
	if tr, dev, _ := d.Counts(); tr+dev != 8000 || dev < 790 || dev > 810 {
		t.Errorf("after CarveDev(0.1): train %d, dev %d", tr, dev)
	}
}
