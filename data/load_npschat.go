package data

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"slices"
	"strings"
)

// NPSChatLabels are the NPS Chat corpus' 15 dialogue-act classes, sorted.
var NPSChatLabels = []string{"Accept", "Bye", "Clarify", "Continuer", "Emotion", "Emphasis", "Greet", "Other",
	"Reject", "Statement", "System", "nAnswer", "whQuestion", "yAnswer", "ynQuestion"}

// LoadNPSChat loads the NPS Chat corpus (Forsyth & Martell 2007; NLTK's nps_chat): 10 567 posts
// from 15 age-specific chat rooms, each labelled with one of 15 dialogue acts (NPSChatLabels:
// Statement, System, Greet, Emotion, ynQuestion, whQuestion, ...). A post's text is as
// written, user names already replaced by the corpus' "10-19-20sUser7" tokens. Posts repeat
// ("hi", "lol", "JOIN"): repeats are kept, as a dialogue system meets them, so the same text
// can be in train and test. The corpus has no split: the loader makes the default 80/10/10
// split stratified by label with DefaultSeed. s nil means DefaultStore().
func LoadNPSChat(s *Store) (*TextClassification, error) { return loadNPSChat(storePaths(s)) }

func loadNPSChat(paths pathFunc) (*TextClassification, error) {
	const zipName = "nps_chat/nps_chat.zip"
	files, err := zipFiles(paths, zipName, func(m string) bool {
		return strings.HasPrefix(m, "nps_chat/") && strings.HasSuffix(m, "posts.xml")
	})
	if err != nil {
		return nil, fmt.Errorf("loading nps_chat: %w", err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("loading nps_chat: %s holds no nps_chat/*posts.xml session; check the file against the registry's sha256", zipName)
	}
	var examples []Example
	for _, member := range sortedKeys(files) {
		ex, err := parseNPSChat(files[member], zipName+":"+member)
		if err != nil {
			return nil, fmt.Errorf("loading nps_chat: %w", err)
		}
		examples = append(examples, ex...)
	}
	return splitDefault(&TextClassification{Name: "nps_chat", Labels: NPSChatLabels}, examples), nil
}

// parseNPSChat reads the posts of one NPS Chat session file: <Post class="..." user="...">text
// <terminals>...</terminals></Post>. where names the file in errors.
func parseNPSChat(content []byte, where string) ([]Example, error) {
	var session struct {
		Posts []struct {
			Class string `xml:"class,attr"`
			Text  string `xml:",chardata"`
		} `xml:"Posts>Post"`
	}
	if err := xml.NewDecoder(bytes.NewReader(content)).Decode(&session); err != nil {
		return nil, fmt.Errorf("%s: not an NPS Chat session (XML with <Session><Posts><Post>): %w", where, err)
	}
	if len(session.Posts) == 0 {
		return nil, fmt.Errorf("%s: no <Post> elements", where)
	}
	out := make([]Example, 0, len(session.Posts))
	for i, p := range session.Posts {
		label := slices.Index(NPSChatLabels, p.Class)
		if label < 0 {
			return nil, fmt.Errorf("%s: post %d has class %q, want one of %s", where, i+1, p.Class, strings.Join(NPSChatLabels, ", "))
		}
		text := strings.Join(strings.Fields(p.Text), " ")
		if text == "" {
			continue // A handful of posts are only a user's empty line.
		}
		out = append(out, Example{Text: text, Label: label})
	}
	return out, nil
}
