package metrics

import (
	"fmt"
	"sort"
	"strings"
)

// Entity is one labelled span of a tagged sentence: tokens [Start, End) of type Type (e.g.
// "PER" for the tags B-PER I-PER).
type Entity struct {
	Type       string
	Start, End int
}

// String returns "TYPE[start:end]".
func (e Entity) String() string { return fmt.Sprintf("%s[%d:%d]", e.Type, e.Start, e.End) }

// Scheme is a way of writing entity spans as one tag per token.
type Scheme int

const (
	// IOB2 (also called BIO) tags the first token of every entity B-TYPE and the others
	// I-TYPE; tokens outside entities are O. The mirror's CoNLL-2003 and CoNLL-2000 files use
	// it.
	IOB2 Scheme = iota
	// IOB1 tags entity tokens I-TYPE; B-TYPE only marks the first token of an entity that
	// directly follows another entity of the same type. The original CoNLL-2003 release uses it.
	IOB1
)

// String returns "IOB2" or "IOB1".
func (s Scheme) String() string {
	if s == IOB1 {
		return "IOB1"
	}
	return "IOB2"
}

// splitTag splits a tag into its prefix ('B', 'I' or 'O') and type. It accepts "O" and
// "B-TYPE"/"I-TYPE" (also with '_' instead of '-', and a lower-case prefix); anything else is
// an error.
func splitTag(tag string) (prefix byte, typ string, err error) {
	if tag == "O" {
		return 'O', "", nil
	}
	if len(tag) >= 3 && (tag[1] == '-' || tag[1] == '_') {
		switch p := tag[0] | 0x20; p { // Lower case.
		case 'b', 'i':
			return p - 0x20, tag[2:], nil
		}
	}
	return 0, "", fmt.Errorf("tag %q is neither O nor B-TYPE / I-TYPE (IOB1 or IOB2)", tag)
}

// Entities returns the entities of one sentence's tags, decoded as the CoNLL evaluation
// script conlleval (and seqeval's default mode) decode them: an entity starts at a B- tag, at
// an I- tag that follows O (or starts the sentence) — a stray I- tag starts an entity — and at
// any tag whose type differs from the previous token's; it ends where the next one starts or
// at O. This reads IOB1 and IOB2 alike (and any mix of them). Tags other than O, B-TYPE and
// I-TYPE are an error.
func Entities(tags []string) ([]Entity, error) {
	var out []Entity
	prevPrefix, prevType := byte('O'), ""
	for i, tag := range tags {
		prefix, typ, err := splitTag(tag)
		if err != nil {
			return nil, fmt.Errorf("token %d: %w", i, err)
		}
		end := prevPrefix != 'O' && (prefix == 'O' || prefix == 'B' || typ != prevType)
		start := prefix != 'O' && (prefix == 'B' || prevPrefix == 'O' || typ != prevType)
		if end {
			out[len(out)-1].End = i
		}
		if start {
			out = append(out, Entity{Type: typ, Start: i, End: -1})
		}
		prevPrefix, prevType = prefix, typ
	}
	if prevPrefix != 'O' {
		out[len(out)-1].End = len(tags)
	}
	return out, nil
}

// StrictEntities returns the entities of one sentence's IOB2 tags, read strictly (seqeval's
// mode="strict" with scheme=IOB2): an entity is a B-TYPE tag followed by any I-TYPE tags of
// the same type. An I- tag that does not continue such an entity (a stray I- tag) belongs to
// no entity. Tags other than O, B-TYPE and I-TYPE are an error.
func StrictEntities(tags []string) ([]Entity, error) {
	var out []Entity
	open := false
	for i, tag := range tags {
		prefix, typ, err := splitTag(tag)
		if err != nil {
			return nil, fmt.Errorf("token %d: %w", i, err)
		}
		if open && (prefix != 'I' || typ != out[len(out)-1].Type) {
			out[len(out)-1].End = i
			open = false
		}
		if prefix == 'B' {
			out = append(out, Entity{Type: typ, Start: i})
			open = true
		}
	}
	if open {
		out[len(out)-1].End = len(tags)
	}
	return out, nil
}

// Encode writes entities (sorted, not overlapping, inside [0, n)) as n tags in scheme.
func Encode(entities []Entity, n int, scheme Scheme) []string {
	tags := make([]string, n)
	for i := range tags {
		tags[i] = "O"
	}
	prevEnd, prevType := -1, ""
	for _, e := range entities {
		for i := e.Start; i < e.End; i++ {
			tags[i] = "I-" + e.Type
		}
		if scheme == IOB2 || (e.Start == prevEnd && e.Type == prevType) {
			tags[e.Start] = "B-" + e.Type
		}
		prevEnd, prevType = e.End, e.Type
	}
	return tags
}

