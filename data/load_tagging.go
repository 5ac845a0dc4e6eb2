package data

import (
	"bytes"
	"fmt"
	"strings"
)

// LoadCoNLL2003 loads the English CoNLL-2003 named entity recognition dataset (Tjong Kim
// Sang and De Meulder 2003) with BIO tags for PER, ORG, LOC and MISC: 14041 train, 3250 dev
// and 3453 test sentences ("-DOCSTART-" lines dropped). As in the source, a few entities
// start with an I- tag. s nil means DefaultStore().
func LoadCoNLL2003(s *Store) (*TokenClassification, error) { return loadCoNLL2003(storePaths(s)) }

func loadCoNLL2003(paths pathFunc) (*TokenClassification, error) {
	d := &TokenClassification{Name: "conll2003"}
	for _, split := range []struct {
		file string
		dst  *[]TaggedSentence
	}{{"train", &d.Train}, {"dev", &d.Dev}, {"test", &d.Test}} {
		name := "conll2003/" + split.file + ".txt"
		b, err := readRegistryFile(paths, name)
		if err != nil {
			return nil, fmt.Errorf("loading conll2003: %w", err)
		}
		rows, err := parseColumns(bytes.NewReader(b), name)
		if err != nil {
			return nil, fmt.Errorf("loading conll2003: %w", err)
		}
		*split.dst = columnsToSentences(rows, 0, -1)
	}
	d.TagSet = tagSet(d.Train, d.Dev, d.Test)
	return d, nil
}

// LoadCoNLL2000Chunking loads the CoNLL-2000 chunking dataset (Tjong Kim Sang and
// Buchholz 2000; WSJ sections 15–18 train, 20 test) with its BIO chunk tags (B-NP, I-VP, O,
// ...): 8936 train and 2012 test sentences. It has no dev split: call CarveDev. s nil
// means DefaultStore().
func LoadCoNLL2000Chunking(s *Store) (*TokenClassification, error) {
	return loadCoNLL2000(storePaths(s), 2)
}

// LoadCoNLL2000POS loads the same CoNLL-2000 sentences as LoadCoNLL2000Chunking, tagged
// with their Penn Treebank part-of-speech tags (NN, VBZ, ...) instead.
func LoadCoNLL2000POS(s *Store) (*TokenClassification, error) {
	return loadCoNLL2000(storePaths(s), 1)
}

func loadCoNLL2000(paths pathFunc, tagCol int) (*TokenClassification, error) {
	name := map[int]string{1: "conll2000-pos", 2: "conll2000-chunking"}[tagCol]
	const zipName = "conll2000/conll2000.zip"
	files, err := zipFiles(paths, zipName, func(m string) bool {
		return m == "conll2000/train.txt" || m == "conll2000/test.txt"
	})
	if err != nil {
		return nil, fmt.Errorf("loading %s: %w", name, err)
	}
	d := &TokenClassification{Name: name}
	for _, split := range []struct {
		file string
		dst  *[]TaggedSentence
	}{{"train", &d.Train}, {"test", &d.Test}} {
		member := "conll2000/" + split.file + ".txt"
		b, ok := files[member]
		if !ok {
			return nil, fmt.Errorf("loading %s: %s has no %s", name, zipName, member)
		}
		rows, err := parseColumns(bytes.NewReader(b), zipName+":"+member)
		if err != nil {
			return nil, fmt.Errorf("loading %s: %w", name, err)
		}
		if len(rows) > 0 && len(rows[0][0]) != 3 {
			return nil, fmt.Errorf("loading %s: %s has %d columns, want 3 (token POS CHUNK)", name, member, len(rows[0][0]))
		}
		*split.dst = columnsToSentences(rows, 0, tagCol)
	}
	d.TagSet = tagSet(d.Train, d.Test)
	return d, nil
}

// LoadMSRA loads the MSRA Chinese named entity recognition dataset (Levow 2006) at
// character level, with BIO tags for PER, ORG and LOC: each Token is one character. Only
// the validation (Dev, 3000 sentences) and test (Test, 3442 sentences) splits are in the
// mirror; Train is nil. s nil means DefaultStore().
func LoadMSRA(s *Store) (*TokenClassification, error) { return loadMSRA(storePaths(s)) }

func loadMSRA(paths pathFunc) (*TokenClassification, error) {
	d := &TokenClassification{Name: "msra"}
	for _, split := range []struct {
		dir string
		dst *[]TaggedSentence
	}{{"val", &d.Dev}, {"test", &d.Test}} {
		sentences, err := loadParallelTagFiles(paths, "msra/"+split.dir+"/sentences.txt", "msra/"+split.dir+"/tags.txt")
		if err != nil {
			return nil, fmt.Errorf("loading msra: %w", err)
		}
		*split.dst = sentences
	}
	d.TagSet = tagSet(d.Dev, d.Test)
	return d, nil
}

// loadParallelTagFiles reads a sentences file and a tags file with one space-separated
// sentence a line, line for line and token for token.
func loadParallelTagFiles(paths pathFunc, sentencesName, tagsName string) ([]TaggedSentence, error) {
	var lines [2][]string
	for i, name := range []string{sentencesName, tagsName} {
		b, err := readRegistryFile(paths, name)
		if err != nil {
			return nil, err
		}
		if j := firstInvalidUTF8(string(b)); j >= 0 {
			return nil, fmt.Errorf("%s:%d: invalid UTF-8 byte 0x%02X", name, bytes.Count(b[:j], []byte("\n"))+1, b[j])
		}
		lines[i] = strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	}
	if len(lines[0]) != len(lines[1]) {
		return nil, fmt.Errorf("%s has %d lines but %s has %d", sentencesName, len(lines[0]), tagsName, len(lines[1]))
	}
	out := make([]TaggedSentence, len(lines[0]))
	for i := range lines[0] {
		tokens := strings.Split(strings.TrimRight(lines[0][i], "\r"), " ")
		tags := strings.Split(strings.TrimRight(lines[1][i], "\r"), " ")
		if len(tokens) != len(tags) {
			return nil, fmt.Errorf("%s:%d: %d tokens but %s:%d has %d tags", sentencesName, i+1, len(tokens), tagsName, i+1, len(tags))
		}
		out[i] = TaggedSentence{Tokens: tokens, Tags: tags}
	}
	return out, nil
}
