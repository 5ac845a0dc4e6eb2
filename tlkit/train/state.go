package train

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"os"
)

// ReadCheckpointState returns the loop state saved in the checkpoint at path (its step,
// epoch, history and whether the run finished) without reading the variables. A caller whose
// batches depend on the step (e.g. masking seeded by the step) uses it to know where a resumed
// run starts: Trainer.Run resumes from the State of LastCheckpoint.
func ReadCheckpointState(path string) (*State, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading checkpoint state: %w", err)
	}
	defer f.Close()
	header, err := readCheckpointHeader(path, bufio.NewReader(f))
	if err != nil {
		return nil, err
	}
	return &header.State, nil
}

// readCheckpointHeader reads the magic string and the JSON header of the checkpoint at path
// from r, leaving r at the first variable's bytes.
func readCheckpointHeader(path string, r io.Reader) (*checkpointHeader, error) {
	magic := make([]byte, len(checkpointMagic))
	if _, err := io.ReadFull(r, magic); err != nil || !bytes.Equal(magic, []byte(checkpointMagic)) {
		return nil, fmt.Errorf("checkpoint %s: not a gotl checkpoint (delete it to start over)", path)
	}
	var headerLen uint64
	if err := binary.Read(r, binary.LittleEndian, &headerLen); err != nil || headerLen > 1<<30 {
		return nil, fmt.Errorf("checkpoint %s: bad header length (the file is corrupt: delete it)", path)
	}
	headerJSON := make([]byte, headerLen)
	if _, err := io.ReadFull(r, headerJSON); err != nil {
		return nil, fmt.Errorf("checkpoint %s: reading the header: %w", path, err)
	}
	var header checkpointHeader
	if err := json.Unmarshal(headerJSON, &header); err != nil {
		return nil, fmt.Errorf("checkpoint %s: decoding the header: %w", path, err)
	}
	return &header, nil
}
