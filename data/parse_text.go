package data

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// labelledText is a text with its label as written in the file.
type labelledText struct {
	Label, Text, TextB string
}

// parseLabelLines parses `LABEL text` lines: the label runs up to the first space or tab,
// the text is the rest, trimmed. Blank lines are skipped. name (a file name) and the
// 1-based line number start every error. The content must be UTF-8.
func parseLabelLines(content, name string) ([]labelledText, error) {
	var out []labelledText
	lineNo := 0
	for len(content) > 0 {
		lineNo++
		line := content
		if i := strings.IndexByte(content, '\n'); i >= 0 {
			line, content = content[:i], content[i+1:]
		} else {
			content = ""
		}
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		if i := firstInvalidUTF8(line); i >= 0 {
			return nil, fmt.Errorf("%s:%d: invalid UTF-8 byte 0x%02X at column %d; convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8)",
				name, lineNo, line[i], i+1)
		}
		trimmed := strings.TrimLeft(line, " \t")
		i := strings.IndexAny(trimmed, " \t")
		if i < 0 || strings.TrimSpace(trimmed[i:]) == "" {
			return nil, fmt.Errorf("%s:%d: line has a label %q but no text; want `LABEL text`", name, lineNo, trimmed)
		}
		out = append(out, labelledText{Label: trimmed[:i], Text: strings.TrimSpace(trimmed[i:])})
	}
	return out, nil
}

// TextFileFormat says how LoadTextFileFormat reads a file of labelled texts. The zero value
// picks the kind from the file name and finds the columns by itself (see the fields).
type TextFileFormat struct {
	// Kind is "lines" (`LABEL text` per line: the label runs up to the first space or tab),
	// "tsv" (tab-separated columns, no quoting) or "csv" (RFC 4180, as encoding/csv reads
	// it). "" picks by extension: .tsv, .csv, anything else is "lines".
	Kind string

	// LabelColumn and TextColumn pick the TSV/CSV columns, each by header name ("category")
	// or by 0-based index ("1"). A name requires a header row.
	//
	// When both are empty: if the first row is a header, that is, it has a cell named like a
	// label (label, labels, category, class, intent, sentiment, target, tag) and one named
	// like a text (text, texts, sentence, review, reviews, utterance, question, content,
	// document, text_a, premise, sentence1), those columns are used, and a cell named like a
	// second text (text_b, hypothesis, sentence2) makes a sentence-pair task; otherwise the
	// file must have two columns, label then text, or three, label, text and second text
	// (`LABEL<tab>text_a<tab>text_b`: a sentence pair, in Example.Text and Example.TextB).
	LabelColumn, TextColumn string

	// TextBColumn picks the second text of a sentence-pair file, by header name or index,
	// when LabelColumn and TextColumn are given ("": none).
	TextBColumn string

	// Header says the first row is a header to skip. It is implied when a column is given
	// by name or found by the header rule above.
	Header bool
}

var (
	labelColumnNames = []string{"label", "labels", "category", "class", "intent", "sentiment", "target", "tag"}
	textColumnNames  = []string{"text", "texts", "sentence", "review", "reviews", "utterance", "question", "content", "document", "text_a", "premise", "sentence1"}
	textBColumnNames = []string{"text_b", "hypothesis", "sentence2"}
)

// LoadTextFile reads a file of your own labelled texts, with the default TextFileFormat:
// `LABEL text` lines, a two-column TSV (LABEL<tab>text; three columns LABEL<tab>text_a<tab>text_b
// for sentence pairs) or a CSV with a header naming its label and text columns (or two
// columns label,text, or three), picked by extension.
// Labels are any strings.
//
// It returns a TextClassification named after the file, all examples in Train (in file
// order) and Labels sorted (numerically when every label is an integer); call Resplit or
// CarveDev to make dev and test splits.
//
// Errors name the file and the line: an empty file, a line without a label or a text, bytes
// that are not UTF-8, a row with the wrong number of columns.
func LoadTextFile(path string) (*TextClassification, error) {
	return LoadTextFileFormat(path, TextFileFormat{})
}

