package data

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
)

// RTELabels are the labels LoadRTE gives, as GLUE names them.
var RTELabels = []string{"not_entailment", "entailment"}

// LoadRTE loads the Recognising Textual Entailment challenges 1–3 (Dagan et al. 2006; Bar-Haim
// et al. 2006; Giampiccolo et al. 2007; NLTK's rte): pairs of a text (Example.Text) and a
// hypothesis (Example.TextB), labelled entailment (1) when a reader of the text would infer
// the hypothesis, else not_entailment (0). Test is the RTE-3 test set (800 pairs); the RTE-1
// and RTE-2 dev and test sets and the RTE-3 dev set (3367 pairs, less any that repeat a test
// pair) are split 90/10, stratified, with DefaultSeed, into Train and Dev. GLUE's RTE task
// draws on the same challenges (and RTE-5), with other splits, so its numbers are a reference,
// not a comparison. s nil means DefaultStore().
func LoadRTE(s *Store) (*TextClassification, error) { return loadRTE(storePaths(s)) }

func loadRTE(paths pathFunc) (*TextClassification, error) {
	const zipName = "rte/rte.zip"
	files, err := zipFiles(paths, zipName, func(m string) bool {
		return strings.HasPrefix(m, "rte/rte") && strings.HasSuffix(m, ".xml")
	})
	if err != nil {
		return nil, fmt.Errorf("loading rte: %w", err)
	}
	read := func(file string) ([]Example, error) {
		member := "rte/" + file + ".xml"
		b, ok := files[member]
		if !ok {
			return nil, fmt.Errorf("loading rte: %s has no %s; check the file against the registry's sha256", zipName, member)
		}
		ex, err := parseRTE(b, zipName+":"+member)
		if err != nil {
			return nil, fmt.Errorf("loading rte: %w", err)
		}
		return ex, nil
	}
	d := &TextClassification{Name: "rte", Labels: RTELabels}
	if d.Test, err = read("rte3_test"); err != nil {
		return nil, err
	}
	inTest := map[[2]string]bool{}
	for _, ex := range d.Test {
		inTest[[2]string{ex.Text, ex.TextB}] = true
	}
	seen := map[[2]string]bool{}
	for _, file := range []string{"rte1_dev", "rte1_test", "rte2_dev", "rte2_test", "rte3_dev"} {
		ex, err := read(file)
		if err != nil {
			return nil, err
		}
		for _, e := range ex {
			key := [2]string{e.Text, e.TextB}
			if inTest[key] || seen[key] {
				continue
			}
			seen[key] = true
			d.Train = append(d.Train, e)
		}
	}
	if err := d.CarveDev(0.1, DefaultSeed); err != nil {
		return nil, fmt.Errorf("loading rte: %w", err)
	}
	return d, nil
}

// parseRTE reads the pairs of one RTE challenge file: <pair value="TRUE|FALSE"> (RTE-1) or
// <pair entailment="YES|NO"> (RTE-2, 3), each with a <t> text and an <h> hypothesis. where
// names the file in errors.
func parseRTE(content []byte, where string) ([]Example, error) {
	var corpus struct {
		Pairs []struct {
			ID         string `xml:"id,attr"`
			Value      string `xml:"value,attr"`
			Entailment string `xml:"entailment,attr"`
			T          string `xml:"t"`
			H          string `xml:"h"`
		} `xml:"pair"`
	}
	dec := xml.NewDecoder(bytes.NewReader(content))
	dec.Strict = true
	if err := dec.Decode(&corpus); err != nil {
		return nil, fmt.Errorf("%s: not an RTE file (XML with <entailment-corpus><pair>): %w", where, err)
	}
	if len(corpus.Pairs) == 0 {
		return nil, fmt.Errorf("%s: no <pair> elements", where)
	}
	out := make([]Example, len(corpus.Pairs))
	for i, p := range corpus.Pairs {
		var label int
		switch strings.ToUpper(p.Value + p.Entailment) {
		case "TRUE", "YES":
			label = 1
		case "FALSE", "NO":
			label = 0
		default:
			return nil, fmt.Errorf("%s: pair %q has value %q / entailment %q, want TRUE|FALSE or YES|NO", where, p.ID, p.Value, p.Entailment)
		}
		t, h := strings.Join(strings.Fields(p.T), " "), strings.Join(strings.Fields(p.H), " ")
		if t == "" || h == "" {
			return nil, fmt.Errorf("%s: pair %q has an empty text or hypothesis", where, p.ID)
		}
		out[i] = Example{Text: t, TextB: h, Label: label}
	}
	return out, nil
}
