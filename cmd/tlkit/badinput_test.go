package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nlp-transfer/gotl/tlkit/bert"
	"github.com/nlp-transfer/gotl/tlkit/train"
	"github.com/nlp-transfer/gotl/tlkit/wordpiece"
)

// badInput is one bad input: the tlkit arguments that give it (the output file is added)
// and what the error must say.
type badInput struct {
	name  string
	args  func(t *testing.T) []string
	wants []string
}

// TestBadInputThroughTheCLI runs tlkit on bad input of every kind. Each run must exit with
// status 1 and a message naming the problem (and where it is), before writing anything: the
// --out folder stays empty. The README's bad-input table lists these cases.
func TestBadInputThroughTheCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("runs tlkit once per case")
	}
	bin := buildTlkit(t)
	cache := freshCache(t)
	dir := t.TempDir()
	good := writeLines(t, dir, "train.txt", 40, 0)
	test := writeLines(t, dir, "test.txt", 12, 3)
	file := func(name, content string) string { return writeFile(t, dir, name, content) }
	features := func(trainPath string, extra ...string) []string {
		return append([]string{"features", "--encoder", cliGloVe, "--no-cache", "--train", trainPath, "--test", test}, extra...)
	}
	finetune := func(trainPath string, extra ...string) []string {
		return append([]string{"finetune", "--encoder", cliGloVe, "--train", trainPath, "--test", test, "--epochs", "1", "--batch", "4"}, extra...)
	}
	squadDoc := func(context, question string) string {
		return `{"data": [{"title": "T", "paragraphs": [{"context": ` + context + `, "qas": [` + question + `]}]}]}`
	}
	squadOK := file("ok.json", squadDoc(`"the cat"`, `{"id": "q", "question": "?", "answers": [{"text": "cat", "answer_start": 4}]}`))
	qaEval := func(dataPath string) []string {
		return []string{"qa-eval", "--data", dataPath, "--predictions", file("preds.json", `{"q": "cat"}`)}
	}
	// A finished fine-tuning run to resume with other settings, and a tiny BERT checkpoint.
	ckpt := filepath.Join(dir, "ckpt")
	if o := runTlkitIn(t, bin, cache, finetune(good, "--checkpoint", ckpt)...); o.code != 0 {
		t.Fatalf("making a checkpoint: %v", o)
	}
	bertDir := tinyBERTDir(t)

	cases := []badInput{
		{"empty file", func(t *testing.T) []string { return features(file("empty.txt", "")) },
			[]string{"empty.txt:1: empty file"}},
		{"blank lines only", func(t *testing.T) []string { return finetune(file("blank.txt", "\n  \n\t\n")) },
			[]string{"blank.txt:1: empty file"}},
		{"label without text", func(t *testing.T) []string { return features(file("nolabel.txt", "good fine\nbad\n")) },
			[]string{`nolabel.txt:2: line has a label "bad" but no text`}},
		{"empty label cell", func(t *testing.T) []string { return features(file("nolabel.tsv", "good\tfine\n\tno label\n")) },
			[]string{"nolabel.tsv:2: empty label"}},
		{"unlabelled file", func(t *testing.T) []string {
			return finetune(file("plain.txt", strings.Join(append(posTexts, negTexts...), "\n")+"\n"))
		}, []string{"plain.txt:", "is the file unlabelled?", "`LABEL<TAB>text`"}},
		{"unknown test label", func(t *testing.T) []string {
			return []string{"features", "--encoder", cliGloVe, "--no-cache", "--train", good, "--test", file("t.txt", "good fine\nneutral so so\n")}
		}, []string{`t.txt:2: label "neutral" does not occur in the training file`}},
		{"one label", func(t *testing.T) []string {
			return []string{"features", "--encoder", cliGloVe, "--no-cache", "--train", file("one.txt", strings.Repeat("good fine film\n", 20)),
				"--test", file("one-test.txt", "good nice\n")}
		},
			[]string{"1 label(s)", "at least 2"}},
		{"SQuAD file not JSON", func(t *testing.T) []string { return qaEval(file("bad.json", `{"data": [`)) },
			[]string{"bad.json: not valid JSON"}},
		{"SQuAD question without an id", func(t *testing.T) []string {
			return qaEval(file("noid.json", squadDoc(`"the cat"`, `{"question": "?", "answers": [{"text": "cat", "answer_start": 4}]}`)))
		}, []string{"noid.json", `missing "id"`}},
		{"SQuAD answer_start off its text", func(t *testing.T) []string {
			return qaEval(file("off.json", squadDoc(`"the cat sat"`, `{"id": "q8", "question": "?", "answers": [{"text": "cat", "answer_start": 5}]}`)))
		}, []string{"off.json", "question q8"}},
		{"SQuAD empty context", func(t *testing.T) []string {
			return qaEval(file("nocontext.json", squadDoc(`" "`, `{"id": "q1", "question": "?", "answers": [{"text": "x", "answer_start": 0}]}`)))
		}, []string{"nocontext.json", "empty context"}},
		{"SQuAD file not UTF-8", func(t *testing.T) []string { return qaEval(file("latin1.json", "{\"data\": [\n\xe9]}")) },
			[]string{"latin1.json:2: invalid UTF-8 byte 0xE9"}},
		{"predictions not a JSON object", func(t *testing.T) []string {
			return []string{"qa-eval", "--data", squadOK, "--predictions", file("pred.json", `["cat"]`)}
		}, []string{"predictions", "pred.json", "want a JSON object"}},
		{"Latin-1 file", func(t *testing.T) []string { return features(file("latin1.txt", "good caf\xe9 au lait\nbad awful\n")) },
			[]string{"latin1.txt:1: invalid UTF-8 byte 0xE9 at column 9", "iconv"}},
		{"mixed encodings", func(t *testing.T) []string {
			return finetune(file("mixed.txt", "good caf\xc3\xa9 ok\nbad awful\ngood na\xefve fun\n"))
		}, []string{"mixed.txt:3: invalid UTF-8 byte 0xEF"}},
		{"UTF-16 with a byte-order mark", func(t *testing.T) []string {
			return features(file("utf16.txt", "\xff\xfeg\x00o\x00o\x00d\x00 \x00x\x00\n\x00"))
		}, []string{"utf16.txt:1: the file is UTF-16", "iconv -f utf-16"}},
		{"UTF-16 without a byte-order mark", func(t *testing.T) []string {
			return features(file("utf16le.txt", "g\x00o\x00o\x00d\x00 \x00x\x00\n\x00"))
		}, []string{"utf16le.txt:1: NUL byte at column 2"}},
		{"TSV with a column too many", func(t *testing.T) []string {
			return features(file("cols.tsv", "good\tfine\nbad\tawful\tfilm\n"))
		}, []string{"cols.tsv:2: 3 tab-separated columns, want 2 like line 1"}},
		{"CSV with a ragged row", func(t *testing.T) []string {
			return features(file("rag.csv", "label,text\ngood,fine\nbad\n"))
		}, []string{"rag.csv:3: 1 comma-separated columns, want 2 like line 1"}},
		{"CSV of 4 columns without a header", func(t *testing.T) []string {
			return features(file("four.csv", "good,fine,x,1\nbad,awful,y,2\n"))
		}, []string{"four.csv:1: 4 columns and no header"}},
		{"CSV with a stray quote", func(t *testing.T) []string {
			return features(file("quote.csv", "label,text\ngood,a \"fine\" film\n"))
		}, []string{"quote.csv:2:", `bare " in non-quoted-field`}},
		{"missing file", func(t *testing.T) []string { return features(filepath.Join(dir, "nope.txt")) },
			[]string{"nope.txt: no such file or directory"}},
		{"NaN loss (learning rate far too high)", func(t *testing.T) []string { return finetune(good, "--lr", "1e30") },
			[]string{"the loss is NaN at step ", "lower the learning rate"}},
		{"infinite loss (L2 penalty overflows)", func(t *testing.T) []string { return features(good, "--l2", "1e39") },
			[]string{"the loss is +Inf at step 1", "check the inputs for NaNs and extreme values"}},
		{"BERT config that does not match its weights", func(t *testing.T) []string {
			editJSON(t, filepath.Join(bertDir, "config.json"), func(m map[string]any) { m["intermediate_size"] = 48 })
			return []string{"features", "--encoder", "bert:" + bertDir, "--no-cache", "--train", good, "--test", test}
		}, []string{"model.safetensors", `"bert.encoder.layer.0.intermediate.dense.weight"`, "[64 32]", "[48 32]"}},
		{"BERT folder without weights", func(t *testing.T) []string {
			empty := filepath.Join(dir, "bert-empty")
			_ = os.MkdirAll(empty, 0o755)
			return []string{"features", "--encoder", "bert:" + empty, "--no-cache", "--train", good, "--test", test}
		}, []string{"bert-empty/config.json"}},
		{"resume with another encoder", func(t *testing.T) []string {
			return []string{"finetune", "--encoder", "glove:2000", "--train", good, "--test", test, "--epochs", "1", "--batch", "4",
				"--checkpoint", ckpt, "--resume"}
		}, []string{"last.ckpt is of another configuration", "enc=glove-100d-3000 → key=enc=glove-100d-2000", "delete it"}},
		{"resume with another head", func(t *testing.T) []string {
			return finetune(good, "--checkpoint", ckpt, "--resume", "--dropout", "0.3", "--pool", "cls")
		}, []string{"last.ckpt is of another configuration", "pool=native → pool=cls", "dropout=0.1 → dropout=0.3"}},
		{"truncated checkpoint", func(t *testing.T) []string {
			broken := copyDir(t, ckpt, filepath.Join(dir, "truncated"))
			last := filepath.Join(broken, train.LastCheckpoint)
			info, err := os.Stat(last)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.Truncate(last, info.Size()/2); err != nil {
				t.Fatal(err)
			}
			return finetune(good, "--checkpoint", broken, "--resume")
		}, []string{"truncated/last.ckpt", "file truncated"}},
		{"not a checkpoint", func(t *testing.T) []string {
			broken := copyDir(t, ckpt, filepath.Join(dir, "garbage"))
			if err := os.WriteFile(filepath.Join(broken, train.LastCheckpoint), []byte("hello"), 0o644); err != nil {
				t.Fatal(err)
			}
			return finetune(good, "--checkpoint", broken, "--resume")
		}, []string{"garbage/last.ckpt: not a gotl checkpoint"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			outDir := filepath.Join(t.TempDir(), "out")
			if err := os.Mkdir(outDir, 0o755); err != nil {
				t.Fatal(err)
			}
			args := append(c.args(t), "--out", filepath.Join(outDir, "result.json"))
			o := runTlkitIn(t, bin, cache, args...)
			wantFailure(t, c.name, o, c.wants, outDir)
		})
	}
}

