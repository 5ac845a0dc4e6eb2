package multitask

import (
	"testing"

	"github.com/nlp-transfer/gotl/data"
)

// Each relation becomes an intent, each sentence its entity-marked words.
func TestRelationIntents(t *testing.T) {
	f := &data.FewRel{Name: "fewrel/toy", Relations: []data.FewRelation{
		{ID: "P177", Name: "crosses", Examples: []data.RelationExample{
			{ID: 1, Text: "The bridge crosses the Rhine.", E1: data.TextSpan{Start: 4, End: 10}, E2: data.TextSpan{Start: 23, End: 28}, Label: "P177"}}},
		{ID: "P1", Examples: []data.RelationExample{
			{ID: 1, Text: "Paris, France", E1: data.TextSpan{Start: 7, End: 13}, E2: data.TextSpan{Start: 0, End: 5}, Label: "P1"}}},
	}}
	ic, err := RelationIntents(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(ic.Intents) != 2 || ic.Intents[0] != "P1" || ic.Intents[1] != "P177 crosses" || len(ic.Train) != 2 {
		t.Fatalf("intents %q, %d examples", ic.Intents, len(ic.Train))
	}
	if want := "The @ bridge @ crosses the # Rhine # ."; ic.Train[0].Text != want || ic.Train[0].Intent != "P177 crosses" {
		t.Errorf("example 0: %+v, want text %q", ic.Train[0], want)
	}
	if want := "# Paris # , @ France @"; ic.Train[1].Text != want {
		t.Errorf("example 1: %q, want %q", ic.Train[1].Text, want)
	}
	f.Relations[0].Examples[0].E2 = data.TextSpan{Start: 5, End: 8} // overlaps the head
	if _, err := RelationIntents(f); err == nil {
		t.Error("overlapping entities: no error")
	}
	if _, err := RelationIntents(nil); err == nil {
		t.Error("nil set: no error")
	}
}
