package multitask

import (
	"fmt"
	"slices"
	"strings"

	"github.com/nlp-transfer/gotl/data"
)

// RelationIntents returns a FewRel set as an intent dataset for few-shot learning
// (meta.FromIntents, tlkit.MetaLearn): each relation an intent named "ID name" (e.g. "P177
// crosses"), each sentence its words with the head and tail entities marked as for relation
// classification (MarkEntities: E1Marker around the head, E2Marker around the tail), joined by
// spaces, all in Train. The set has no domains, so a meta-learning split is by relation.
func RelationIntents(f *data.FewRel) (*data.IntentClassification, error) {
	if f == nil || len(f.Relations) == 0 {
		return nil, fmt.Errorf("multitask: no FewRel relations to turn into intents")
	}
	out := &data.IntentClassification{Name: f.Name, Domains: map[string][]string{}}
	for _, r := range f.Relations {
		name := strings.TrimSpace(r.ID + " " + r.Name)
		out.Intents = append(out.Intents, name)
		for _, ex := range r.Examples {
			words, _, _, err := MarkEntities(ex)
			if err != nil {
				return nil, fmt.Errorf("multitask: %s relation %s: %w", f.Name, r.ID, err)
			}
			out.Train = append(out.Train, data.IntentExample{Text: strings.Join(words, " "), Intent: name})
		}
	}
	slices.Sort(out.Intents)
	return out, nil
}
