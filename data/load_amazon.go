package data

import (
	"fmt"
	"slices"
)

// AmazonDomains returns the product domains of the multi-domain Amazon sentiment dataset:
// books, dvd, electronics and kitchen.
func AmazonDomains() []string { return []string{"books", "dvd", "electronics", "kitchen"} }

// LoadAmazon loads one domain (see AmazonDomains) of the multi-domain Amazon sentiment
// dataset (Blitzer et al. 2007): 1000 negative (0; 1–2 stars) and 1000 positive (1; 4–5
// stars) product reviews. An Example's Text is the review's body (review_text, HTML entities
// decoded), without its title. The source has no split: the loader makes an 80/10/10
// train/dev/test split stratified by label with DefaultSeed (1600/200/200). The dataset is
// named "amazon/DOMAIN". s nil means DefaultStore().
func LoadAmazon(s *Store, domain string) (*TextClassification, error) {
	return loadAmazon(storePaths(s), domain)
}

// LoadAmazonDomains loads every domain with LoadAmazon, keyed by domain name.
func LoadAmazonDomains(s *Store) (map[string]*TextClassification, error) {
	paths := storePaths(s)
	out := make(map[string]*TextClassification)
	for _, domain := range AmazonDomains() {
		d, err := loadAmazon(paths, domain)
		if err != nil {
			return nil, err
		}
		out[domain] = d
	}
	return out, nil
}

func loadAmazon(paths pathFunc, domain string) (*TextClassification, error) {
	name := "amazon/" + domain
	if !slices.Contains(AmazonDomains(), domain) {
		return nil, fmt.Errorf("loading amazon: unknown domain %q, want one of %v", domain, AmazonDomains())
	}
	var examples []Example
	for label, polarity := range []string{"negative", "positive"} {
		file := name + "/" + polarity + ".review"
		b, err := readRegistryFile(paths, file)
		if err != nil {
			return nil, fmt.Errorf("loading %s: %w", name, err)
		}
		reviews, err := parseAmazonReviews(string(b), file)
		if err != nil {
			return nil, fmt.Errorf("loading %s: %w", name, err)
		}
		for _, r := range reviews {
			examples = append(examples, Example{Text: r.Text, Label: label})
		}
	}
	return splitDefault(&TextClassification{Name: name, Labels: append([]string(nil), sentimentLabels...)}, examples), nil
}