// TestLongTextsAreReported fine-tunes on a file with texts longer than --max-tokens, and
// extracts features of the same texts: each run succeeds, with one warning line counting the
// truncated texts per split.
func TestLongTextsAreReported(t *testing.T) {
	if testing.Short() {
		t.Skip("runs tlkit")
	}
	bin := buildTlkit(t)
	cache := freshCache(t)
	dir := t.TempDir()
	trainPath := writeLines(t, dir, "train.txt", 40, 0)
	long := "good\t" + strings.Repeat("a wonderful, moving film ", 20000) + "\nbad " + strings.Repeat("the film ", 40) + "\n"
	raw, _ := os.ReadFile(trainPath)
	if err := os.WriteFile(trainPath, append(raw, long...), 0o644); err != nil {
		t.Fatal(err)
	}
	testPath := writeFile(t, dir, "test.txt", "good "+strings.Repeat("great ", 100)+"\nbad awful\n")
	out := filepath.Join(dir, "r.json")
	o := runTlkitIn(t, bin, cache, "finetune", "--encoder", cliGloVe, "--train", trainPath, "--test", testPath,
		"--max-steps", "2", "--batch", "4", "--max-tokens", "64", "--checkpoint", filepath.Join(dir, "ckpt"), "--out", out)
	if o.code != 0 {
		t.Fatalf("%v", o)
	}
	// 3 long texts of 44: 2 in train (or 1 in train and 1 in the carved dev split), 1 in test.
	for _, want := range []string{"warning: 3 of 44 texts (", "test 1) are longer than 64 tokens: they are truncated to their first 64 (raise --max-tokens"} {
		if !strings.Contains(o.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, o.stderr)
		}
	}
	if _, err := os.Stat(out); err != nil {
		t.Errorf("no result: %v", err)
	}
	logWarnings(t, o.stderr)

	// Features: the encoder's own limit (512 words for GloVe), which only the 100000-word
	// text reaches.
	o = runTlkitIn(t, bin, cache, "features", "--encoder", cliGloVe, "--train", trainPath, "--test", testPath, "--no-cache", "--out", out)
	if o.code != 0 {
		t.Fatalf("%v", o)
	}
	if want := "texts (training 1) reach the limit of glove-100d-3000, 512 tokens: longer texts are truncated to their first 512"; !strings.Contains(o.stderr, "warning: 1 of 44 "+want) &&
		!strings.Contains(o.stderr, "warning: 1 of 44 texts (dev 1) reach the limit") {
		t.Errorf("stderr lacks the truncation warning %q:\n%s", want, o.stderr)
	}
	logWarnings(t, o.stderr)
}

