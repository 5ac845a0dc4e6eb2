package multitask

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/internal/atomicfile"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/metrics"
	"github.com/nlp-transfer/gotl/tlkit/qa"
)

// Entity markers: the words put before and after each nominal of a relation example (the
// "entity marker (punct)" input of Zhou and Chen 2021: punctuation every vocabulary has, so
// that no new embedding is needed). The relation head reads the states of the two opening
// markers.
const (
	E1Marker = "@"
	E2Marker = "#"
)

// RelationTask returns the task of classifying the relation between the two marked nominals
// of d's sentences (SemEval-2010 Task 8's format), scored by the task's official macro-F1
// (metrics.SemEvalRelations).
func RelationTask(d *data.RelationClassification) Task { return Task{Name: d.Name, Relations: d} }

// Relations fine-tunes enc as a relation classifier on d: Run with the one task
// RelationTask(d). The result's only task holds the dev curve (official macro-F1), the test
// scores (TaskResult.Relations, per relation as the official scorer prints them) and the test
// predictions (TestLabels, for WriteRelationPredictions).
func Relations(enc encoder.Encoder, d *data.RelationClassification, opts Options) (*Result, error) {
	if d == nil || len(d.Train) == 0 {
		return nil, fmt.Errorf("multitask.Relations: the dataset has no training examples")
	}
	return Run(enc, []Task{RelationTask(d)}, opts)
}

// MarkEntities splits ex's text into words (qa.SplitWords: white space, each punctuation mark
// apart) with E1Marker before and after e1 and E2Marker around e2, and returns the words and
// the indices of the two opening markers. Nominals need not fall on word boundaries: the
// markers split the words they cut.
func MarkEntities(ex data.RelationExample) (words []string, e1, e2 int, err error) {
	text := ex.Text
	for _, sp := range []data.TextSpan{ex.E1, ex.E2} {
		if sp.Start < 0 || sp.End <= sp.Start || sp.End > len(text) {
			return nil, 0, 0, fmt.Errorf("example %d: nominal span [%d, %d) outside its %d-byte text", ex.ID, sp.Start, sp.End, len(text))
		}
	}
	if ex.E1.Start < ex.E2.End && ex.E2.Start < ex.E1.End {
		return nil, 0, 0, fmt.Errorf("example %d: the nominals overlap", ex.ID)
	}
	type cut struct {
		at     int
		marker string
		open   int // 1 or 2 for an opening marker, else 0.
	}
	cuts := []cut{{ex.E1.Start, E1Marker, 1}, {ex.E1.End, E1Marker, 0}, {ex.E2.Start, E2Marker, 2}, {ex.E2.End, E2Marker, 0}}
	// In text order; at one position a closing marker comes before an opening one.
	slices.SortStableFunc(cuts, func(a, b cut) int {
		if a.at != b.at {
			return a.at - b.at
		}
		return a.open - b.open
	})
	var b strings.Builder
	prev := 0
	openAt := [3]int{}
	for _, c := range cuts {
		b.WriteString(text[prev:c.at])
		b.WriteString(" ")
		if c.open > 0 {
			openAt[c.open] = b.Len()
		}
		b.WriteString(c.marker)
		b.WriteString(" ")
		prev = c.at
	}
	b.WriteString(text[prev:])
	marked := b.String()
	e1, e2 = -1, -1
	for i, sp := range qa.SplitWords(marked) {
		words = append(words, marked[sp.Start:sp.End])
		switch sp.Start {
		case openAt[1]:
			e1 = i
		case openAt[2]:
			e2 = i
		}
	}
	if e1 < 0 || e2 < 0 {
		return nil, 0, 0, fmt.Errorf("example %d: lost an entity marker splitting %q", ex.ID, marked)
	}
	return words, e1, e2, nil
}

// prepareRelations carves dev where missing and tokenizes the marked sentences. A training
// example whose markers fall past MaxTokens is dropped; a dev or test one is predicted Other.
func (p *prepared) prepareRelations(wt *encoder.WordTokenizer, seed uint64) error {
	d := *p.Relations
	if len(d.Train) == 0 || len(d.Labels) < 2 {
		return fmt.Errorf("%d training examples and %d labels; need examples and at least 2 labels", len(d.Train), len(d.Labels))
	}
	if len(d.Dev) == 0 {
		if err := d.CarveDev(devFraction, seed); err != nil {
			return err
		}
	}
	p.Relations = &d
	p.labels = slices.Clone(d.Labels)
	index := make(map[string]int, len(p.labels))
	for i, l := range p.labels {
		if _, _, err := data.SplitRelationLabel(l); err != nil {
			return err
		}
		index[l] = i
	}
	p.other = -1
	if i, ok := index[data.OtherRelation]; ok {
		p.other = i
	}
	for _, split := range []struct {
		name  string
		src   []data.RelationExample
		dst   *[]example
		train bool
	}{{"train", d.Train, &p.train, true}, {"dev", d.Dev, &p.dev, false}, {"test", d.Test, &p.test, false}} {
		*split.dst = make([]example, 0, len(split.src))
		for _, ex := range split.src {
			words, e1, e2, err := MarkEntities(ex)
			if err != nil {
				return fmt.Errorf("%s: %w", split.name, err)
			}
			tok, err := wt.Tokenize(words)
			if err != nil {
				return fmt.Errorf("%s example %d: %w", split.name, ex.ID, err)
			}
			out := example{ids: tok.IDs, label: index[ex.Label], e1: tok.First[e1], e2: tok.First[e2]}
			if split.train && (out.e1 < 0 || out.e2 < 0) {
				continue
			}
			*split.dst = append(*split.dst, out)
		}
	}
	if len(p.train) == 0 {
		return errors.New("no training example has both entity markers within MaxTokens")
	}
	return nil
}

// relationLabels turns predicted label indices into labels.
func (p *prepared) relationLabels(pred [][]int) []string {
	out := make([]string, len(pred))
	for i, c := range pred {
		out[i] = p.labels[c[0]]
	}
	return out
}

// scoreRelations returns the official scores of predicted label indices against exs'.
func (p *prepared) scoreRelations(pred [][]int, exs []example) (metrics.RelationScores, error) {
	gold := make([]string, len(exs))
	for i, ex := range exs {
		gold[i] = p.labels[ex.label]
	}
	return metrics.SemEvalRelations(p.relationLabels(pred), gold)
}

// WriteRelationPredictions writes predicted labels as the official scorer reads them, one
// "ID<TAB>LABEL" line an example (a relation TaskResult's TestLabels for the test examples),
// atomically.
func WriteRelationPredictions(path string, examples []data.RelationExample, labels []string) error {
	if len(labels) != len(examples) {
		return fmt.Errorf("writing predictions to %s: %d labels for %d examples", path, len(labels), len(examples))
	}
	var b strings.Builder
	for i, ex := range examples {
		fmt.Fprintf(&b, "%d\t%s\n", ex.ID, labels[i])
	}
	if err := atomicfile.WriteFile(path, []byte(b.String())); err != nil {
		return fmt.Errorf("writing predictions: %w", err)
	}
	return nil
}
