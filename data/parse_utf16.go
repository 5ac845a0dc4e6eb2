package data

import (
	"bytes"
	"fmt"
)

// checkNotUTF16 rejects content that is UTF-16 (or binary) rather than UTF-8 text: one that
// starts with a UTF-16 byte-order mark, or holds a NUL byte (every other byte of UTF-16
// English text is one). name (a file name) starts the error, with the line.
func checkNotUTF16(content []byte, name string) error {
	if bytes.HasPrefix(content, []byte{0xff, 0xfe}) || bytes.HasPrefix(content, []byte{0xfe, 0xff}) {
		return fmt.Errorf("%s:1: the file is UTF-16 (it starts with the byte-order mark 0x%02X 0x%02X); convert it to UTF-8 (e.g. iconv -f utf-16 -t utf-8)",
			name, content[0], content[1])
	}
	if i := bytes.IndexByte(content, 0); i >= 0 {
		line := bytes.Count(content[:i], []byte("\n")) + 1
		column := i - (bytes.LastIndexByte(content[:i], '\n') + 1) + 1
		return fmt.Errorf("%s:%d: NUL byte at column %d: the file is UTF-16 or binary, not UTF-8 text; convert it to UTF-8 (e.g. iconv -f utf-16 -t utf-8)",
			name, line, column)
	}
	return nil
}
