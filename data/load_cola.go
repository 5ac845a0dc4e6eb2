package data

import (
	"fmt"
	"strings"
)

// LoadCoLA loads CoLA, the Corpus of Linguistic Acceptability (Warstadt et al. 2019; the
// raw, untokenised sentences), labels unacceptable (0) and acceptable (1): 8551 train and 527
// in-domain dev sentences in Train and Dev; Test holds the 516 out-of-domain dev sentences
// (sentences from other books than the training ones; the official test labels are not
// public). s nil means DefaultStore().
func LoadCoLA(s *Store) (*TextClassification, error) { return loadCoLA(storePaths(s)) }

func loadCoLA(paths pathFunc) (*TextClassification, error) {
	const zipName = "cola/cola_public.zip"
	files, err := zipFiles(paths, zipName, func(m string) bool {
		return strings.HasPrefix(m, "cola_public/raw/") && strings.HasSuffix(m, ".tsv")
	})
	if err != nil {
		return nil, fmt.Errorf("loading cola: %w", err)
	}
	d := &TextClassification{Name: "cola", Labels: []string{"unacceptable", "acceptable"}}
	for _, split := range []struct {
		file string
		dst  *[]Example
	}{{"in_domain_train", &d.Train}, {"in_domain_dev", &d.Dev}, {"out_of_domain_dev", &d.Test}} {
		member := "cola_public/raw/" + split.file + ".tsv"
		b, ok := files[member]
		if !ok {
			return nil, fmt.Errorf("loading cola: %s has no %s", zipName, member)
		}
		where := zipName + ":" + member
		rows, lines, err := readTSV(b, where)
		if err != nil {
			return nil, fmt.Errorf("loading cola: %w", err)
		}
		examples := make([]Example, len(rows))
		for i, row := range rows {
			// Columns: source, label, the original author's mark ("*"), sentence.
			if len(row) != 4 || (row[1] != "0" && row[1] != "1") {
				return nil, fmt.Errorf("loading cola: %s:%d: want `source<tab>0|1<tab>mark<tab>sentence`, got %q", where, lines[i], row)
			}
			examples[i] = Example{Text: strings.TrimSpace(row[3]), Label: int(row[1][0] - '0')}
		}
		*split.dst = examples
	}
	return d, nil
}
