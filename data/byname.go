package data

import (
	"fmt"
	"strings"
)

// One table a kind of task: the names that LoadTextClassification, LoadTokenClassification
// and LoadIntentClassification accept, in the order their Names functions list them.
var (
	textClassifiers = func() []named[*TextClassification] {
		t := []named[*TextClassification]{
			{"sst2", LoadSST2}, {"mr", LoadMR}, {"subj", LoadSUBJ}, {"trec", LoadTREC}, {"trec-fine", LoadTRECFine},
			{"cola", LoadCoLA}, {"imdb2k", LoadIMDB2k}, {"movie_reviews", LoadMovieReviews}, {"spam", LoadSpamAssassin},
			{"ag_news", LoadAGNews}, {"nps_chat", LoadNPSChat}, {"rte", LoadRTE},
		}
		for _, d := range AmazonDomains() {
			t = append(t, named[*TextClassification]{"amazon/" + d, amazon(d)})
		}
		return append(t, named[*TextClassification]{"clinc150", intentsAsText(LoadCLINC150)},
			named[*TextClassification]{"banking77", intentsAsText(LoadBanking77)})
	}()
	tokenClassifiers = []named[*TokenClassification]{
		{"conll2003", LoadCoNLL2003}, {"conll2000", LoadCoNLL2000Chunking}, {"conll2000-pos", LoadCoNLL2000POS},
	}
	intentClassifiers = []named[*IntentClassification]{
		{"clinc150", LoadCLINC150}, {"banking77", LoadBanking77},
	}
	// tokenAliases are further names of token classification datasets.
	tokenAliases = map[string]string{"conll2000-chunking": "conll2000"}
)

// named is a dataset's name and loader.
type named[T any] struct {
	name string
	load func(*Store) (T, error)
}

// amazon returns the loader of one Amazon domain.
func amazon(domain string) func(*Store) (*TextClassification, error) {
	return func(s *Store) (*TextClassification, error) { return LoadAmazon(s, domain) }
}

// intentsAsText returns load with its result as a TextClassification.
func intentsAsText(load func(*Store) (*IntentClassification, error)) func(*Store) (*TextClassification, error) {
	return func(s *Store) (*TextClassification, error) {
		d, err := load(s)
		if err != nil {
			return nil, err
		}
		return d.TextClassification(), nil
	}
}

// names returns the names of table's datasets, in order.
func names[T any](table []named[T]) []string {
	out := make([]string, len(table))
	for i, n := range table {
		out[i] = n.name
	}
	return out
}

// lookup returns the table entry called name (case and surrounding spaces ignored, aliases
// resolved).
func lookup[T any](table []named[T], aliases map[string]string, name string) (named[T], bool) {
	key := strings.ToLower(strings.TrimSpace(name))
	if a, ok := aliases[key]; ok {
		key = a
	}
	for _, n := range table {
		if n.name == key {
			return n, true
		}
	}
	return named[T]{}, false
}

// loadByName loads the dataset called name (case and surrounding spaces ignored) from table.
func loadByName[T any](kind string, table []named[T], aliases map[string]string, s *Store, name string) (T, error) {
	if n, ok := lookup(table, aliases, name); ok {
		return n.load(s)
	}
	var zero T
	return zero, fmt.Errorf("unknown %s dataset %q; want one of %s", kind, name, strings.Join(names(table), ", "))
}

// TextClassificationNames lists the datasets LoadTextClassification knows: the sentence
// classification sets, the four Amazon domains as "amazon/DOMAIN", and the intent sets.
func TextClassificationNames() []string { return names(textClassifiers) }

// LoadTextClassification loads a text classification dataset by name (one of
// TextClassificationNames; the intent sets as TextClassification) from s (nil: DefaultStore).
func LoadTextClassification(s *Store, name string) (*TextClassification, error) {
	return loadByName("text classification", textClassifiers, nil, s, name)
}

// TokenClassificationNames lists the datasets LoadTokenClassification knows.
func TokenClassificationNames() []string { return names(tokenClassifiers) }

// LoadTokenClassification loads a token classification (tagging) dataset by name (one of
// TokenClassificationNames, or "conll2000-chunking" for "conll2000") from s (nil:
// DefaultStore).
func LoadTokenClassification(s *Store, name string) (*TokenClassification, error) {
	return loadByName("token classification", tokenClassifiers, tokenAliases, s, name)
}

// IsTokenClassification reports whether LoadTokenClassification knows name.
func IsTokenClassification(name string) bool {
	_, ok := lookup(tokenClassifiers, tokenAliases, name)
	return ok
}

// IntentClassificationNames lists the datasets LoadIntentClassification knows.
func IntentClassificationNames() []string { return names(intentClassifiers) }

// LoadIntentClassification loads an intent dataset by name (one of
// IntentClassificationNames) from s (nil: DefaultStore).
func LoadIntentClassification(s *Store, name string) (*IntentClassification, error) {
	return loadByName("intent", intentClassifiers, nil, s, name)
}
