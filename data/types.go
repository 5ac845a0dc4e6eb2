package data

import (
	"fmt"
	"sort"
)

// Example is one labelled text, or one labelled pair of texts: Label indexes the dataset's
// Labels.
type Example struct {
	Text string
	// TextB is the second text of a sentence-pair task (RTE's hypothesis, Text being the
	// premise); "" in single-text tasks.
	TextB string
	Label int
}

// TextClassification is a text classification dataset: texts with one label each, in
// train, dev and test splits. A split that the source does not provide is nil; CarveDev
// makes a dev split from Train.
type TextClassification struct {
	// Name of the dataset, e.g. "sst2" or "amazon/books".
	Name string

	// Labels names the classes: Example.Label indexes it.
	Labels []string

	Train, Dev, Test []Example
}

// Counts returns the number of examples in each split.
func (d *TextClassification) Counts() (train, dev, test int) {
	return len(d.Train), len(d.Dev), len(d.Test)
}

// LabelCounts returns how many examples of split (e.g. d.Train) carry each label, indexed
// like d.Labels.
func (d *TextClassification) LabelCounts(split []Example) []int {
	counts := make([]int, len(d.Labels))
	for _, ex := range split {
		if ex.Label >= 0 && ex.Label < len(counts) {
			counts[ex.Label]++
		}
	}
	return counts
}

// Texts returns the texts of split, in order (the function Texts, as a method).
func (d *TextClassification) Texts(split []Example) []string { return Texts(split) }

// Texts returns the texts of examples, in order.
func Texts(examples []Example) []string {
	texts := make([]string, len(examples))
	for i, ex := range examples {
		texts[i] = ex.Text
	}
	return texts
}

// TextsB returns the second texts (TextB) of examples, in order.
func TextsB(examples []Example) []string {
	texts := make([]string, len(examples))
	for i, ex := range examples {
		texts[i] = ex.TextB
	}
	return texts
}

// IsPairs reports whether d is a sentence-pair task: some example has a TextB.
func (d *TextClassification) IsPairs() bool {
	for _, split := range [][]Example{d.Train, d.Dev, d.Test} {
		for _, ex := range split {
			if ex.TextB != "" {
				return true
			}
		}
	}
	return false
}

// CheckPairs returns an error naming the first example of a sentence-pair task (IsPairs)
// that lacks its second text; nil for single-text tasks and complete pair tasks.
func (d *TextClassification) CheckPairs() error {
	if !d.IsPairs() {
		return nil
	}
	for _, s := range []struct {
		name     string
		examples []Example
	}{{"train", d.Train}, {"dev", d.Dev}, {"test", d.Test}} {
		for i, ex := range s.examples {
			if ex.TextB == "" {
				return fmt.Errorf("%s is a sentence-pair task, but %s example %d (%.40q) has no second text", d.Name, s.name, i, ex.Text)
			}
		}
	}
	return nil
}

// All returns Train, Dev and Test concatenated, in that order.
func (d *TextClassification) All() []Example {
	all := make([]Example, 0, len(d.Train)+len(d.Dev)+len(d.Test))
	all = append(all, d.Train...)
	all = append(all, d.Dev...)
	return append(all, d.Test...)
}

// String summarises the dataset in one line, e.g.
// "sst2: 2 labels [negative positive]; train 6920, dev 872, test 1821".
func (d *TextClassification) String() string {
	labels := fmt.Sprint(d.Labels)
	if len(d.Labels) > 10 {
		labels = fmt.Sprint(d.Labels[:10])
		labels = labels[:len(labels)-1] + " ...]"
	}
	return fmt.Sprintf("%s: %d labels %s; train %d, dev %d, test %d",
		d.Name, len(d.Labels), labels, len(d.Train), len(d.Dev), len(d.Test))
}

// Resplit pools all examples (Train, Dev, Test) and splits them again into train, dev and
// test with the given fractions (which must sum to 1), stratified by label, with
// StratifiedSplit and seed. The pooled examples are first sorted by label and text, so the
// result depends only on the set of examples and the seed, not on their current order or
// split: the same seed always gives the same split.
func (d *TextClassification) Resplit(seed uint64, train, dev, test float64) error {
	all := d.All()
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].Label != all[j].Label {
			return all[i].Label < all[j].Label
		}
		if all[i].Text != all[j].Text {
			return all[i].Text < all[j].Text
		}
		return all[i].TextB < all[j].TextB
	})
	parts, err := StratifiedSplit(Labels(all), seed, train, dev, test)
	if err != nil {
		return fmt.Errorf("resplitting %s: %w", d.Name, err)
	}
	d.Train, d.Dev, d.Test = pick(all, parts[0]), pick(all, parts[1]), pick(all, parts[2])
	return nil
}