// Convert rewrites one sentence's tags (IOB1 or IOB2, read as Entities reads them) in
// scheme. Converting to IOB2 turns each stray I- tag into a B- tag.
func Convert(tags []string, scheme Scheme) ([]string, error) {
	entities, err := Entities(tags)
	if err != nil {
		return nil, err
	}
	return Encode(entities, len(tags), scheme), nil
}

// DetectScheme guesses the scheme of tagged sentences: IOB1 when no B- tag starts an entity
// after O or a token of another type (IOB1 only uses B- between two adjacent entities of one
// type) while some I- tag does; IOB2 otherwise (including data without entities). Malformed
// tags are an error.
func DetectScheme(sentences [][]string) (Scheme, error) {
	bStarts, iStarts := 0, 0
	for s, tags := range sentences {
		prevPrefix, prevType := byte('O'), ""
		for i, tag := range tags {
			prefix, typ, err := splitTag(tag)
			if err != nil {
				return IOB2, fmt.Errorf("sentence %d, token %d: %w", s, i, err)
			}
			afterOther := prevPrefix == 'O' || prevType != typ
			switch {
			case prefix == 'B' && afterOther:
				bStarts++
			case prefix == 'I' && afterOther:
				iStarts++
			}
			prevPrefix, prevType = prefix, typ
		}
	}
	if bStarts == 0 && iStarts > 0 {
		return IOB1, nil
	}
	return IOB2, nil
}

// IsIOB reports whether every tag is O, B-TYPE or I-TYPE, so that the tags mark entities
// (named entities, chunks) that EntityF1 can score; part-of-speech tags, say, do not.
func IsIOB(tags []string) bool {
	for _, t := range tags {
		if _, _, err := splitTag(t); err != nil {
			return false
		}
	}
	return len(tags) > 0
}

// EntityTypeScores are the entity-level scores of one entity type.
type EntityTypeScores struct {
	Type string `json:"type"`
	// Precision is Correct/Predicted, Recall Correct/Gold, F1 their harmonic mean (each 0
	// when its denominator is 0).
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	// Gold and Predicted count the gold and predicted entities, Correct those predicted with
	// exactly the gold span and type.
	Gold      int `json:"gold"`
	Predicted int `json:"predicted"`
	Correct   int `json:"correct"`
}

// EntityReport holds entity-level scores, as conlleval reports them: an entity counts as
// correct only when both its span and its type match a gold entity exactly.
type EntityReport struct {
	// Precision, Recall and F1 are micro-averaged over all entities (conlleval's "overall").
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	// Gold, Predicted and Correct count entities over all types.
	Gold      int `json:"gold"`
	Predicted int `json:"predicted"`
	Correct   int `json:"correct"`
	// Accuracy is the fraction of tokens whose predicted tag equals the gold tag, over Tokens.
	Accuracy float64 `json:"accuracy"`
	Tokens   int     `json:"tokens"`
	// Types holds the scores of each entity type found in gold or predictions, sorted by type.
	Types []EntityTypeScores `json:"types"`
}

// Type returns the scores of entity type typ (zero scores if it never occurs).
func (r EntityReport) Type(typ string) EntityTypeScores {
	for _, t := range r.Types {
		if t.Type == typ {
			return t
		}
	}
	return EntityTypeScores{Type: typ}
}

// EntityF1 scores predicted tags against gold tags, sentence by sentence, at the entity
// level: micro-averaged precision, recall and F1 over all entities and per type, and the
// token accuracy. Entities are decoded as Entities does (conlleval; IOB1 or IOB2, a stray I-
// tag starting an entity) or, with strict, as StrictEntities does (seqeval's strict IOB2
// mode). pred and gold must have the same number of sentences, of the same lengths; tags
// must be O, B-TYPE or I-TYPE.
func EntityF1(pred, gold [][]string, strict bool) (EntityReport, error) {
	decode := Entities
	if strict {
		decode = StrictEntities
	}
	if len(pred) != len(gold) {
		return EntityReport{}, fmt.Errorf("metrics: %d predicted sentences for %d gold ones", len(pred), len(gold))
	}
	type counts struct{ gold, pred, correct int }
	byType := map[string]*counts{}
	get := func(typ string) *counts {
		c := byType[typ]
		if c == nil {
			c = &counts{}
			byType[typ] = c
		}
		return c
	}
	var r EntityReport
	right := 0
	for s := range gold {
		if len(pred[s]) != len(gold[s]) {
			return EntityReport{}, fmt.Errorf("metrics: sentence %d has %d predicted tags for %d tokens", s, len(pred[s]), len(gold[s]))
		}
		g, err := decode(gold[s])
		if err != nil {
			return EntityReport{}, fmt.Errorf("metrics: gold sentence %d: %w", s, err)
		}
		p, err := decode(pred[s])
		if err != nil {
			return EntityReport{}, fmt.Errorf("metrics: predicted sentence %d: %w", s, err)
		}
		goldSet := make(map[Entity]bool, len(g))
		for _, e := range g {
			goldSet[e] = true
			get(e.Type).gold++
		}
		for _, e := range p {
			c := get(e.Type)
			c.pred++
			if goldSet[e] {
				c.correct++
			}
		}
		for i := range gold[s] {
			if pred[s][i] == gold[s][i] {
				right++
			}
		}
		r.Tokens += len(gold[s])
	}
	types := make([]string, 0, len(byType))
	for t := range byType {
		types = append(types, t)
	}
	sort.Strings(types)
	for _, t := range types {
		c := byType[t]
		ts := EntityTypeScores{Type: t, Gold: c.gold, Predicted: c.pred, Correct: c.correct}
		ts.Precision, ts.Recall, ts.F1 = prf(c.correct, c.pred, c.gold)
		r.Types = append(r.Types, ts)
		r.Gold += c.gold
		r.Predicted += c.pred
		r.Correct += c.correct
	}
	r.Precision, r.Recall, r.F1 = prf(r.Correct, r.Predicted, r.Gold)
	if r.Tokens > 0 {
		r.Accuracy = float64(right) / float64(r.Tokens)
	}
	return r, nil
}

