package data

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"html"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"regexp"
	"strings"
)

// maxMailParts bounds the MIME parts ParseMail reads in one message (nested parts included):
// real mail has a handful, and a malicious message cannot make it recurse without end.
const maxMailParts = 64

// ParseMail reads one e-mail message in RFC 5322 form (headers, a blank line, the body) and
// returns its subject and the readable text of its body: MIME multipart messages contribute
// their text/plain parts (text/html parts, tags removed, when a message has no plain part),
// quoted-printable and base64 bodies are decoded, encoded-word subjects
// ("=?iso-8859-1?q?...?=") are decoded, HTML entities are unescaped and text that is not
// UTF-8 is read as Windows-1252. Attachments and other non-text parts are skipped. A
// message whose MIME structure is broken (a bad boundary, a bad base64 body) keeps the
// raw text of the part concerned rather than failing: spam is often malformed on purpose.
// An empty input, or one with no header block, is an error.
func ParseMail(raw []byte) (subject, body string, err error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return "", "", errors.New("empty message")
	}
	// mbox files start with a "From sender date" line that is not a header.
	if bytes.HasPrefix(raw, []byte("From ")) {
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			raw = raw[i+1:]
		}
	}
	msg, err := mail.ReadMessage(bufio.NewReader(bytes.NewReader(raw)))
	if err != nil {
		// Broken headers: take what precedes the first blank line as headers, by hand.
		head, rest, ok := cutHeaderBlock(raw)
		if !ok {
			return "", "", fmt.Errorf("no header block (headers, a blank line, the body): %w", err)
		}
		return decodeHeader(headerValue(head, "Subject")), cleanMailText(toUTF8(rest)), nil
	}
	subject = decodeHeader(msg.Header.Get("Subject"))
	parts := 0
	return subject, partText(textproto.MIMEHeader(msg.Header), msg.Body, &parts), nil
}

// cutHeaderBlock splits raw at its first blank line.
func cutHeaderBlock(raw []byte) (head, rest []byte, ok bool) {
	for _, sep := range []string{"\r\n\r\n", "\n\n"} {
		if i := bytes.Index(raw, []byte(sep)); i >= 0 {
			return raw[:i], raw[i+len(sep):], true
		}
	}
	return nil, nil, false
}

// headerValue returns the value of header name in the raw header block head ("" if absent).
func headerValue(head []byte, name string) string {
	prefix := strings.ToLower(name) + ":"
	for _, line := range strings.Split(string(head), "\n") {
		if strings.HasPrefix(strings.ToLower(line), prefix) {
			return strings.TrimSpace(line[len(prefix):])
		}
	}
	return ""
}

// decodeHeader decodes RFC 2047 encoded words in a header value, keeping the value as it is
// where they are malformed, and returns UTF-8.
func decodeHeader(v string) string {
	dec := mime.WordDecoder{CharsetReader: func(_ string, r io.Reader) (io.Reader, error) {
		b, err := io.ReadAll(r)
		if err != nil {
			return nil, err
		}
		return strings.NewReader(toUTF8(b)), nil
	}}
	if s, err := dec.DecodeHeader(v); err == nil {
		v = s
	}
	return strings.Join(strings.Fields(toUTF8([]byte(v))), " ")
}

// partText returns the readable text of one MIME entity with header h and body r.
func partText(h textproto.MIMEHeader, r io.Reader, parts *int) string {
	*parts++
	if *parts > maxMailParts {
		return ""
	}
	mediaType, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		mediaType = "text/plain" // RFC 2045's default, and what a broken header most often means
	}
	if strings.HasPrefix(mediaType, "multipart/") && params["boundary"] != "" {
		raw, _ := io.ReadAll(r) // a truncated body: keep what was read
		var plain, htmls []string
		mr := multipart.NewReader(bytes.NewReader(raw), params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				break // a broken structure: keep the parts read so far
			}
			t := partText(p.Header, p, parts)
			if t == "" {
				continue
			}
			if ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type")); ct == "text/html" {
				htmls = append(htmls, t)
			} else {
				plain = append(plain, t)
			}
		}
		switch {
		case len(plain) > 0:
			return strings.Join(plain, "\n")
		case len(htmls) > 0:
			return strings.Join(htmls, "\n")
		}
		return cleanMailText(toUTF8(raw)) // no part could be read: the raw text
	}
	if !strings.HasPrefix(mediaType, "text/") && !strings.HasPrefix(mediaType, "message/") {
		return "" // an attachment
	}
	if disp, _, _ := mime.ParseMediaType(h.Get("Content-Disposition")); disp == "attachment" {
		return ""
	}
	raw, _ := io.ReadAll(r) // a truncated part: keep what was read
	b := decodeTransfer(raw, h.Get("Content-Transfer-Encoding"))
	text := toUTF8(b)
	if mediaType == "text/html" || looksLikeHTML(text) {
		text = stripHTML(text)
	}
	return cleanMailText(text)
}

// decodeTransfer undoes a Content-Transfer-Encoding, returning raw itself where it fails.
func decodeTransfer(raw []byte, encoding string) []byte {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "quoted-printable":
		if b, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(raw))); err == nil {
			return b
		}
	case "base64":
		clean := bytes.Map(func(r rune) rune {
			if r == '\r' || r == '\n' || r == ' ' || r == '\t' {
				return -1
			}
			return r
		}, raw)
		if b, err := base64.StdEncoding.DecodeString(string(clean)); err == nil {
			return b
		}
		if b, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(string(clean), "=")); err == nil {
			return b
		}
	}
	return raw
}

var (
	htmlHidden = regexp.MustCompile(`(?is)<(script|style|head)\b.*?</(script|style|head)\s*>|<!--.*?-->`)
	htmlBreak  = regexp.MustCompile(`(?i)<(br|p|div|tr|li|h[1-6])\b[^>]*>`)
	htmlTag    = regexp.MustCompile(`(?s)<[^>]*>`)
	blankLines = regexp.MustCompile(`\n{3,}`)
)

// looksLikeHTML says whether a text/plain body is in fact HTML (common in spam).
func looksLikeHTML(s string) bool {
	head := strings.ToLower(s[:min(len(s), 2000)])
	return strings.Contains(head, "<html") || strings.Contains(head, "<body")
}

// stripHTML turns HTML into text: scripts, styles and comments removed, block tags as line
// breaks, other tags dropped, entities unescaped.
func stripHTML(s string) string {
	s = htmlHidden.ReplaceAllString(s, " ")
	s = htmlBreak.ReplaceAllString(s, "\n")
	s = htmlTag.ReplaceAllString(s, " ")
	return html.UnescapeString(s)
}

// cleanMailText trims each line's spaces, drops control characters, and collapses runs of
// blank lines.
func cleanMailText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r < 0x20 || r == 0x7f || r == 0xa0 || r == '\uFFFD':
			return ' '
		}
		return r
	}, s)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.Join(strings.Fields(l), " ")
	}
	return strings.TrimSpace(blankLines.ReplaceAllString(strings.Join(lines, "\n"), "\n\n"))
}
