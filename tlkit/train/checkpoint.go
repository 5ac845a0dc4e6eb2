package train

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// Checkpoint file names inside a Trainer's checkpoint directory.
const (
	// BestCheckpoint holds the variables at the best evaluation so far (or, without
	// evaluation, at the end of training).
	BestCheckpoint = "best.ckpt"
	// LastCheckpoint holds the variables and loop state at the latest save: an epoch's end,
	// an interruption, or the end of training. Resuming starts from it.
	LastCheckpoint = "last.ckpt"
)

// checkpointMagic starts every checkpoint file.
const checkpointMagic = "GOTL-CKPT-1\n"

// State is the loop's host-side state, saved in checkpoints with the variables.
type State struct {
	// Fingerprint identifies the run's configuration: resuming with another one is an error.
	Fingerprint string
	// Step is the number of training steps done; Epoch the current epoch (0-based) and
	// BatchInEpoch the number of its batches done.
	Step, Epoch, BatchInEpoch int
	// EvalsSinceBest counts the evaluations since the best one (for early stopping).
	EvalsSinceBest int
	// Finished is set once the run is over (all steps done, or stopped early).
	Finished bool
	// History is the run's history so far.
	History History
}

// checkpointHeader is the JSON header of a checkpoint file.
type checkpointHeader struct {
	State     State
	Variables []savedVariable
}

// savedVariable describes one variable's raw data in a checkpoint file.
type savedVariable struct {
	Path       string
	DType      string
	DTypeID    int32
	Dimensions []int
	Bytes      int
	Trainable  bool
}

// SaveCheckpoint writes every variable of store (values and shapes, optimizer moments and
// the random-number state included) and state to path, atomically: it writes a temporary
// file in the same folder and renames it, so path is always either the old or the new
// checkpoint, never half-written.
func SaveCheckpoint(path string, store *model.Store, state *State) error {
	header := checkpointHeader{State: *state}
	var vars []*model.Variable
	for v := range store.IterVariables() {
		if !v.HasValue() {
			continue
		}
		vars = append(vars, v)
	}
	slices.SortFunc(vars, func(a, b *model.Variable) int {
		switch {
		case a.Path() < b.Path():
			return -1
		case a.Path() > b.Path():
			return 1
		}
		return 0
	})
	for _, v := range vars {
		s := v.Shape()
		header.Variables = append(header.Variables, savedVariable{Path: v.Path(), DType: s.DType.String(),
			DTypeID: int32(s.DType), Dimensions: slices.Clone(s.Dimensions), Bytes: int(s.ByteSize()), Trainable: v.Trainable})
	}
	headerJSON, err := json.Marshal(header)
	if err != nil {
		return fmt.Errorf("checkpoint %s: encoding the header: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("checkpoint %s: %w", path, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("checkpoint %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // No-op after the rename.
	w := bufio.NewWriterSize(tmp, 1<<20)
	_, _ = w.WriteString(checkpointMagic)
	_ = binary.Write(w, binary.LittleEndian, uint64(len(headerJSON)))
	_, _ = w.Write(headerJSON)
	for _, v := range vars {
		value, err := v.Value()
		if err != nil {
			_ = tmp.Close()
			return fmt.Errorf("checkpoint %s: reading variable %s: %w", path, v.Path(), err)
		}
		var werr error
		if err := value.ConstBytes(func(data []byte) { _, werr = w.Write(data) }); err != nil {
			_ = tmp.Close()
			return fmt.Errorf("checkpoint %s: reading variable %s: %w", path, v.Path(), err)
		}
		if werr != nil {
			_ = tmp.Close()
			return fmt.Errorf("checkpoint %s: %w", path, werr)
		}
	}
	if err := w.Flush(); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("checkpoint %s: %w", path, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("checkpoint %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("checkpoint %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("checkpoint %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("checkpoint %s: %w", path, err)
	}
	return nil
}

// LoadCheckpoint reads a checkpoint written by SaveCheckpoint into store and returns its
// state. A variable of the file already in store must have the same shape and gets the saved
// value (its trainable flag is left alone); one not in store is created, not trainable (the
// optimizer's moments, the random-number state).
func LoadCheckpoint(path string, store *model.Store) (*State, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("loading checkpoint: %w", err)
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<20)
	header, err := readCheckpointHeader(path, r)
	if err != nil {
		return nil, err
	}
	// Read every value first, so that a truncated file changes nothing in store.
	values := make([]*tensors.Tensor, len(header.Variables))
	for i, sv := range header.Variables {
		shape := shapes.Make(dtypes.DType(sv.DTypeID), sv.Dimensions...)
		if int(shape.ByteSize()) != sv.Bytes {
			return nil, fmt.Errorf("checkpoint %s: variable %s: %d bytes for shape %s", path, sv.Path, sv.Bytes, shape)
		}
		if v := store.GetVariable(sv.Path); v != nil && !v.Shape().Equal(shape) {
			return nil, fmt.Errorf("checkpoint %s: variable %s is %s in the checkpoint but %s in the model (a checkpoint of another model?)",
				path, sv.Path, shape, v.Shape())
		}
		t := tensors.FromShape(shape)
		var rerr error
		if err := t.MutableBytes(func(data []byte) { _, rerr = io.ReadFull(r, data) }); err != nil {
			return nil, fmt.Errorf("checkpoint %s: variable %s: %w", path, sv.Path, err)
		}
		if rerr != nil {
			if errors.Is(rerr, io.ErrUnexpectedEOF) || errors.Is(rerr, io.EOF) {
				rerr = fmt.Errorf("file truncated: %w", rerr)
			}
			return nil, fmt.Errorf("checkpoint %s: variable %s: %w", path, sv.Path, rerr)
		}
		values[i] = t
	}
	for i, sv := range header.Variables {
		v := store.GetVariable(sv.Path)
		if v == nil {
			if v, err = store.CreateVariable(sv.Path, values[i]); err != nil {
				return nil, fmt.Errorf("checkpoint %s: %w", path, err)
			}
			v.SetTrainable(false)
			continue
		}
		if err := v.SetValue(values[i]); err != nil {
			return nil, fmt.Errorf("checkpoint %s: setting %s: %w", path, sv.Path, err)
		}
	}
	return &header.State, nil
}
