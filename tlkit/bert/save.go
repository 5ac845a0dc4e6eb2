package bert

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/gomlx/gomlx/core/tensors"
	"github.com/nlp-transfer/gotl/internal/atomicfile"
	"github.com/nlp-transfer/gotl/tlkit/safetensors"
)

// Save writes the model as a HuggingFace BERT checkpoint directory that Load (and HuggingFace's
// BertModel.from_pretrained) reads back:
//
//   - config.json: Config, with model_type "bert" and architectures ["BertModel"];
//   - model.safetensors: F32 weights named with the "bert." prefix, as the BertFor* task models
//     and the Hub's bert-base-uncased name them ("bert.embeddings.word_embeddings.weight",
//     "bert.encoder.layer.0.attention.self.query.weight", ...; dense weights [out, in]), so the
//     file also loads into a BertForSequenceClassification; metadata {"format": "pt"};
//   - vocab.txt and tokenizer_config.json (do_lower_case, model_max_length).
//
// A model with a masked-language-model head (HasMLMHead) also saves it, named as
// BertForMaskedLM does ("cls.predictions.transform.dense.weight", ..., "cls.predictions.bias";
// the decoder is tied to the word embeddings and not saved), with architectures
// ["BertForMaskedLM"].
//
// It saves the variables' current values in the Store, so a fine-tuned model saves its trained
// weights. When dir does not exist, the files are written into a temporary directory beside it,
// renamed to dir at the end; when dir exists, each file is written to a temporary file in dir
// and all are renamed into place once all are written. Either way a failed Save leaves no
// partial checkpoint behind.
func (m *Model) Save(dir string) (err error) {
	files, err := m.checkpointFiles()
	if err != nil {
		return fmt.Errorf("saving BERT to %s: %w", dir, err)
	}
	info, statErr := os.Stat(dir)
	switch {
	case statErr == nil && !info.IsDir():
		return fmt.Errorf("saving BERT to %s: it exists and is not a directory", dir)
	case statErr == nil:
		if err := writeFilesInto(dir, files); err != nil {
			return fmt.Errorf("saving BERT to %s: %w", dir, err)
		}
		return nil
	case !errors.Is(statErr, fs.ErrNotExist):
		return fmt.Errorf("saving BERT: %w", statErr)
	}

	parent := filepath.Dir(filepath.Clean(dir))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("saving BERT to %s: %w", dir, err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".tmp-*")
	if err != nil {
		return fmt.Errorf("saving BERT to %s: %w", dir, err)
	}
	defer func() {
		if err != nil {
			_ = os.RemoveAll(tmp)
		}
	}()
	if err = os.Chmod(tmp, 0o755); err != nil { // MkdirTemp makes 0700 directories.
		return fmt.Errorf("saving BERT to %s: %w", dir, err)
	}
	if err = writeFilesInto(tmp, files); err != nil {
		return fmt.Errorf("saving BERT to %s: %w", dir, err)
	}
	if err = os.Rename(tmp, filepath.Clean(dir)); err != nil {
		return fmt.Errorf("saving BERT to %s: %w", dir, err)
	}
	return nil
}

// checkpointFile is one file of a checkpoint: its name and a function writing it to a path.
type checkpointFile struct {
	name  string
	write func(path string) error
}

// specTensors returns the variables of specs as HuggingFace tensors, named prefix + hf and
// transposed back to PyTorch's [out, in] where the spec says so. missing ends the error for
// a variable the Store lacks.
func (m *Model) specTensors(specs []weightSpec, prefix, missing string) ([]safetensors.Tensor, error) {
	var out []safetensors.Tensor
	for _, s := range specs {
		v := m.store.GetVariable(s.path)
		if v == nil {
			return nil, fmt.Errorf("the Store has no variable %s%s", s.path, missing)
		}
		value, err := v.Value()
		if err != nil {
			return nil, fmt.Errorf("variable %s: %w", s.path, err)
		}
		data, err := tensors.CopyFlatData[float32](value)
		if err != nil {
			return nil, fmt.Errorf("variable %s: %w", s.path, err)
		}
		if got := value.Shape().Dimensions; len(got) != len(s.shape) || len(data) != numElements(s.shape) {
			return nil, fmt.Errorf("variable %s has shape %v, want %v", s.path, got, s.shape)
		}
		if s.transpose {
			data = transpose(data, s.shape[0], s.shape[1])
		}
		out = append(out, safetensors.Tensor{Name: prefix + s.hf, Shape: s.hfShape(), Data: data})
	}
	return out, nil
}

// checkpointFiles gathers the current weights and the files Save writes.
func (m *Model) checkpointFiles() ([]checkpointFile, error) {
	weights, err := m.specTensors(weightSpecs(m.cfg), hfPrefix, "")
	if err != nil {
		return nil, err
	}
	mlm, err := m.mlmTensors()
	if err != nil {
		return nil, err
	}
	weights = append(weights, mlm...)
	config, err := configJSON(m.cfg)
	if err == nil {
		config, err = m.withMLMArchitecture(config)
	}
	if err != nil {
		return nil, err
	}
	tokConfig, err := json.MarshalIndent(map[string]any{
		"do_lower_case":    !m.cfg.Cased,
		"model_max_length": m.MaxTokens(),
		"tokenizer_class":  "BertTokenizer",
	}, "", "  ")
	if err != nil {
		return nil, err
	}
	return []checkpointFile{
		{ConfigFile, func(p string) error { return atomicfile.WriteFile(p, append(config, '\n')) }},
		{TokenizerConfigFile, func(p string) error { return atomicfile.WriteFile(p, append(tokConfig, '\n')) }},
		{VocabFile, func(p string) error { return atomicfile.WriteFile(p, m.vocab) }},
		{WeightsFile, func(p string) error {
			return safetensors.Write(p, weights, map[string]string{"format": "pt"})
		}},
	}, nil
}

// numElements returns the product of the dimensions.
func numElements(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

// writeFilesInto writes files to temporary names in dir, then renames them all into place;
// on error the temporary files are removed and the existing files are left untouched.
func writeFilesInto(dir string, files []checkpointFile) (err error) {
	stage, err := os.MkdirTemp(dir, ".bert-save-*")
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(stage) }()
	for _, f := range files {
		if err := f.write(filepath.Join(stage, f.name)); err != nil {
			return err
		}
	}
	for _, f := range files {
		if err := os.Rename(filepath.Join(stage, f.name), filepath.Join(dir, f.name)); err != nil {
			return err
		}
	}
	return nil
}
