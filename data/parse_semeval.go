package data

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// RelationExample is one sentence with two marked nominals, e1 and e2, and the relation
// between them, as in SemEval-2010 Task 8.
type RelationExample struct {
	// ID is the example's number in its file (SemEval: 1–8000 train, 8001–10717 test); the
	// official scorer's files are "ID<TAB>LABEL" lines.
	ID int
	// Text is the sentence without its <e1>…</e1> and <e2>…</e2> markers.
	Text string
	// E1 and E2 are the nominals' byte spans in Text: Text[E1.Start:E1.End] is e1.
	E1, E2 TextSpan
	// Label is "Other" or a directed relation "Name(e1,e2)" / "Name(e2,e1)", e.g.
	// "Cause-Effect(e2,e1)": e2 is the cause of e1.
	Label string
	// Comment is the annotators' comment ("" when none).
	Comment string
}

// TextSpan is a [Start, End) byte span of a text.
type TextSpan struct{ Start, End int }

// OtherRelation is SemEval's label for "none of the relations".
const OtherRelation = "Other"

// relationLabel matches a directed relation label: a name of letters and hyphens, then
// (e1,e2) or (e2,e1).
var relationLabel = regexp.MustCompile(`^([A-Za-z][A-Za-z-]*)\((e1,e2|e2,e1)\)$`)

// SplitRelationLabel returns a label's relation name and whether its direction is (e2,e1);
// "Other" is ("Other", false). A label in neither form is an error.
func SplitRelationLabel(label string) (name string, reversed bool, err error) {
	if label == OtherRelation {
		return label, false, nil
	}
	m := relationLabel.FindStringSubmatch(label)
	if m == nil {
		return "", false, fmt.Errorf("label %q is neither Other nor a directed relation like Cause-Effect(e1,e2)", label)
	}
	return m[1], m[2] == "e2,e1", nil
}

// LoadSemEvalRelations reads a file in SemEval-2010 Task 8's format (see ParseSemEvalRelations).
func LoadSemEvalRelations(path string) ([]RelationExample, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("loading relation file: %w", err)
	}
	return ParseSemEvalRelations(raw, path)
}

// ParseSemEvalRelations parses SemEval-2010 Task 8's format: blocks of an
// `ID<TAB>"sentence"` line whose sentence marks the nominals with <e1>…</e1> and <e2>…</e2>,
// a label line, an optional "Comment:" line, then a blank line (CRLF or LF line ends). name
// names the input in errors, which give its line: a file that is not UTF-8, an empty file, a
// line that is not `ID<TAB>"…"`, a repeated ID, markers missing, repeated, nested or around
// nothing, a bad label.
func ParseSemEvalRelations(raw []byte, name string) ([]RelationExample, error) {
	if err := checkUTF8(raw, name); err != nil {
		return nil, err
	}
	lines := strings.Split(strings.ReplaceAll(string(raw), "\r\n", "\n"), "\n")
	var out []RelationExample
	seen := make(map[int]int)
	for i := 0; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) == "" {
			continue
		}
		lineNo := i + 1
		ex, err := parseRelationSentence(lines[i])
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, lineNo, err)
		}
		if prev, dup := seen[ex.ID]; dup {
			return nil, fmt.Errorf("%s:%d: ID %d already used on line %d", name, lineNo, ex.ID, prev)
		}
		seen[ex.ID] = lineNo
		i++
		if i >= len(lines) || strings.TrimSpace(lines[i]) == "" {
			return nil, fmt.Errorf("%s:%d: example %d has no label line after its sentence", name, lineNo+1, ex.ID)
		}
		ex.Label = strings.TrimSpace(lines[i])
		if _, _, err := SplitRelationLabel(ex.Label); err != nil {
			return nil, fmt.Errorf("%s:%d: example %d: %w", name, i+1, ex.ID, err)
		}
		if i+1 < len(lines) {
			if c, ok := strings.CutPrefix(strings.TrimSpace(lines[i+1]), "Comment:"); ok {
				ex.Comment = strings.TrimSpace(c)
				i++
			}
		}
		out = append(out, ex)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no examples (empty file?), want ID<TAB>\"sentence with <e1>…</e1> and <e2>…</e2>\" lines each followed by a label", name)
	}
	return out, nil
}

// parseRelationSentence parses `ID<TAB>"text with markers"`.
func parseRelationSentence(line string) (RelationExample, error) {
	idText, quoted, ok := strings.Cut(line, "\t")
	if !ok {
		return RelationExample{}, fmt.Errorf("want ID<TAB>\"sentence\", found no tab in %q", clip(line))
	}
	id, err := strconv.Atoi(strings.TrimSpace(idText))
	if err != nil || id < 0 {
		return RelationExample{}, fmt.Errorf("want a numeric ID before the tab, found %q", idText)
	}
	quoted = strings.TrimSpace(quoted)
	if len(quoted) < 2 || quoted[0] != '"' || quoted[len(quoted)-1] != '"' {
		return RelationExample{}, fmt.Errorf("example %d: the sentence must be in double quotes, found %q", id, clip(quoted))
	}
	text, e1, e2, err := stripEntityMarkers(quoted[1 : len(quoted)-1])
	if err != nil {
		return RelationExample{}, fmt.Errorf("example %d: %w", id, err)
	}
	return RelationExample{ID: id, Text: text, E1: e1, E2: e2}, nil
}

// stripEntityMarkers removes <e1>…</e1> and <e2>…</e2> from s, returning the text and the
// byte spans the markers enclosed.
func stripEntityMarkers(s string) (string, TextSpan, TextSpan, error) {
	var b strings.Builder
	spans := [2]TextSpan{{-1, -1}, {-1, -1}}
	open := -1 // The entity whose marker is open, or -1.
	for len(s) > 0 {
		tag, entity, closing := "", -1, false
		for e, t := range [...]string{"<e1>", "<e2>", "</e1>", "</e2>"} {
			if strings.HasPrefix(s, t) {
				tag, entity, closing = t, e%2, e >= 2
				break
			}
		}
		if tag == "" {
			b.WriteByte(s[0])
			s = s[1:]
			continue
		}
		s = s[len(tag):]
		switch {
		case !closing && open >= 0:
			return "", TextSpan{}, TextSpan{}, fmt.Errorf("%s inside <e%d>…</e%d>: entities cannot nest", tag, open+1, open+1)
		case !closing && spans[entity].Start >= 0:
			return "", TextSpan{}, TextSpan{}, fmt.Errorf("%s appears twice", tag)
		case !closing:
			open, spans[entity].Start = entity, b.Len()
		case open != entity:
			return "", TextSpan{}, TextSpan{}, fmt.Errorf("%s without a matching <e%d>", tag, entity+1)
		default:
			if b.Len() == spans[entity].Start {
				return "", TextSpan{}, TextSpan{}, fmt.Errorf("<e%d></e%d> marks an empty entity", entity+1, entity+1)
			}
			open, spans[entity].End = -1, b.Len()
		}
	}
	if open >= 0 {
		return "", TextSpan{}, TextSpan{}, fmt.Errorf("<e%d> is never closed", open+1)
	}
	for e, sp := range spans {
		if sp.Start < 0 {
			return "", TextSpan{}, TextSpan{}, fmt.Errorf("no <e%d>…</e%d> marker: both nominals must be marked", e+1, e+1)
		}
	}
	return b.String(), spans[0], spans[1], nil
}

// clip shortens s for an error message.
func clip(s string) string {
	if len(s) <= 60 {
		return s
	}
	i := 60
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}
