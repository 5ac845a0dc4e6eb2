package data

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
)

// LoadCLINC150 loads CLINC150 (Larson et al. 2019, the "full" variant): 150 intents in 10
// domains, 15000 train, 3000 dev (the source's "val") and 4500 test in-scope queries, plus
// 100/100/1000 out-of-scope queries (intent "oos") kept apart in OOSTrain, OOSDev and
// OOSTest. s nil means DefaultStore().
func LoadCLINC150(s *Store) (*IntentClassification, error) { return loadCLINC150(storePaths(s)) }

func loadCLINC150(paths pathFunc) (*IntentClassification, error) {
	var full map[string][][2]string
	if err := readJSON(paths, "clinc150/data_full.json", &full); err != nil {
		return nil, fmt.Errorf("loading clinc150: %w", err)
	}
	var domains map[string][]string
	if err := readJSON(paths, "clinc150/domains.json", &domains); err != nil {
		return nil, fmt.Errorf("loading clinc150: %w", err)
	}
	d := &IntentClassification{Name: "clinc150", Domains: make(map[string][]string)}
	domainOf := make(map[string]string)
	for domain, intents := range domains {
		intents = slices.Clone(intents)
		sort.Strings(intents)
		d.Domains[domain] = intents
		for _, intent := range intents {
			domainOf[intent] = domain
			d.Intents = append(d.Intents, intent)
		}
	}
	sort.Strings(d.Intents)
	for _, split := range []struct {
		key      string
		dst      *[]IntentExample
		outScope bool
	}{
		{"train", &d.Train, false}, {"val", &d.Dev, false}, {"test", &d.Test, false},
		{"oos_train", &d.OOSTrain, true}, {"oos_val", &d.OOSDev, true}, {"oos_test", &d.OOSTest, true},
	} {
		pairs, ok := full[split.key]
		if !ok {
			return nil, fmt.Errorf("loading clinc150: clinc150/data_full.json has no %q split", split.key)
		}
		examples := make([]IntentExample, len(pairs))
		for i, p := range pairs {
			domain, known := domainOf[p[1]]
			if split.outScope != (p[1] == "oos") || (!split.outScope && !known) {
				return nil, fmt.Errorf("loading clinc150: %s example %d has intent %q, not in clinc150/domains.json", split.key, i+1, p[1])
			}
			examples[i] = IntentExample{Text: p[0], Intent: p[1], Domain: domain}
		}
		*split.dst = examples
	}
	return d, nil
}

// LoadBanking77 loads Banking77 (Casanueva et al. 2020): 77 fine-grained intents of one
// domain ("banking"), 10003 train and 3080 test customer queries. It has no dev split: call
// CarveDev. s nil means DefaultStore().
func LoadBanking77(s *Store) (*IntentClassification, error) { return loadBanking77(storePaths(s)) }

func loadBanking77(paths pathFunc) (*IntentClassification, error) {
	var categories []string
	if err := readJSON(paths, "banking77/categories.json", &categories); err != nil {
		return nil, fmt.Errorf("loading banking77: %w", err)
	}
	intents := slices.Clone(categories)
	sort.Strings(intents)
	d := &IntentClassification{Name: "banking77", Intents: intents,
		Domains: map[string][]string{"banking": slices.Clone(intents)}}
	for _, split := range []struct {
		file string
		dst  *[]IntentExample
	}{{"banking77/train.csv", &d.Train}, {"banking77/test.csv", &d.Test}} {
		b, err := readRegistryFile(paths, split.file)
		if err != nil {
			return nil, fmt.Errorf("loading banking77: %w", err)
		}
		rows, lines, err := readCSV(b, split.file)
		if err != nil {
			return nil, fmt.Errorf("loading banking77: %w", err)
		}
		texts, err := pickColumns(rows, lines, TextFileFormat{LabelColumn: "category", TextColumn: "text"}, split.file)
		if err != nil {
			return nil, fmt.Errorf("loading banking77: %w", err)
		}
		examples := make([]IntentExample, len(texts))
		for i, t := range texts {
			if _, found := slices.BinarySearch(intents, t.Label); !found {
				return nil, fmt.Errorf("loading banking77: %s:%d: category %q is not in banking77/categories.json", split.file, lines[i+1], t.Label)
			}
			examples[i] = IntentExample{Text: t.Text, Intent: t.Label, Domain: "banking"}
		}
		*split.dst = examples
	}
	return d, nil
}

// readJSON decodes the registry JSON file name into v.
func readJSON(paths pathFunc, name string, v any) error {
	b, err := readRegistryFile(paths, name)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("decoding %s: %w", name, err)
	}
	return nil
}
