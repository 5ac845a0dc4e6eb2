package data

import (
	"strings"
	"testing"
)

func TestParseAmazonReviews(t *testing.T) {
	input := "<reviews>\n<review>\n<title>\nGreat &amp; cheap\n</title>\n<rating>\n5.0\n</rating>\n" +
		"<review_text>\nI &quot;love&quot; it &amp;quot;really&amp;quot; &amp; more;\nfianc\x1a &notice <b>\n</review_text>\n</review>\n</reviews>\n"
	reviews, err := parseAmazonReviews(input, "x.review")
	if err != nil {
		t.Fatal(err)
	}
	if len(reviews) != 1 {
		t.Fatalf("%d reviews, want 1", len(reviews))
	}
	r := reviews[0]
	wantText := "I \"love\" it \"really\" & more;\nfianc\ufffd &notice <b>"
	if r.Title != "Great & cheap" || r.Rating != "5.0" || r.Text != wantText {
		t.Errorf("got %+v, want text %q", r, wantText)
	}
	for _, tc := range []struct{ input, want string }{
		{"<review>\n<title>\nx\n</title>\n</review>\n", "x.review:5: the review opened at line 1 has no <review_text>"},
		{"<review>\n<review_text>\nx\n</review_text>\n", "x.review: the review opened at line 1 is not closed"},
		{"<review>\n<review>\n", "x.review:2: <review> inside the review opened at line 1"},
		{"stray text\n", "x.review:1: unexpected line"},
	} {
		_, err := parseAmazonReviews(tc.input, "x.review")
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("input %q: error %v, want %q", tc.input, err, tc.want)
		}
	}
}
