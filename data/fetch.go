package data

import (
	"context"
	"fmt"
	"io"
	"net/http"
	neturl "net/url"
	"strings"
	"time"
)

// downloadURL returns where f is downloaded from: BaseURL + "/" + name when BaseURL is set,
// else its canonical URL ("" when it has none).
func (s *Store) downloadURL(f File) string {
	if s.BaseURL != "" {
		return strings.TrimSuffix(s.BaseURL, "/") + "/" + f.Name
	}
	return f.URL
}

// download fetches f into path (in the cache), checking its size and sha256 before the file
// is renamed into place. On error nothing is left at path.
func (s *Store) download(ctx context.Context, f File, path string) error {
	url := s.downloadURL(f)
	if url == "" {
		return fmt.Errorf("data: %s (dataset %s) has no download URL: it comes from the %s; set TLKIT_DATA to a mirror folder (laid out as DATASET/FILE) that holds it",
			f.Name, f.Dataset, f.Source)
	}
	if s.Offline {
		return fmt.Errorf("data: %s (dataset %s) is neither in the mirror nor in the cache %s, and the store is offline so it won't download %s; set TLKIT_DATA to a mirror folder (laid out as DATASET/FILE) that holds it",
			f.Name, f.Dataset, s.CacheDir, url)
	}
	failed := func(err error) error {
		return fmt.Errorf("data: downloading %s (dataset %s) from %s: %w; without network access, set TLKIT_DATA to a mirror folder (laid out as DATASET/FILE) that holds it",
			f.Name, f.Dataset, url, err)
	}

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return failed(err)
	}
	client := s.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		if ue, ok := err.(*neturl.Error); ok {
			err = ue.Err // It repeats the URL, already in the message.
		}
		return failed(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return failed(fmt.Errorf("HTTP status %s", resp.Status))
	}

	w := s.progress()
	fmt.Fprintf(w, "data: downloading %s from %s\n", f.Name, url)
	pr := &progressReader{r: resp.Body, w: w, total: f.Size}
	var badBody error // the size or sha256 check's error, already complete
	err = writeAtomic(path, pr, func(sum string, size int64) error {
		pr.finish()
		switch {
		case pr.err != nil || size != f.Size || (resp.ContentLength >= 0 && size != resp.ContentLength):
			cause := ""
			if pr.err != nil {
				cause = fmt.Sprintf(" (%v)", pr.err)
			}
			badBody = fmt.Errorf("data: download of %s (dataset %s) from %s is truncated or too long%s: got %d bytes (Content-Length %d), want %d; got sha256 %s, want %s; nothing was saved",
				f.Name, f.Dataset, url, cause, size, resp.ContentLength, f.Size, sum, f.Sha256)
		case sum != f.Sha256:
			badBody = fmt.Errorf("data: download of %s (dataset %s) from %s is corrupt: got sha256 %s, want %s; nothing was saved",
				f.Name, f.Dataset, url, sum, f.Sha256)
		}
		return badBody
	})
	if err != nil {
		if err == badBody {
			return err
		}
		return failed(err)
	}
	return nil
}

// progressReader writes "bytes / total" progress lines to w while r is read, at most a few
// times a second. A read error of r (e.g. io.ErrUnexpectedEOF for a body cut short) ends the
// stream like io.EOF and is kept in err, so that the caller reports it with the sizes and
// sha256 sums of what it got.
type progressReader struct {
	r        io.Reader
	w        io.Writer
	total, n int64
	last     time.Time
	finished bool
	err      error
}

// Read implements io.Reader.
func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.n += int64(n)
	if err != nil && err != io.EOF {
		p.err = err
		err = io.EOF
	}
	if now := time.Now(); now.Sub(p.last) > 250*time.Millisecond {
		p.last = now
		p.print()
	}
	return n, err
}

// print writes the current progress, overwriting the previous line.
func (p *progressReader) print() {
	pct := 0.0
	if p.total > 0 {
		pct = 100 * float64(p.n) / float64(p.total)
	}
	fmt.Fprintf(p.w, "\r  %s / %s bytes (%.0f%%)", formatBytes(p.n), formatBytes(p.total), pct)
}

// finish prints the final count and ends the progress line.
func (p *progressReader) finish() {
	if p.finished {
		return
	}
	p.finished = true
	p.print()
	fmt.Fprintln(p.w)
}

// formatBytes formats n with thousands separators, e.g. 1,234,567.
func formatBytes(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return s
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