// CarveDev moves a fraction of Train (stratified by label, chosen with seed) into Dev.
// It is for datasets published with only train and test splits (trec, banking77); it fails
// if Dev is not empty.
func (d *TextClassification) CarveDev(fraction float64, seed uint64) error {
	if len(d.Dev) > 0 {
		return fmt.Errorf("carving a dev split from %s: it already has %d dev examples", d.Name, len(d.Dev))
	}
	parts, err := StratifiedSplit(Labels(d.Train), seed, 1-fraction, fraction)
	if err != nil {
		return fmt.Errorf("carving a dev split from %s: %w", d.Name, err)
	}
	d.Train, d.Dev = pick(d.Train, parts[0]), pick(d.Train, parts[1])
	return nil
}

// Labels returns the labels of examples, in order.
func Labels(examples []Example) []int {
	labels := make([]int, len(examples))
	for i, ex := range examples {
		labels[i] = ex.Label
	}
	return labels
}

// pick returns items[i] for each i in indices, in that order.
func pick[T any](items []T, indices []int) []T {
	out := make([]T, len(indices))
	for j, i := range indices {
		out[j] = items[i]
	}
	return out
}

// TaggedSentence is a sentence split into tokens, with one tag per token (a BIO entity tag,
// a part-of-speech tag, a chunk tag...).
type TaggedSentence struct {
	Tokens []string
	Tags   []string
}

// TokenClassification is a token classification (tagging) dataset such as named entity
// recognition or chunking. A split that the source does not provide is nil.
type TokenClassification struct {
	// Name of the dataset, e.g. "conll2003".
	Name string

	// TagSet lists every tag that occurs in any split, sorted, with "O" first when present.
	TagSet []string

	Train, Dev, Test []TaggedSentence
}

// Counts returns the number of sentences in each split.
func (d *TokenClassification) Counts() (train, dev, test int) {
	return len(d.Train), len(d.Dev), len(d.Test)
}

// TagCounts returns how many tokens of split carry each tag.
func (d *TokenClassification) TagCounts(split []TaggedSentence) map[string]int {
	counts := make(map[string]int)
	for _, s := range split {
		for _, t := range s.Tags {
			counts[t]++
		}
	}
	return counts
}

// String summarises the dataset in one line.
func (d *TokenClassification) String() string {
	return fmt.Sprintf("%s: %d tags; train %d, dev %d, test %d sentences",
		d.Name, len(d.TagSet), len(d.Train), len(d.Dev), len(d.Test))
}

// CarveDev moves a fraction of the Train sentences (chosen with seed) into Dev; it fails if
// Dev is not empty.
func (d *TokenClassification) CarveDev(fraction float64, seed uint64) error {
	if len(d.Dev) > 0 {
		return fmt.Errorf("carving a dev split from %s: it already has %d dev sentences", d.Name, len(d.Dev))
	}
	parts, err := Split(len(d.Train), seed, 1-fraction, fraction)
	if err != nil {
		return fmt.Errorf("carving a dev split from %s: %w", d.Name, err)
	}
	d.Train, d.Dev = pick(d.Train, parts[0]), pick(d.Train, parts[1])
	return nil
}

// tagSet returns the sorted set of tags in the given splits, "O" first when present.
func tagSet(splits ...[]TaggedSentence) []string {
	seen := make(map[string]bool)
	for _, split := range splits {
		for _, s := range split {
			for _, t := range s.Tags {
				seen[t] = true
			}
		}
	}
	tags := make([]string, 0, len(seen))
	for t := range seen {
		tags = append(tags, t)
	}
	sort.Slice(tags, func(i, j int) bool {
		if (tags[i] == "O") != (tags[j] == "O") {
			return tags[i] == "O"
		}
		return tags[i] < tags[j]
	})
	return tags
}

// IntentExample is one user utterance labelled with its intent and the intent's domain.
type IntentExample struct {
	Text, Intent, Domain string
}