// prf returns precision, recall and F1 from counts, 0 where a denominator is 0.
func prf(correct, predicted, gold int) (p, r, f float64) {
	if predicted > 0 {
		p = float64(correct) / float64(predicted)
	}
	if gold > 0 {
		r = float64(correct) / float64(gold)
	}
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return p, r, f
}

// Markdown returns the report as a Markdown table: one row per type, then the overall
// (micro-averaged) scores and the token accuracy.
func (r EntityReport) Markdown() string {
	var b strings.Builder
	b.WriteString("| type | precision | recall | F1 | gold | predicted |\n|:--|--:|--:|--:|--:|--:|\n")
	for _, t := range r.Types {
		fmt.Fprintf(&b, "| %s | %.3f | %.3f | %.3f | %d | %d |\n", t.Type, t.Precision, t.Recall, t.F1, t.Gold, t.Predicted)
	}
	fmt.Fprintf(&b, "| **overall** | %.3f | %.3f | %.3f | %d | %d |\n", r.Precision, r.Recall, r.F1, r.Gold, r.Predicted)
	fmt.Fprintf(&b, "| **token accuracy** | | | %.3f | %d | |\n", r.Accuracy, r.Tokens)
	return b.String()
}

// TagTypeConfusion returns the token-level confusion between entity types: labels are "O"
// followed by the sorted types of gold and predicted tags, and m[g][p] counts the tokens
// whose gold tag has type labels[g] and predicted tag type labels[p] (the B-/I- prefix
// dropped), in the layout of Confusion and plots.Confusion. pred and gold must match in
// shape; tags must be O, B-TYPE or I-TYPE.
func TagTypeConfusion(pred, gold [][]string) (labels []string, m [][]int, err error) {
	if len(pred) != len(gold) {
		return nil, nil, fmt.Errorf("metrics: %d predicted sentences for %d gold ones", len(pred), len(gold))
	}
	typeOf := func(tag string) (string, error) {
		p, t, err := splitTag(tag)
		if p == 'O' {
			return "O", err
		}
		return t, err
	}
	seen := map[string]bool{}
	var pairs [][2]string
	for s := range gold {
		if len(pred[s]) != len(gold[s]) {
			return nil, nil, fmt.Errorf("metrics: sentence %d has %d predicted tags for %d tokens", s, len(pred[s]), len(gold[s]))
		}
		for i := range gold[s] {
			g, err := typeOf(gold[s][i])
			if err != nil {
				return nil, nil, fmt.Errorf("metrics: gold sentence %d, token %d: %w", s, i, err)
			}
			p, err := typeOf(pred[s][i])
			if err != nil {
				return nil, nil, fmt.Errorf("metrics: predicted sentence %d, token %d: %w", s, i, err)
			}
			seen[g], seen[p] = true, true
			pairs = append(pairs, [2]string{g, p})
		}
	}
	delete(seen, "O")
	labels = []string{"O"}
	for t := range seen {
		labels = append(labels, t)
	}
	sort.Strings(labels[1:])
	index := make(map[string]int, len(labels))
	for i, l := range labels {
		index[l] = i
	}
	m = make([][]int, len(labels))
	for i := range m {
		m[i] = make([]int, len(labels))
	}
	for _, pr := range pairs {
		m[index[pr[0]]][index[pr[1]]]++
	}
	return labels, m, nil
}