// logWarnings logs the warning lines of stderr.
func logWarnings(t *testing.T, stderr string) {
	t.Helper()
	for _, line := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(line, "warning:") {
			t.Logf("%s", line)
		}
	}
}

// tinyBERTDir saves a small random BERT (bert-base-uncased's vocabulary) in HuggingFace's
// format and returns its folder.
func tinyBERTDir(t *testing.T) string {
	t.Helper()
	tok, err := wordpiece.NewBertUncased()
	if err != nil {
		t.Skipf("bert-base-uncased vocabulary unavailable: %v", err)
	}
	cfg := bert.BaseConfig()
	cfg.HiddenSize, cfg.NumHiddenLayers, cfg.NumAttentionHeads, cfg.IntermediateSize = 32, 2, 2, 64
	cfg.MaxPositionEmbeddings = 64
	m, err := bert.New(cfg, tok.VocabPath(), 3)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "bert-tiny")
	if err := m.Save(dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

// editJSON rewrites the JSON object file at path with edit applied.
func editJSON(t *testing.T, path string, edit func(map[string]any)) {
	t.Helper()
	m := readJSONMap(t, path)
	edit(m)
	raw, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
}

// copyDir copies the regular files of from into the new folder to.
func copyDir(t *testing.T, from, to string) string {
	t.Helper()
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(to, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		raw, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return to
}
