package data

import (
	"fmt"
	"html"
	"regexp"
	"strconv"
	"strings"
)

// AGNewsLabels are AG News' four topics, in the order of its class numbers 1–4.
var AGNewsLabels = []string{"World", "Sports", "Business", "Sci/Tech"}

// LoadAGNews loads AG News topic classification (Zhang, Zhao & LeCun 2015, "Character-level
// Convolutional Networks for Text Classification"): news items labelled World, Sports,
// Business or Sci/Tech. Only the published test split (7600 items, 1900 per topic) is
// reachable here, so the loader splits it 80/10/10, stratified by topic, with DefaultSeed
// (6080 / 760 / 760); numbers on it are not comparable with those measured on the official
// 120 000-item training set. Each text is the title, a newline and the description, with the
// corpus' mangled HTML entities (" #39;", "quot;", "&lt;b&gt;") decoded and tags removed. s
// nil means DefaultStore().
func LoadAGNews(s *Store) (*TextClassification, error) { return loadAGNews(storePaths(s)) }

func loadAGNews(paths pathFunc) (*TextClassification, error) {
	const name = "ag_news/test.csv"
	content, err := readRegistryFile(paths, name)
	if err != nil {
		return nil, fmt.Errorf("loading ag_news: %w", err)
	}
	examples, err := parseAGNews(content, name)
	if err != nil {
		return nil, fmt.Errorf("loading ag_news: %w", err)
	}
	return splitDefault(&TextClassification{Name: "ag_news", Labels: AGNewsLabels}, examples), nil
}

// parseAGNews reads AG News' CSV rows `"class","title","description"` (class 1–4). Rows whose
// text repeats an earlier row's are dropped. where names the file in errors.
func parseAGNews(content []byte, where string) ([]Example, error) {
	rows, lines, err := readCSV(content, where)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s: no rows; want `\"class\",\"title\",\"description\"` lines", where)
	}
	seen := map[string]bool{}
	var out []Example
	for i, row := range rows {
		if len(row) != 3 {
			return nil, fmt.Errorf("%s:%d: %d columns, want 3 (class, title, description)", where, lines[i], len(row))
		}
		class, err := strconv.Atoi(strings.TrimSpace(row[0]))
		if err != nil || class < 1 || class > len(AGNewsLabels) {
			return nil, fmt.Errorf("%s:%d: class %q, want 1–%d (%s)", where, lines[i], row[0], len(AGNewsLabels), strings.Join(AGNewsLabels, ", "))
		}
		title, desc := cleanAGNews(row[1]), cleanAGNews(row[2])
		text := strings.TrimSpace(title + "\n" + desc)
		if text == "" {
			return nil, fmt.Errorf("%s:%d: empty title and description", where, lines[i])
		}
		if seen[text] {
			continue
		}
		seen[text] = true
		out = append(out, Example{Text: text, Label: class - 1})
	}
	return out, nil
}

var (
	// agNumericEntity matches the corpus' numeric entities, which lost their "&" (" #39;").
	agNumericEntity = regexp.MustCompile(`(^|[^&])#([0-9]{1,5});`)
	// agNamedEntity matches named entities that lost their "&" ("quot;", "amp;").
	agNamedEntity = regexp.MustCompile(`(^|[^&a-zA-Z])(quot|amp|lt|gt|apos|nbsp);`)
	// runsOfSpace matches runs of spaces and tabs.
	runsOfSpace = regexp.MustCompile(`[ \t]+`)
)

// cleanAGNews decodes one AG News field: entities restored and decoded, tags removed, the
// corpus' "\" line breaks made spaces, spaces collapsed.
func cleanAGNews(s string) string {
	s = agNumericEntity.ReplaceAllString(s, "$1&#$2;")
	s = agNamedEntity.ReplaceAllString(s, "$1&$2;")
	s = stripHTML(html.UnescapeString(s)) // tags are written escaped ("&lt;b&gt;")
	s = strings.ReplaceAll(s, `\`, " ")
	return strings.TrimSpace(runsOfSpace.ReplaceAllString(s, " "))
}
