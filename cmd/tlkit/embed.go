package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"unicode/utf8"

	"github.com/nlp-transfer/gotl/tlkit"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
)

// embedChunk is how many lines "tlkit embed" reads before it embeds them and writes their
// vectors: large enough to fill the length buckets, small enough to stream.
const embedChunk = 1024

// runEmbed implements "tlkit embed".
func runEmbed(args []string) error {
	fs := flag.NewFlagSet("embed", flag.ExitOnError)
	spec := fs.String("encoder", "use-lite", "the encoder: use-lite, use-lite-scratch[:SEED], glove[:N] or bert:DIR")
	poolName := fs.String("pool", "native", "pooling of the token states: native (the encoder's own), mean or cls")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), `usage: tlkit embed [--encoder NAME] [--pool native|mean|cls] < sentences.txt > vectors.jsonl

Reads one sentence a line on standard input and writes, for each, one JSON array of floats a
line on standard output, in the same order. Encoders:
%s

An empty line, or a line that is not UTF-8, is an error naming the line.

Flags:
`, tlkit.EncoderSpecs)
		fs.PrintDefaults()
	}
	_ = fs.Parse(args)
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	pool, err := encoder.ParsePooling(*poolName)
	if err != nil {
		return err
	}
	enc, err := tlkit.LoadEncoder(*spec, nil)
	if err != nil {
		return err
	}
	backend, err := tlkit.Backend()
	if err != nil {
		return err
	}
	return embedLines(encoder.NewRunner(backend, enc), pool, os.Stdin, os.Stdout)
}

// embedLines embeds each line of r and writes its vector as a JSON array line to w.
func embedLines(runner *encoder.Runner, pool encoder.Pooling, r io.Reader, w io.Writer) error {
	scanner := bufio.NewScanner(r)
	scanner.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	out := bufio.NewWriter(w)
	var lines []string
	first := 1 // Line number of lines[0].
	flush := func() error {
		if len(lines) == 0 {
			return nil
		}
		vectors, err := runner.Embed(lines, pool)
		if err != nil {
			return fmt.Errorf("lines %d-%d: %w", first, first+len(lines)-1, err)
		}
		for _, v := range vectors {
			writeVector(out, v)
		}
		first += len(lines)
		lines = lines[:0]
		return out.Flush()
	}
	for n := 1; scanner.Scan(); n++ {
		line := scanner.Text()
		if !utf8.ValidString(line) {
			return fmt.Errorf("line %d is not valid UTF-8", n)
		}
		if line == "" {
			return fmt.Errorf("line %d is empty: there is nothing to embed", n)
		}
		lines = append(lines, line)
		if len(lines) == embedChunk {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := scanner.Err(); err != nil {
		return fmt.Errorf("reading standard input: %w", err)
	}
	return flush()
}

// writeVector writes v as a JSON array of the shortest decimals that read back as the same
// float32 values.
func writeVector(w *bufio.Writer, v []float32) {
	buf := make([]byte, 0, 16*len(v)+2)
	buf = append(buf, '[')
	for i, f := range v {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = strconv.AppendFloat(buf, float64(f), 'g', -1, 32)
	}
	buf = append(buf, ']', '\n')
	_, _ = w.Write(buf)
}
