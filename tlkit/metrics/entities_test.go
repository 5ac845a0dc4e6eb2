package metrics

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

func tags(s string) []string { return strings.Fields(s) }

func TestEntitiesDecoding(t *testing.T) {
	for _, c := range []struct {
		tags         string
		want, strict []Entity
	}{
		{"O O", nil, nil},
		{"B-PER I-PER O B-LOC", []Entity{{"PER", 0, 2}, {"LOC", 3, 4}}, []Entity{{"PER", 0, 2}, {"LOC", 3, 4}}},
		// A stray I- tag starts an entity (conlleval), or belongs to none (strict IOB2).
		{"O I-PER I-PER O", []Entity{{"PER", 1, 3}}, nil},
		{"I-ORG", []Entity{{"ORG", 0, 1}}, nil},
		// B- after I- of the same type: two entities.
		{"B-ORG I-ORG B-ORG", []Entity{{"ORG", 0, 2}, {"ORG", 2, 3}}, []Entity{{"ORG", 0, 2}, {"ORG", 2, 3}}},
		// A type change ends the entity and starts another, even under I-.
		{"B-PER I-ORG I-ORG", []Entity{{"PER", 0, 1}, {"ORG", 1, 3}}, []Entity{{"PER", 0, 1}}},
		{"B-PER I-PER I-LOC O B-MISC", []Entity{{"PER", 0, 2}, {"LOC", 2, 3}, {"MISC", 4, 5}}, []Entity{{"PER", 0, 2}, {"MISC", 4, 5}}},
		// Entities at the end of the sentence.
		{"O B-LOC I-LOC", []Entity{{"LOC", 1, 3}}, []Entity{{"LOC", 1, 3}}},
		// Chunk tags work the same way; lower-case prefixes and '_' are accepted.
		{"B-NP I-NP B-VP b_NP i_NP", []Entity{{"NP", 0, 2}, {"VP", 2, 3}, {"NP", 3, 5}}, []Entity{{"NP", 0, 2}, {"VP", 2, 3}, {"NP", 3, 5}}},
	} {
		got, err := Entities(tags(c.tags))
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("Entities(%s) = %v, %v; want %v", c.tags, got, err, c.want)
		}
		got, err = StrictEntities(tags(c.tags))
		if err != nil || !reflect.DeepEqual(got, c.strict) {
			t.Errorf("StrictEntities(%s) = %v, %v; want %v", c.tags, got, err, c.strict)
		}
	}
	for _, bad := range []string{"NN", "B-", "X-PER", "PER"} {
		if _, err := Entities([]string{"O", bad}); err == nil || !strings.Contains(err.Error(), "token 1") {
			t.Errorf("Entities accepted tag %q (err %v)", bad, err)
		}
	}
}

// TestIOB1AndIOB2 checks that one sentence written in IOB1 (raw CoNLL-2003) and in IOB2 has the
// same entities, that Convert and Encode go both ways, and that DetectScheme tells them apart.
func TestIOB1AndIOB2(t *testing.T) {
	iob1 := tags("I-PER I-PER B-PER O I-LOC O I-ORG I-MISC")
	iob2 := tags("B-PER I-PER B-PER O B-LOC O B-ORG B-MISC")
	want := []Entity{{"PER", 0, 2}, {"PER", 2, 3}, {"LOC", 4, 5}, {"ORG", 6, 7}, {"MISC", 7, 8}}
	for _, in := range [][]string{iob1, iob2} {
		if got, err := Entities(in); err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("Entities(%v) = %v, %v; want %v", in, got, err, want)
		}
	}
	if got, _ := Convert(iob1, IOB2); !reflect.DeepEqual(got, iob2) {
		t.Errorf("Convert(IOB1 → IOB2) = %v, want %v", got, iob2)
	}
	if got, _ := Convert(iob2, IOB1); !reflect.DeepEqual(got, iob1) {
		t.Errorf("Convert(IOB2 → IOB1) = %v, want %v", got, iob1)
	}
	// A stray I- tag in IOB2 data becomes a B- tag.
	if got, _ := Convert(tags("O I-PER I-PER B-PER"), IOB2); !reflect.DeepEqual(got, tags("O B-PER I-PER B-PER")) {
		t.Errorf("Convert(stray I-) = %v", got)
	}
	// Read strictly as IOB2, the IOB1 sentence keeps only the entity that starts with B-.
	if got, _ := StrictEntities(iob1); !reflect.DeepEqual(got, []Entity{{"PER", 2, 3}}) {
		t.Errorf("StrictEntities(IOB1) = %v", got)
	}
	for _, c := range []struct {
		sentences [][]string
		want      Scheme
	}{
		{[][]string{iob1, tags("O I-LOC")}, IOB1},
		{[][]string{iob2, tags("O B-LOC")}, IOB2},
		// IOB2 with a few stray I- tags (as in the mirror's CoNLL-2003) is still IOB2.
		{[][]string{iob2, tags("O I-LOC I-LOC")}, IOB2},
		{[][]string{tags("O O")}, IOB2},
	} {
		if got, err := DetectScheme(c.sentences); err != nil || got != c.want {
			t.Errorf("DetectScheme(%v) = %v, %v; want %v", c.sentences, got, err, c.want)
		}
	}
	if _, err := DetectScheme([][]string{tags("O NN")}); err == nil {
		t.Error("DetectScheme accepted a POS tag")
	}
	if !IsIOB(iob1) || IsIOB(tags("DT NN")) || IsIOB(nil) {
		t.Error("IsIOB is wrong")
	}
}

