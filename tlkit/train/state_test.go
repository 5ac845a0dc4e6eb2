package train_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/nlp-transfer/gotl/tlkit/train"
)

// ReadCheckpointState returns the state saved with the variables, without a Store; a file that
// is not a checkpoint is an error.
func TestReadCheckpointState(t *testing.T) {
	store := model.NewStore()
	if _, err := store.CreateVariable("/w", tensors.FromValue([]float32{1, 2, 3})); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), train.LastCheckpoint)
	want := &train.State{Fingerprint: "fp", Step: 7, Epoch: 1, BatchInEpoch: 2,
		History: train.History{Loss: []float64{3, 2.5}, Best: -1}}
	if err := train.SaveCheckpoint(path, store, want); err != nil {
		t.Fatal(err)
	}
	got, err := train.ReadCheckpointState(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.Fingerprint != "fp" || got.Step != 7 || got.Epoch != 1 || got.BatchInEpoch != 2 || len(got.History.Loss) != 2 || got.Finished {
		t.Errorf("state %+v, want %+v", got, want)
	}
	bad := filepath.Join(t.TempDir(), "bad.ckpt")
	if err := os.WriteFile(bad, []byte("not a checkpoint"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := train.ReadCheckpointState(bad); err == nil {
		t.Error("a file that is not a checkpoint was read")
	}
	if _, err := train.ReadCheckpointState(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("a missing file gave no error")
	}
}
