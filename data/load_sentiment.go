package data

import (
	"bytes"
	"fmt"
	"strings"
)

// sentimentLabels are the labels of the binary sentiment datasets: 0 negative, 1 positive.
var sentimentLabels = []string{"negative", "positive"}

// LoadSST2 loads SST-2, the binary Stanford Sentiment Treebank at sentence level (Socher
// et al. 2013; the harvardnlp "stsa.binary" files, one `LABEL sentence` a line, tokenised
// and lower-cased): 6920 train, 872 dev and 1821 test sentences, labels negative (0) and
// positive (1). s nil means DefaultStore().
func LoadSST2(s *Store) (*TextClassification, error) { return loadSST2(storePaths(s)) }

func loadSST2(paths pathFunc) (*TextClassification, error) {
	d := &TextClassification{Name: "sst2", Labels: append([]string(nil), sentimentLabels...)}
	for _, split := range []struct {
		file string
		dst  *[]Example
	}{{"train", &d.Train}, {"dev", &d.Dev}, {"test", &d.Test}} {
		name := "sst2/stsa.binary." + split.file
		examples, err := loadBinaryLines(paths, name)
		if err != nil {
			return nil, fmt.Errorf("loading sst2: %w", err)
		}
		*split.dst = examples
	}
	return d, nil
}

// loadBinaryLines reads a `0|1 text` file (Windows-1252 or UTF-8).
func loadBinaryLines(paths pathFunc, name string) ([]Example, error) {
	b, err := readRegistryFile(paths, name)
	if err != nil {
		return nil, err
	}
	texts, err := parseLabelLines(toUTF8(b), name)
	if err != nil {
		return nil, err
	}
	return binaryLabels(texts, name)
}

// LoadMR loads MR, the movie review sentence polarity dataset v1.0 (Pang and Lee 2005):
// 10662 snippets, 5331 negative (0) and 5331 positive (1). The source has no split: the
// loader makes an 80/10/10 train/dev/test split stratified by label with DefaultSeed
// (8530/1066/1066); call Resplit for another. The file is Windows-1252; texts are decoded
// to UTF-8. s nil means DefaultStore().
func LoadMR(s *Store) (*TextClassification, error) { return loadMR(storePaths(s)) }

func loadMR(paths pathFunc) (*TextClassification, error) {
	examples, err := loadBinaryLines(paths, "mr/rt-polarity.all")
	if err != nil {
		return nil, fmt.Errorf("loading mr: %w", err)
	}
	return splitDefault(&TextClassification{Name: "mr", Labels: append([]string(nil), sentimentLabels...)}, examples), nil
}

// LoadSUBJ loads SUBJ, the subjectivity dataset v1.0 (Pang and Lee 2004): 10000 sentences,
// 5000 subjective (0, review snippets) and 5000 objective (1, plot summaries). The source
// has no split: the loader makes an 80/10/10 train/dev/test split stratified by label with
// DefaultSeed; call Resplit for another. s nil means DefaultStore().
func LoadSUBJ(s *Store) (*TextClassification, error) { return loadSUBJ(storePaths(s)) }

func loadSUBJ(paths pathFunc) (*TextClassification, error) {
	examples, err := loadBinaryLines(paths, "subj/subj.all")
	if err != nil {
		return nil, fmt.Errorf("loading subj: %w", err)
	}
	return splitDefault(&TextClassification{Name: "subj", Labels: []string{"subjective", "objective"}}, examples), nil
}

// LoadIMDB2k loads a 2000-review sample of the IMDB movie review dataset (Maas et al.
// 2011): 1000 negative (0) and 1000 positive (1) full reviews. HTML line breaks ("<br />")
// are replaced by spaces. The source has no split: the loader makes an 80/10/10
// train/dev/test split stratified by label with DefaultSeed. s nil means DefaultStore().
func LoadIMDB2k(s *Store) (*TextClassification, error) { return loadIMDB2k(storePaths(s)) }

func loadIMDB2k(paths pathFunc) (*TextClassification, error) {
	const name = "imdb2k/imdb.csv"
	b, err := readRegistryFile(paths, name)
	if err != nil {
		return nil, fmt.Errorf("loading imdb2k: %w", err)
	}
	rows, lines, err := readCSV(b, name)
	if err != nil {
		return nil, fmt.Errorf("loading imdb2k: %w", err)
	}
	texts, err := pickColumns(rows, lines, TextFileFormat{LabelColumn: "labels", TextColumn: "reviews"}, name)
	if err != nil {
		return nil, fmt.Errorf("loading imdb2k: %w", err)
	}
	brs := strings.NewReplacer("<br />", " ", "<br/>", " ", "<br>", " ")
	for i := range texts {
		texts[i].Text = strings.Join(strings.Fields(brs.Replace(texts[i].Text)), " ")
	}
	examples, err := binaryLabels(texts, name)
	if err != nil {
		return nil, fmt.Errorf("loading imdb2k: %w", err)
	}
	return splitDefault(&TextClassification{Name: "imdb2k", Labels: append([]string(nil), sentimentLabels...)}, examples), nil
}

// LoadMovieReviews loads the polarity dataset v2.0 (Pang and Lee 2004; NLTK's
// movie_reviews): 1000 negative (0) and 1000 positive (1) full movie reviews, tokenised and
// lower-cased, one sentence a line. The source has no split: the loader makes an 80/10/10
// train/dev/test split stratified by label with DefaultSeed. s nil means DefaultStore().
func LoadMovieReviews(s *Store) (*TextClassification, error) {
	return loadMovieReviews(storePaths(s))
}

func loadMovieReviews(paths pathFunc) (*TextClassification, error) {
	files, err := zipFiles(paths, "movie_reviews/movie_reviews.zip", func(m string) bool {
		return strings.HasSuffix(m, ".txt") &&
			(strings.HasPrefix(m, "movie_reviews/neg/") || strings.HasPrefix(m, "movie_reviews/pos/"))
	})
	if err != nil {
		return nil, fmt.Errorf("loading movie_reviews: %w", err)
	}
	var examples []Example
	for _, member := range sortedKeys(files) {
		label := 0
		if strings.HasPrefix(member, "movie_reviews/pos/") {
			label = 1
		}
		text := trimLines(toUTF8(bytes.TrimSpace(files[member])))
		examples = append(examples, Example{Text: text, Label: label})
	}
	return splitDefault(&TextClassification{Name: "movie_reviews", Labels: append([]string(nil), sentimentLabels...)}, examples), nil
}