func close12(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

// TestEntityF1 checks the scores against counts made by hand (what conlleval prints for
// these sentences).
func TestEntityF1(t *testing.T) {
	gold := [][]string{
		tags("B-PER I-PER O B-LOC O"),
		tags("B-ORG I-ORG I-ORG O"),
		tags("O O B-MISC"),
	}
	pred := [][]string{
		tags("B-PER I-PER O B-LOC O"), // 2 correct
		tags("B-ORG I-ORG O O"),       // wrong boundary: 1 missed, 1 spurious
		tags("B-PER O B-MISC"),        // 1 spurious, 1 correct
	}
	r, err := EntityF1(pred, gold, false)
	if err != nil {
		t.Fatal(err)
	}
	// 4 gold, 5 predicted, 3 correct: P = 3/5, R = 3/4, F1 = 2PR/(P+R) = 2/3.
	if r.Gold != 4 || r.Predicted != 5 || r.Correct != 3 || !close12(r.Precision, 0.6) || !close12(r.Recall, 0.75) || !close12(r.F1, 2.0/3) {
		t.Errorf("overall = %+v; want gold 4, predicted 5, correct 3, P 0.6, R 0.75, F1 0.667", r)
	}
	if !close12(r.Accuracy, 10.0/12) || r.Tokens != 12 {
		t.Errorf("token accuracy %g on %d tokens, want 10/12", r.Accuracy, r.Tokens)
	}
	want := map[string][3]float64{"LOC": {1, 1, 1}, "MISC": {1, 1, 1}, "ORG": {0, 0, 0}, "PER": {0.5, 1, 2.0 / 3}}
	if len(r.Types) != 4 || r.Types[0].Type != "LOC" || r.Types[3].Type != "PER" {
		t.Fatalf("types %+v, want LOC, MISC, ORG, PER", r.Types)
	}
	for typ, w := range want {
		s := r.Type(typ)
		if !close12(s.Precision, w[0]) || !close12(s.Recall, w[1]) || !close12(s.F1, w[2]) {
			t.Errorf("%s: P %g R %g F1 %g, want %v", typ, s.Precision, s.Recall, s.F1, w)
		}
	}
	if s := r.Type("DATE"); s.Gold != 0 || s.F1 != 0 {
		t.Errorf("absent type: %+v", s)
	}
	if md := r.Markdown(); !strings.Contains(md, "| PER | 0.500 | 1.000 | 0.667 | 1 | 2 |") || !strings.Contains(md, "| **overall** | 0.600 | 0.750 | 0.667 | 4 | 5 |") {
		t.Errorf("Markdown:\n%s", md)
	}

	// A stray I- prediction: correct for conlleval, no entity at all in strict mode.
	gold = [][]string{tags("O B-PER I-PER")}
	pred = [][]string{tags("O I-PER I-PER")}
	if r, _ := EntityF1(pred, gold, false); r.F1 != 1 {
		t.Errorf("conlleval F1 with a stray I- = %g, want 1", r.F1)
	}
	if r, _ := EntityF1(pred, gold, true); r.F1 != 0 || r.Predicted != 0 || r.Gold != 1 {
		t.Errorf("strict F1 with a stray I- = %+v, want nothing predicted", r)
	}
	// A type change inside an entity: two predicted entities, neither correct.
	gold = [][]string{tags("B-ORG I-ORG I-ORG")}
	pred = [][]string{tags("B-ORG I-LOC I-ORG")}
	if r, _ := EntityF1(pred, gold, false); r.Predicted != 3 || r.Correct != 0 || r.F1 != 0 {
		t.Errorf("type change: %+v, want 3 predicted entities, none correct", r)
	}
	// IOB1 predictions against IOB2 gold: the same entities, F1 1.
	gold = [][]string{tags("B-PER I-PER B-PER O B-LOC")}
	pred = [][]string{tags("I-PER I-PER B-PER O I-LOC")}
	if r, _ := EntityF1(pred, gold, false); r.F1 != 1 || r.Correct != 3 {
		t.Errorf("IOB1 vs IOB2: %+v, want F1 1", r)
	}

	for _, c := range []struct {
		pred, gold [][]string
		want       string
	}{
		{[][]string{tags("O")}, nil, "1 predicted sentences for 0"},
		{[][]string{tags("O")}, [][]string{tags("O O")}, "sentence 0 has 1 predicted tags for 2"},
		{[][]string{tags("O NN")}, [][]string{tags("O O")}, "predicted sentence 0"},
	} {
		if _, err := EntityF1(c.pred, c.gold, false); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("EntityF1(%v, %v): error %v, want %q", c.pred, c.gold, err, c.want)
		}
	}
}

func TestTagTypeConfusion(t *testing.T) {
	gold := [][]string{tags("B-PER I-PER O B-LOC"), tags("B-ORG")}
	pred := [][]string{tags("B-PER B-ORG O O"), tags("I-LOC")}
	labels, m, err := TagTypeConfusion(pred, gold)
	if err != nil {
		t.Fatal(err)
	}
	wantLabels := []string{"O", "LOC", "ORG", "PER"}
	// Rows gold, columns predicted: PER→PER, PER→ORG, O→O, LOC→O, ORG→LOC.
	want := [][]int{{1, 0, 0, 0}, {1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 1}}
	if !reflect.DeepEqual(labels, wantLabels) || !reflect.DeepEqual(m, want) {
		t.Errorf("TagTypeConfusion = %v %v; want %v %v", labels, m, wantLabels, want)
	}
	if _, _, err := TagTypeConfusion(pred[:1], gold); err == nil {
		t.Error("TagTypeConfusion accepted mismatched sentences")
	}
}
