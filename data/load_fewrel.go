package data

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// FewRelSets are the FewRel files in the registry: FewRel 1.0's validation relations
// (val_wiki) and the three sets of FewRel 2.0's domain-shift study.
var FewRelSets = []string{"val_wiki", "val_semeval", "val_nyt", "val_pubmed"}

// FewRelation is one relation of a FewRel set and its sentences.
type FewRelation struct {
	// ID is the relation's key in the file (a Wikidata property such as "P177" in val_wiki);
	// Name and Description its pid2name entry ("" when it has none).
	ID, Name, Description string
	// Examples are its sentences as relation examples: the tokens joined by single spaces,
	// E1 the head entity's first mention, E2 the tail's, Label the relation's ID, ID the
	// sentence's number within the relation (from 1).
	Examples []RelationExample
}

// FewRel is a FewRel set: relations with their sentences, for N-way K-shot episodes.
type FewRel struct {
	// Name is "fewrel/" and the set ("fewrel/val_wiki").
	Name string
	// Relations are sorted by ID.
	Relations []FewRelation
}

// String is a one-line summary: "fewrel/val_wiki: 16 relations, 11200 sentences".
func (f *FewRel) String() string {
	n := 0
	for _, r := range f.Relations {
		n += len(r.Examples)
	}
	return fmt.Sprintf("%s: %d relations, %d sentences", f.Name, len(f.Relations), n)
}

// LoadFewRel loads one FewRel set (one of FewRelSets; Han et al. 2018, Gao et al. 2019) with
// the relations' names from pid2name.json. FewRel's own train split (64 relations) is not in
// the mirror, so meta-learning splits these relations between meta-training and meta-test
// itself. s nil means DefaultStore().
func LoadFewRel(s *Store, set string) (*FewRel, error) { return loadFewRel(storePaths(s), set) }

func loadFewRel(paths pathFunc, set string) (*FewRel, error) {
	if !slices.Contains(FewRelSets, set) {
		return nil, fmt.Errorf("loading fewrel: unknown set %q; want one of %s", set, strings.Join(FewRelSets, ", "))
	}
	name := "fewrel/" + set + ".json"
	raw, err := readRegistryFile(paths, name)
	if err != nil {
		return nil, fmt.Errorf("loading fewrel: %w", err)
	}
	rels, err := ParseFewRel(raw, name)
	if err != nil {
		return nil, fmt.Errorf("loading fewrel: %w", err)
	}
	rawNames, err := readRegistryFile(paths, "fewrel/pid2name.json")
	if err != nil {
		return nil, fmt.Errorf("loading fewrel: %w", err)
	}
	var names map[string][]string
	if err := json.Unmarshal(rawNames, &names); err != nil {
		return nil, fmt.Errorf("loading fewrel: fewrel/pid2name.json: want {\"P…\": [name, description]}: %w", err)
	}
	for i := range rels {
		if n := names[rels[i].ID]; len(n) == 2 {
			rels[i].Name, rels[i].Description = n[0], n[1]
		}
	}
	return &FewRel{Name: "fewrel/" + set, Relations: rels}, nil
}

// fewRelInstance is one sentence as FewRel writes it: tokens, and the head and tail entities
// as [name, id, [[token positions of each mention]]].
type fewRelInstance struct {
	Tokens []string          `json:"tokens"`
	H      []json.RawMessage `json:"h"`
	T      []json.RawMessage `json:"t"`
}

// ParseFewRel reads a FewRel file: {"RELATION": [{"tokens": [...], "h": [name, id, [[i, …]]],
// "t": […]}, …], …}. where names the file in errors. A mention must be contiguous token
// positions inside the sentence, and the head's first mention must not overlap the tail's;
// a sentence that breaks this or has no tokens is an error naming the relation and the
// sentence.
func ParseFewRel(content []byte, where string) ([]FewRelation, error) {
	var file map[string][]fewRelInstance
	dec := json.NewDecoder(bytes.NewReader(content))
	if err := dec.Decode(&file); err != nil {
		return nil, fmt.Errorf("%s: not a FewRel file ({\"relation\": [{\"tokens\", \"h\", \"t\"}, …]}): %w", where, err)
	}
	if len(file) == 0 {
		return nil, fmt.Errorf("%s: no relations", where)
	}
	var out []FewRelation
	for _, id := range sortedKeys(file) {
		rel := FewRelation{ID: id}
		if len(file[id]) == 0 {
			return nil, fmt.Errorf("%s: relation %s has no sentences", where, id)
		}
		for i, in := range file[id] {
			ex, err := fewRelExample(in, id, i+1)
			if err != nil {
				return nil, fmt.Errorf("%s: relation %s, sentence %d: %w", where, id, i+1, err)
			}
			rel.Examples = append(rel.Examples, ex)
		}
		out = append(out, rel)
	}
	return out, nil
}

// fewRelExample turns one FewRel sentence into a relation example (see FewRelation.Examples).
func fewRelExample(in fewRelInstance, label string, id int) (RelationExample, error) {
	if len(in.Tokens) == 0 {
		return RelationExample{}, fmt.Errorf("no tokens")
	}
	// Tokens that are only white space (val_wiki has a few) are left out of the text.
	starts, ends := make([]int, len(in.Tokens)), make([]int, len(in.Tokens))
	var b strings.Builder
	for i, tok := range in.Tokens {
		if strings.TrimSpace(tok) != "" && b.Len() > 0 {
			b.WriteByte(' ')
		}
		starts[i] = b.Len()
		b.WriteString(strings.TrimSpace(tok))
		ends[i] = b.Len()
	}
	text := b.String()
	if text == "" {
		return RelationExample{}, fmt.Errorf("no tokens")
	}
	span := func(ent []json.RawMessage, which string) (TextSpan, error) {
		var mentions [][]int
		if len(ent) != 3 || json.Unmarshal(ent[2], &mentions) != nil || len(mentions) == 0 || len(mentions[0]) == 0 {
			return TextSpan{}, fmt.Errorf("%s entity: want [name, id, [[token positions], …]]", which)
		}
		m := mentions[0]
		for k, p := range m {
			if p < 0 || p >= len(in.Tokens) || (k > 0 && p != m[k-1]+1) {
				return TextSpan{}, fmt.Errorf("%s entity: positions %v are not contiguous tokens of the %d", which, m, len(in.Tokens))
			}
		}
		sp := TextSpan{Start: starts[m[0]], End: ends[m[len(m)-1]]}
		if sp.End <= sp.Start {
			return TextSpan{}, fmt.Errorf("%s entity: positions %v hold only white space", which, m)
		}
		return sp, nil
	}
	e1, err := span(in.H, "head")
	if err != nil {
		return RelationExample{}, err
	}
	e2, err := span(in.T, "tail")
	if err != nil {
		return RelationExample{}, err
	}
	if e1.Start < e2.End && e2.Start < e1.End {
		return RelationExample{}, fmt.Errorf("the head %q and the tail %q overlap", text[e1.Start:e1.End], text[e2.Start:e2.End])
	}
	return RelationExample{ID: id, Text: text, E1: e1, E2: e2, Label: label}, nil
}
