package glove_test

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gomlx/compute"
	_ "github.com/gomlx/compute/gobackend" // Registers the pure-Go backend ("go").

	"github.com/nlp-transfer/gotl/internal/backend"
	"github.com/nlp-transfer/gotl/tlkit/glove"
)

// tinyWords and tinyVecs are a small vocabulary in frequency order, with 4-d vectors.
var (
	tinyWords = []string{"the", ",", ".", "good", "great", "bad", "king", "queen", "banana", "well-known", "cafe", "do", "ca"}
	tinyVecs  = [][]float32{
		{0.1, 0.1, 0.1, 0.1},   // the
		{0, 0.2, 0, 0},         // ,
		{0, 0, 0.3, 0},         // .
		{1, 0.9, 0, 0},         // good
		{0.9, 1, 0.1, 0},       // great
		{-1, -0.8, 0, 0},       // bad
		{0, 0, 1, 1},           // king
		{0, 0.1, 1, 0.9},       // queen
		{0.5, -0.5, -1, 0.25},  // banana
		{0.3, 0.3, 0.3, -0.3},  // well-known
		{-0.2, 0.4, 0.6, 0.8},  // cafe
		{0.25, 0.5, 0.75, 1},   // do
		{-0.25, 0.5, -0.75, 1}, // ca
	}
)

// winkJSON returns a wink-embeddings file of words and vecs, listing the vectors in the given
// order of word indices (nil: word order), each with its L2 norm and word index, as the real
// file does.
func winkJSON(t testing.TB, words []string, vecs [][]float32, order []int) []byte {
	t.Helper()
	dims := len(vecs[0])
	wordsJSON, err := json.Marshal(words)
	if err != nil {
		t.Fatal(err)
	}
	if order == nil {
		for i := range words {
			order = append(order, i)
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, `{"precision":8,"l2NormIndex":%d,"wordIndex":%d,"size":%d,"dimensions":%d,"words":%s,"vectors":{`,
		dims, dims+1, len(words), dims, wordsJSON)
	for k, i := range order {
		if k > 0 {
			b.WriteByte(',')
		}
		key, _ := json.Marshal(words[i])
		var sq float64
		vals := make([]string, 0, dims+2)
		for _, x := range vecs[i] {
			sq += float64(x) * float64(x)
			vals = append(vals, fmt.Sprint(x))
		}
		vals = append(vals, fmt.Sprint(math.Sqrt(sq)), fmt.Sprint(i))
		fmt.Fprintf(&b, "%s:[%s]", key, strings.Join(vals, ","))
	}
	b.WriteString(`},"unkVector":[0,0,0,0,0,-1]}`)
	return []byte(b.String())
}

// tinyVectors returns the first n tiny words parsed from their wink JSON.
func tinyVectors(t testing.TB, n int) *glove.Vectors {
	t.Helper()
	v, err := glove.ParseWink(strings.NewReader(string(winkJSON(t, tinyWords, tinyVecs, nil))), n)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// writeFile writes data to dir/name, creating dir.
func writeFile(t testing.TB, dir, name string, data []byte) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// testBackend returns the process's one GoMLX backend, gotl's choice.
func testBackend(t testing.TB) compute.Backend {
	t.Helper()
	b, err := backend.Get()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// near reports whether a and b differ by at most tol everywhere.
func near(a, b []float32, tol float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(float64(a[i])-float64(b[i])) > tol {
			return false
		}
	}
	return true
}
