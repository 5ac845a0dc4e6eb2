package metrics

import (
	"fmt"
	"sort"
	"strings"

	"github.com/nlp-transfer/gotl/data"
)

// RelationScore is one relation's precision, recall and F1 (fractions) under SemEval-2010
// Task 8's official evaluation, and the counts behind them.
type RelationScore struct {
	// Relation is the relation's name without direction, e.g. "Cause-Effect".
	Relation string
	// Correct counts the examples of this relation predicted with the right relation and
	// direction; Proposed the predictions of this relation, wrong direction excluded;
	// WrongDirection the examples of this relation predicted with the right relation in the
	// wrong direction (counted against precision too); Gold the examples of this relation.
	Correct, Proposed, WrongDirection, Gold int
	Precision, Recall, F1                   float64
}

// RelationScores is SemEval-2010 Task 8's official evaluation: "(9+1)-way classification with
// directionality taken into account".
type RelationScores struct {
	// MacroF1 is the official score: the mean F1 over the relations of the gold labels
	// except Other. MacroPrecision and MacroRecall are the means of the other two.
	MacroF1, MacroPrecision, MacroRecall float64
	// MicroF1 pools the counts of those relations.
	MicroF1 float64
	// Accuracy is the share of examples whose label (relation and direction) is right.
	Accuracy float64
	// Relations holds each relation of the gold labels, sorted by name, Other included.
	Relations []RelationScore
}

// SemEvalRelations scores predicted labels against gold ones as the task's official Perl
// scorer (semeval2010_task8_scorer-v1.2.pl) does for its official score: each label is Other or
// a directed relation ("Cause-Effect(e2,e1)"); a prediction with the right relation and the
// wrong direction is wrong, and counts against the relation's precision; P, R and F1 are
// computed per relation of the gold labels and macro-averaged over all but Other. pred and
// gold are aligned; a label in neither form is an error.
func SemEvalRelations(pred, gold []string) (RelationScores, error) {
	if len(pred) != len(gold) {
		return RelationScores{}, fmt.Errorf("%d predictions for %d gold labels", len(pred), len(gold))
	}
	if len(gold) == 0 {
		return RelationScores{}, fmt.Errorf("no examples to score")
	}
	type counts struct{ correct, proposed, wrongDir, gold int }
	by := make(map[string]*counts)
	get := func(rel string) *counts {
		c := by[rel]
		if c == nil {
			c = &counts{}
			by[rel] = c
		}
		return c
	}
	exact := 0
	for i := range gold {
		g, _, err := data.SplitRelationLabel(gold[i])
		if err != nil {
			return RelationScores{}, fmt.Errorf("gold label %d: %w", i, err)
		}
		p, _, err := data.SplitRelationLabel(pred[i])
		if err != nil {
			return RelationScores{}, fmt.Errorf("prediction %d: %w", i, err)
		}
		get(g).gold++
		switch {
		case pred[i] == gold[i]:
			exact++
			get(g).correct++
			get(p).proposed++
		case p == g: // Right relation, wrong direction.
			get(g).wrongDir++
		default:
			get(p).proposed++
		}
	}
	var out RelationScores
	out.Accuracy = float64(exact) / float64(len(gold))
	var relations []string
	for rel, c := range by {
		if c.gold > 0 {
			relations = append(relations, rel)
		}
	}
	sort.Strings(relations)
	var microCorrect, microProposed, microGold, n int
	for _, rel := range relations {
		c := by[rel]
		s := RelationScore{Relation: rel, Correct: c.correct, Proposed: c.proposed, WrongDirection: c.wrongDir, Gold: c.gold}
		if c.proposed > 0 { // As the Perl scorer: no prediction of the relation gives P = 0.
			s.Precision = float64(c.correct) / float64(c.proposed+c.wrongDir)
		}
		s.Recall = float64(c.correct) / float64(c.gold)
		if s.Precision+s.Recall > 0 {
			s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
		}
		out.Relations = append(out.Relations, s)
		if rel == data.OtherRelation {
			continue
		}
		n++
		out.MacroPrecision += s.Precision
		out.MacroRecall += s.Recall
		out.MacroF1 += s.F1
		microCorrect += c.correct
		microProposed += c.proposed + c.wrongDir
		microGold += c.gold
	}
	if n > 0 {
		out.MacroPrecision /= float64(n)
		out.MacroRecall /= float64(n)
		out.MacroF1 /= float64(n)
	}
	var microP, microR float64
	if microProposed > 0 {
		microP = float64(microCorrect) / float64(microProposed)
	}
	if microGold > 0 {
		microR = float64(microCorrect) / float64(microGold)
	}
	if microP+microR > 0 {
		out.MicroF1 = 2 * microP * microR / (microP + microR)
	}
	return out, nil
}

// Markdown renders the per-relation table and the averages, in percent.
func (s RelationScores) Markdown() string {
	var b strings.Builder
	b.WriteString("| relation | P | R | F1 | correct | proposed (+ wrong direction) | gold |\n|---|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range s.Relations {
		fmt.Fprintf(&b, "| %s | %.2f | %.2f | %.2f | %d | %d (+%d) | %d |\n", mdEscape(r.Relation),
			100*r.Precision, 100*r.Recall, 100*r.F1, r.Correct, r.Proposed, r.WrongDirection, r.Gold)
	}
	fmt.Fprintf(&b, "| **macro avg** (official, Other excluded) | %.2f | %.2f | **%.2f** | | | |\n",
		100*s.MacroPrecision, 100*s.MacroRecall, 100*s.MacroF1)
	fmt.Fprintf(&b, "| **micro avg** (Other excluded) | | | %.2f | | | |\n", 100*s.MicroF1)
	return b.String()
}
