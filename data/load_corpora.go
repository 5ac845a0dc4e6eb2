package data

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// LoadWikiText2 loads one split of WikiText-2 (Merity et al. 2016; tokenised, rare words
// replaced by "<unk>"): split is "valid" or "test" (the train split is not in the mirror).
// Each Document is one Wikipedia article (60 in each split), named by its title; its Text
// holds the article's non-blank lines, trimmed, headings (" = = Section = = ") included,
// one a line. s nil means DefaultStore().
func LoadWikiText2(s *Store, split string) (*Corpus, error) {
	return loadWikiText2(storePaths(s), split)
}

func loadWikiText2(paths pathFunc, split string) (*Corpus, error) {
	if split != "valid" && split != "test" {
		return nil, fmt.Errorf("loading wikitext2: unknown split %q, want \"valid\" or \"test\" (train is not in the mirror)", split)
	}
	name := "wikitext2/" + split + ".txt"
	b, err := readRegistryFile(paths, name)
	if err != nil {
		return nil, fmt.Errorf("loading wikitext2: %w", err)
	}
	text := strings.TrimPrefix(string(b), "\ufeff")
	if i := firstInvalidUTF8(text); i >= 0 {
		return nil, fmt.Errorf("loading wikitext2: %s:%d: invalid UTF-8", name, strings.Count(text[:i], "\n")+1)
	}
	c := &Corpus{Name: "wikitext2/" + split}
	var current *Document
	var lines []string
	flush := func() {
		if current != nil {
			current.Text = strings.Join(lines, "\n")
			c.Documents = append(c.Documents, *current)
		}
		lines = nil
	}
	raw := strings.Split(text, "\n")
	for i, line := range raw {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		// An article heading stands between blank lines; a formula line such as
		// " = 1 <unk> / s and ... = " does not.
		blankBefore := i == 0 || strings.TrimSpace(raw[i-1]) == ""
		blankAfter := i+1 < len(raw) && strings.TrimSpace(raw[i+1]) == ""
		if title, ok := wikiTitle(line); ok && blankBefore && blankAfter {
			flush()
			current = &Document{Name: title}
		} else if current == nil {
			current = &Document{}
		}
		lines = append(lines, line)
	}
	flush()
	return c, nil
}

// wikiTitle recognises an article heading "= Title =" (but not "= = Section = =").
func wikiTitle(line string) (string, bool) {
	if !strings.HasPrefix(line, "= ") || !strings.HasSuffix(line, " =") || strings.HasPrefix(line, "= =") || len(line) < 5 {
		return "", false
	}
	return strings.TrimSpace(line[2 : len(line)-2]), true
}

// LoadBrown loads the Brown corpus (Francis and Kučera 1964/1979; NLTK's tagged copy) as
// plain text: 500 documents named "ca01" ... "cr09", with Category from the corpus'
// categories (news, editorial, fiction, ...). A document's Text holds its sentences (57340
// in the corpus) one a line, words separated by spaces, tags removed. s nil means
// DefaultStore().
func LoadBrown(s *Store) (*Corpus, error) {
	docs, err := loadBrownDocuments(storePaths(s))
	if err != nil {
		return nil, err
	}
	c := &Corpus{Name: "brown"}
	for _, d := range docs {
		lines := make([]string, len(d.sentences))
		for i, s := range d.sentences {
			lines[i] = strings.Join(s.Tokens, " ")
		}
		c.Documents = append(c.Documents, Document{Name: d.name, Category: d.category, Text: strings.Join(lines, "\n")})
	}
	return c, nil
}

// LoadBrownTagged loads the Brown corpus' 57340 sentences (1161192 tokens) with their Brown
// part-of-speech tags, lower-case as in the corpus ("at", "nn-tl", "np$"), in document order,
// all in Train. s nil means DefaultStore().
func LoadBrownTagged(s *Store) (*TokenClassification, error) {
	docs, err := loadBrownDocuments(storePaths(s))
	if err != nil {
		return nil, err
	}
	d := &TokenClassification{Name: "brown"}
	for _, doc := range docs {
		d.Train = append(d.Train, doc.sentences...)
	}
	d.TagSet = tagSet(d.Train)
	return d, nil
}

type brownDocument struct {
	name, category string
	sentences      []TaggedSentence
}