// IntentClassification is an intent detection dataset such as CLINC150 or Banking77.
type IntentClassification struct {
	// Name of the dataset, e.g. "clinc150".
	Name string

	// Intents lists the in-scope intents, sorted.
	Intents []string

	// Domains maps each domain to its intents (sorted).
	Domains map[string][]string

	// Train, Dev and Test hold the in-scope examples.
	Train, Dev, Test []IntentExample

	// OOSTrain, OOSDev and OOSTest hold the out-of-scope examples (intent "oos", domain ""),
	// for datasets that have them (CLINC150); nil otherwise.
	OOSTrain, OOSDev, OOSTest []IntentExample
}

// Counts returns the number of in-scope examples in each split.
func (d *IntentClassification) Counts() (train, dev, test int) {
	return len(d.Train), len(d.Dev), len(d.Test)
}

// DomainNames returns the domains, sorted.
func (d *IntentClassification) DomainNames() []string {
	names := make([]string, 0, len(d.Domains))
	for name := range d.Domains {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// String summarises the dataset in one line.
func (d *IntentClassification) String() string {
	return fmt.Sprintf("%s: %d intents in %d domains; train %d, dev %d, test %d (out of scope: %d/%d/%d)",
		d.Name, len(d.Intents), len(d.Domains), len(d.Train), len(d.Dev), len(d.Test),
		len(d.OOSTrain), len(d.OOSDev), len(d.OOSTest))
}

// TextClassification returns the in-scope examples as a TextClassification whose labels are
// the intents (Labels = d.Intents).
func (d *IntentClassification) TextClassification() *TextClassification {
	index := make(map[string]int, len(d.Intents))
	for i, intent := range d.Intents {
		index[intent] = i
	}
	convert := func(split []IntentExample) []Example {
		if split == nil {
			return nil
		}
		out := make([]Example, len(split))
		for i, ex := range split {
			out[i] = Example{Text: ex.Text, Label: index[ex.Intent]}
		}
		return out
	}
	return &TextClassification{Name: d.Name, Labels: append([]string(nil), d.Intents...),
		Train: convert(d.Train), Dev: convert(d.Dev), Test: convert(d.Test)}
}

// CarveDev moves a fraction of Train (stratified by intent, chosen with seed) into Dev; it
// fails if Dev is not empty.
func (d *IntentClassification) CarveDev(fraction float64, seed uint64) error {
	if len(d.Dev) > 0 {
		return fmt.Errorf("carving a dev split from %s: it already has %d dev examples", d.Name, len(d.Dev))
	}
	index := make(map[string]int, len(d.Intents))
	for i, intent := range d.Intents {
		index[intent] = i
	}
	labels := make([]int, len(d.Train))
	for i, ex := range d.Train {
		labels[i] = index[ex.Intent]
	}
	parts, err := StratifiedSplit(labels, seed, 1-fraction, fraction)
	if err != nil {
		return fmt.Errorf("carving a dev split from %s: %w", d.Name, err)
	}
	d.Train, d.Dev = pick(d.Train, parts[0]), pick(d.Train, parts[1])
	return nil
}

// Answer is one answer span of a QAExample: Start is a byte offset into the context, so
// Context[Start:Start+len(Text)] == Text.
type Answer struct {
	Text  string
	Start int
}

// QAExample is an extractive question answering example (SQuAD format).
type QAExample struct {
	ID, Title, Context, Question string
	Answers                      []Answer
	// Impossible marks a SQuAD v2.0 question that its context does not answer (no Answers).
	Impossible bool
}

// Document is one named text of a Corpus.
type Document struct {
	// Name identifies the document in its corpus (a file name, an article title).
	Name string

	// Category is the document's genre or class when the corpus has one (Brown: "news"),
	// else "".
	Category string

	Text string
}

// Corpus is a collection of unlabelled documents.
type Corpus struct {
	Name      string
	Documents []Document
}

// Len returns the number of documents.
func (c *Corpus) Len() int { return len(c.Documents) }

// Text returns all documents' texts joined by blank lines.
func (c *Corpus) Text() string {
	n := 0
	for _, d := range c.Documents {
		n += len(d.Text) + 2
	}
	buf := make([]byte, 0, n)
	for i, d := range c.Documents {
		if i > 0 {
			buf = append(buf, "\n\n"...)
		}
		buf = append(buf, d.Text...)
	}
	return string(buf)
}
