package data

import (
	"fmt"
	"html"
	"regexp"
	"strings"
)

// amazonReview is one review of the Blitzer et al. multi-domain sentiment files.
type amazonReview struct {
	Title, Text string
	Rating      string
}

// parseAmazonReviews parses the pseudo-XML .review files of the multi-domain sentiment
// dataset: <review> elements holding <title>, <rating>, <review_text>... each tag alone on
// its line and the values on the lines between, with HTML entities (&quot;, &#45;; a few
// doubly escaped: &amp;quot;) but otherwise not escaped (a value may hold a stray "<"). The 0x1A bytes some files hold
// where a character was lost become U+FFFD, as the other lost characters already are.
// name prefixes errors ("amazon/dvd/positive.review:120: ...").
func parseAmazonReviews(content, name string) ([]amazonReview, error) {
	content = strings.ReplaceAll(content, "\x1a", "\ufffd")
	if i := firstInvalidUTF8(content); i >= 0 {
		return nil, fmt.Errorf("%s:%d: invalid UTF-8 byte 0x%02X", name, strings.Count(content[:i], "\n")+1, content[i])
	}
	var (
		reviews  []amazonReview
		current  *amazonReview
		field    string // the open tag inside a review, or ""
		value    []string
		reviewAt int
	)
	for i, line := range strings.Split(content, "\n") {
		lineNo := i + 1
		tag := strings.TrimSpace(strings.TrimRight(line, "\r"))
		switch {
		case tag == "<review>":
			if current != nil {
				return nil, fmt.Errorf("%s:%d: <review> inside the review opened at line %d", name, lineNo, reviewAt)
			}
			current, reviewAt = &amazonReview{}, lineNo
		case tag == "</review>":
			if current == nil || field != "" {
				return nil, fmt.Errorf("%s:%d: unexpected </review>", name, lineNo)
			}
			if current.Text == "" {
				return nil, fmt.Errorf("%s:%d: the review opened at line %d has no <review_text>", name, lineNo, reviewAt)
			}
			reviews = append(reviews, *current)
			current = nil
		case current != nil && field == "" && isAmazonTag(tag, "<"):
			field, value = tag[1:len(tag)-1], nil
		case current != nil && field != "" && tag == "</"+field+">":
			text := unescapeEntities(unescapeEntities(strings.TrimSpace(strings.Join(value, "\n"))))
			switch field {
			case "title":
				current.Title = text
			case "review_text":
				current.Text = text
			case "rating":
				current.Rating = text
			}
			field = ""
		case current != nil && field != "":
			value = append(value, strings.TrimRight(line, "\r"))
		case tag == "" || tag == "<reviews>" || tag == "</reviews>":
		default:
			return nil, fmt.Errorf("%s:%d: unexpected line %q outside a review field", name, lineNo, line)
		}
	}
	if current != nil {
		return nil, fmt.Errorf("%s: the review opened at line %d is not closed", name, reviewAt)
	}
	return reviews, nil
}

// entityPattern matches an HTML entity with its semicolon ("&quot;", "&#45;").
var entityPattern = regexp.MustCompile(`&(?:[a-zA-Z][a-zA-Z0-9]*|#[0-9]+|#[xX][0-9a-fA-F]+);`)

// unescapeEntities decodes the HTML entities of s that end with a semicolon, leaving any
// other "&" alone. The review files escape "&" itself, and a few hold doubly escaped
// entities ("&amp;quot;"), hence the loader applies it twice.
func unescapeEntities(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	return entityPattern.ReplaceAllStringFunc(s, html.UnescapeString)
}

// isAmazonTag reports whether s is an opening tag like "<review_text>".
func isAmazonTag(s, open string) bool {
	if !strings.HasPrefix(s, open) || !strings.HasSuffix(s, ">") || len(s) < len(open)+2 {
		return false
	}
	for _, c := range s[len(open) : len(s)-1] {
		if !(c >= 'a' && c <= 'z' || c == '_') {
			return false
		}
	}
	return true
}