// LoadTextFileFormat is LoadTextFile with an explicit format.
func LoadTextFileFormat(path string, format TextFileFormat) (*TextClassification, error) {
	content, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("loading labelled texts: %w", err)
	}
	content = bytes.TrimPrefix(content, []byte("\xef\xbb\xbf"))
	if err := checkNotUTF16(content, path); err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(content)) == 0 {
		return nil, fmt.Errorf("%s:1: empty file, want labelled texts", path)
	}
	kind := format.Kind
	if kind == "" {
		switch strings.ToLower(filepath.Ext(path)) {
		case ".tsv":
			kind = "tsv"
		case ".csv":
			kind = "csv"
		default:
			kind = "lines"
		}
	}
	var texts []labelledText
	switch kind {
	case "lines":
		texts, err = parseLabelLines(string(content), path)
	case "tsv", "csv":
		var rows [][]string
		var lines []int
		if kind == "tsv" {
			rows, lines, err = readTSV(content, path)
		} else {
			rows, lines, err = readCSV(content, path)
		}
		if err == nil {
			texts, err = pickColumns(rows, lines, format, path)
		}
	default:
		return nil, fmt.Errorf("loading %s: unknown format kind %q, want \"lines\", \"tsv\" or \"csv\"", path, kind)
	}
	if err != nil {
		return nil, err
	}
	if len(texts) == 0 {
		return nil, fmt.Errorf("%s:1: no labelled texts in the file", path)
	}
	return labelledToDataset(strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)), texts), nil
}

// labelledToDataset indexes the labels (sorted, numerically when all are integers).
func labelledToDataset(name string, texts []labelledText) *TextClassification {
	seen := make(map[string]bool)
	var labels []string
	allInts := true
	for _, t := range texts {
		if !seen[t.Label] {
			seen[t.Label] = true
			labels = append(labels, t.Label)
			if _, err := strconv.Atoi(t.Label); err != nil {
				allInts = false
			}
		}
	}
	sort.Slice(labels, func(i, j int) bool {
		if allInts {
			a, _ := strconv.Atoi(labels[i])
			b, _ := strconv.Atoi(labels[j])
			return a < b
		}
		return labels[i] < labels[j]
	})
	index := make(map[string]int, len(labels))
	for i, l := range labels {
		index[l] = i
	}
	examples := make([]Example, len(texts))
	for i, t := range texts {
		examples[i] = Example{Text: t.Text, TextB: t.TextB, Label: index[t.Label]}
	}
	return &TextClassification{Name: name, Labels: labels, Train: examples}
}

// readTSV splits content into rows of tab-separated cells, skipping blank lines; lines[i] is
// the 1-based line of rows[i]. Every row must have the first row's number of columns.
func readTSV(content []byte, path string) (rows [][]string, lines []int, err error) {
	for i, line := range strings.Split(string(content), "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		if j := firstInvalidUTF8(line); j >= 0 {
			return nil, nil, fmt.Errorf("%s:%d: invalid UTF-8 byte 0x%02X at column %d; convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8)",
				path, i+1, line[j], j+1)
		}
		cells := strings.Split(line, "\t")
		if len(rows) > 0 && len(cells) != len(rows[0]) {
			return nil, nil, fmt.Errorf("%s:%d: %d tab-separated columns, want %d like line %d",
				path, i+1, len(cells), len(rows[0]), lines[0])
		}
		rows = append(rows, cells)
		lines = append(lines, i+1)
	}
	return rows, lines, nil
}

