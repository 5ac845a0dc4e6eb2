package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMetaCommandGloVe(t *testing.T) {
	needGloVe(t)
	if _, err := loadIntents("clinc150"); err != nil {
		t.Skipf("CLINC150 unavailable: %v", err)
	}
	if _, err := loadIntents("banking77"); err != nil {
		t.Skipf("Banking77 unavailable: %v", err)
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "meta.json")
	var stdout, stderr bytes.Buffer
	args := []string{"--encoder", "glove:20000", "--dataset", "clinc150", "--cross", "banking77", "--per-class", "6",
		"--shots", "1", "--queries", "3", "--episodes", "20", "--steps", "4", "--methods", "centroid,logreg,protonet,maml",
		"--no-cache", "--quiet", "--out", out}
	if err := metaCommand(args, &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var r metaResult
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatal(err)
	}
	if r.Ways != 5 || r.Shots != 1 || r.Episodes != 20 || len(r.Methods) != 4 || len(r.TestDomains) != 3 || r.TestClasses != 45 {
		t.Fatalf("results %+v; want 5-way 1-shot, 20 episodes, 4 methods, 3 test domains of 45 intents", r)
	}
	for _, m := range r.Methods {
		if len(m.Scores) != 2 || m.Scores[0].Test != "clinc150 unseen domains" || m.Scores[1].Test != "banking77" {
			t.Fatalf("%s scores %+v; want clinc150 unseen domains and banking77", m.Method, m.Scores)
		}
		for _, s := range m.Scores {
			// GloVe averages separate intents far better than chance (20%).
			if s.Episodes != 20 || s.Mean < 0.3 || s.Mean > 1 || !(s.CI95 > 0) {
				t.Errorf("%s on %s: %+v", m.Method, s.Test, s)
			}
		}
		if (m.Method == "protonet" || m.Method == "maml") != (m.BestValAccuracy != nil) {
			t.Errorf("%s: best meta-validation accuracy %v", m.Method, m.BestValAccuracy)
		}
	}
	if !strings.Contains(stdout.String(), "| ProtoNet |") || !strings.Contains(stdout.String(), "banking77") {
		t.Errorf("output lacks the results table:\n%s", stdout.String())
	}
}

func TestMetaCommandBadFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--methods", "maml,knn"}, `unknown method "knn"`},
		{[]string{"--ways", "1"}, "--ways 1"},
		{[]string{"--shots", "0"}, "--shots 0"},
		{[]string{"--episodes", "0"}, "--episodes 0"},
		{[]string{"--steps", "0"}, "--steps 0"},
		{[]string{"--per-class", "-2"}, "--per-class -2"},
		{[]string{"--dataset", "snips"}, `unknown intent dataset "snips"`},
		{[]string{"--out", filepath.Join(t.TempDir(), "no", "r.json")}, "does not exist"},
		{[]string{"extra"}, "unexpected arguments"},
	} {
		err := metaCommand(c.args, &bytes.Buffer{}, &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want one containing %q", c.args, err, c.want)
		}
	}
}