func loadBrownDocuments(paths pathFunc) ([]brownDocument, error) {
	const zipName = "brown/brown.zip"
	files, err := zipFiles(paths, zipName, func(m string) bool { return strings.HasPrefix(m, "brown/") })
	if err != nil {
		return nil, fmt.Errorf("loading brown: %w", err)
	}
	categories := make(map[string]string)
	for _, line := range strings.Split(string(files["brown/cats.txt"]), "\n") {
		if f := strings.Fields(line); len(f) == 2 {
			categories[f[0]] = f[1]
		}
	}
	if len(categories) == 0 {
		return nil, fmt.Errorf("loading brown: %s has no brown/cats.txt listing the documents", zipName)
	}
	var docs []brownDocument
	for _, member := range sortedKeys(files) {
		doc := baseName(member)
		category, ok := categories[doc]
		if !ok {
			continue // README, CONTENTS, cats.txt
		}
		content := string(files[member])
		if !utf8.ValidString(content) {
			return nil, fmt.Errorf("loading brown: %s:%s is not UTF-8", zipName, member)
		}
		d := brownDocument{name: doc, category: category}
		for i, line := range strings.Split(content, "\n") {
			words := strings.Fields(line)
			if len(words) == 0 {
				continue
			}
			s := TaggedSentence{Tokens: make([]string, len(words)), Tags: make([]string, len(words))}
			for j, w := range words {
				k := strings.LastIndexByte(w, '/')
				if k <= 0 || k == len(w)-1 {
					return nil, fmt.Errorf("loading brown: %s:%s:%d: %q is not word/tag", zipName, member, i+1, w)
				}
				s.Tokens[j], s.Tags[j] = w[:k], w[k+1:]
			}
			d.sentences = append(d.sentences, s)
		}
		docs = append(docs, d)
	}
	if len(docs) != len(categories) {
		return nil, fmt.Errorf("loading brown: %s has %d of the %d documents brown/cats.txt lists", zipName, len(docs), len(categories))
	}
	return docs, nil
}

// LoadStateUnion loads NLTK's State of the Union corpus: 65 US presidential addresses
// from 1945 to 2006, each a Document named like "1945-Truman". The few Windows-1252 and
// Big5-punctuation bytes of the source are decoded to UTF-8. s nil means DefaultStore().
func LoadStateUnion(s *Store) (*Corpus, error) { return loadStateUnion(storePaths(s)) }

func loadStateUnion(paths pathFunc) (*Corpus, error) {
	files, err := zipFiles(paths, "state_union/state_union.zip", func(m string) bool {
		return strings.HasPrefix(m, "state_union/") && strings.HasSuffix(m, ".txt")
	})
	if err != nil {
		return nil, fmt.Errorf("loading state_union: %w", err)
	}
	c := &Corpus{Name: "state_union"}
	for _, member := range sortedKeys(files) {
		b := files[member]
		text := string(b)
		if !utf8.Valid(b) {
			text = toUTF8([]byte(big5Punctuation.Replace(text)))
		}
		c.Documents = append(c.Documents, Document{Name: strings.TrimSuffix(baseName(member), ".txt"), Text: trimLines(text)})
	}
	return c, nil
}

// austenNovels and gutenbergBooks are the registry files of the plain-text corpora.
var (
	austenNovels   = []string{"emma", "mansfieldpark", "northangerabbey", "persuasion", "prideprejudice", "sensesensibility"}
	gutenbergBooks = []string{"pg1400_great_expectations", "pg164_twenty_thousand_leagues_under_the_sea", "pg36_the_war_of_the_worlds"}
)

// LoadAusten loads Jane Austen's six completed novels (from the janeaustenr package), one
// Document each, named by file: emma, mansfieldpark, northangerabbey, persuasion,
// prideprejudice, sensesensibility. s nil means DefaultStore().
func LoadAusten(s *Store) (*Corpus, error) {
	return loadTextCorpus(storePaths(s), "austen", austenNovels)
}

// LoadGutenberg loads three public-domain Project Gutenberg books (from the tidytext
// package), one Document each: pg1400_great_expectations (Dickens),
// pg164_twenty_thousand_leagues_under_the_sea (Verne), pg36_the_war_of_the_worlds (Wells).
// s nil means DefaultStore().
func LoadGutenberg(s *Store) (*Corpus, error) {
	return loadTextCorpus(storePaths(s), "gutenberg", gutenbergBooks)
}

func loadTextCorpus(paths pathFunc, name string, docs []string) (*Corpus, error) {
	c := &Corpus{Name: name}
	for _, doc := range docs {
		file := name + "/" + doc + ".txt"
		b, err := readRegistryFile(paths, file)
		if err != nil {
			return nil, fmt.Errorf("loading %s: %w", name, err)
		}
		c.Documents = append(c.Documents, Document{Name: doc, Text: trimLines(toUTF8(b))})
	}
	return c, nil
}