// readCSV reads content as CSV; lines[i] is the 1-based line where rows[i] starts. Every row
// must have the first row's number of columns.
func readCSV(content []byte, path string) (rows [][]string, lines []int, err error) {
	r := csv.NewReader(bytes.NewReader(content))
	r.FieldsPerRecord = -1
	for {
		record, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var perr *csv.ParseError
			if errors.As(err, &perr) {
				return nil, nil, fmt.Errorf("%s:%d: %v", path, perr.Line, perr.Err)
			}
			return nil, nil, fmt.Errorf("reading %s: %w", path, err)
		}
		line, _ := r.FieldPos(0)
		for _, cell := range record {
			if j := firstInvalidUTF8(cell); j >= 0 {
				return nil, nil, fmt.Errorf("%s:%d: invalid UTF-8 byte 0x%02X; convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8)",
					path, line, cell[j])
			}
		}
		if len(rows) > 0 && len(record) != len(rows[0]) {
			return nil, nil, fmt.Errorf("%s:%d: %d comma-separated columns, want %d like line %d",
				path, line, len(record), len(rows[0]), lines[0])
		}
		rows = append(rows, record)
		lines = append(lines, line)
	}
	return rows, lines, nil
}

// pickColumns finds the label and text columns (see TextFileFormat) and returns the texts.
func pickColumns(rows [][]string, lines []int, format TextFileFormat, path string) ([]labelledText, error) {
	header := format.Header
	labelCol, textCol, textBCol := -1, -1, -1
	findNamed := func(names ...string) int {
		for i, cell := range rows[0] {
			for _, name := range names {
				if strings.EqualFold(strings.TrimSpace(cell), name) {
					return i
				}
			}
		}
		return -1
	}
	resolve := func(spec, what string) (int, error) {
		if n, err := strconv.Atoi(spec); err == nil {
			if n < 0 || n >= len(rows[0]) {
				return 0, fmt.Errorf("%s:%d: %s column %d out of range: the file has %d columns", path, lines[0], what, n, len(rows[0]))
			}
			return n, nil
		}
		header = true
		if i := findNamed(spec); i >= 0 {
			return i, nil
		}
		return 0, fmt.Errorf("%s:%d: no %s column named %q in the header %q", path, lines[0], what, spec, rows[0])
	}
	var err error
	switch {
	case format.LabelColumn != "" || format.TextColumn != "":
		if format.LabelColumn == "" || format.TextColumn == "" {
			return nil, fmt.Errorf("loading %s: give both LabelColumn and TextColumn, or neither", path)
		}
		if labelCol, err = resolve(format.LabelColumn, "label"); err != nil {
			return nil, err
		}
		if textCol, err = resolve(format.TextColumn, "text"); err != nil {
			return nil, err
		}
		if format.TextBColumn != "" {
			if textBCol, err = resolve(format.TextBColumn, "second text"); err != nil {
				return nil, err
			}
		}
	case format.TextBColumn != "":
		return nil, fmt.Errorf("loading %s: TextBColumn needs LabelColumn and TextColumn too", path)
	default:
		labelCol, textCol = findNamed(labelColumnNames...), findNamed(textColumnNames...)
		switch {
		case labelCol >= 0 && textCol >= 0 && labelCol != textCol:
			header = true
			textBCol = findNamed(textBColumnNames...)
		case len(rows[0]) == 2:
			labelCol, textCol = 0, 1
		case len(rows[0]) == 3:
			labelCol, textCol, textBCol = 0, 1, 2
		default:
			return nil, fmt.Errorf("%s:%d: %d columns and no header naming the label and text columns; want 2 columns (label, text), 3 (label, text_a, text_b) or set TextFileFormat.LabelColumn and TextColumn",
				path, lines[0], len(rows[0]))
		}
	}
	if header {
		rows, lines = rows[1:], lines[1:]
	}
	texts := make([]labelledText, 0, len(rows))
	for i, row := range rows {
		label, text := strings.TrimSpace(row[labelCol]), strings.TrimSpace(row[textCol])
		if label == "" {
			return nil, fmt.Errorf("%s:%d: empty label (column %d)", path, lines[i], labelCol)
		}
		if text == "" {
			return nil, fmt.Errorf("%s:%d: empty text (column %d)", path, lines[i], textCol)
		}
		var textB string
		if textBCol >= 0 {
			if textB = strings.TrimSpace(row[textBCol]); textB == "" {
				return nil, fmt.Errorf("%s:%d: empty second text (column %d) of a sentence pair", path, lines[i], textBCol)
			}
		}
		texts = append(texts, labelledText{Label: label, Text: text, TextB: textB})
	}
	return texts, nil
}
