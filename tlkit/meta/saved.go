package meta

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/nlp-transfer/gotl/internal/atomicfile"
)

// evaluateSaved scores l on opts.TestEpisodes episodes of s, or reads the score saved by an
// earlier identical evaluation (same Learner key, test data and episodes: testKey) under
// opts.CheckpointDir/scores; a new score is saved there. Without checkpoints it only
// evaluates.
func evaluateSaved(l *Learner, s *Sampler, testKey string, opts Options) (Score, error) {
	var path string
	if opts.checkpoints() {
		sum := sha256.Sum256([]byte(fmt.Sprintf("%s %s %d", l.Key(), testKey, opts.TestEpisodes)))
		path = filepath.Join(opts.CheckpointDir, "scores", hex.EncodeToString(sum[:16])+".json")
		var saved Score
		if raw, err := os.ReadFile(path); err == nil && json.Unmarshal(raw, &saved) == nil && len(saved.PerEpisode) == opts.TestEpisodes {
			return saved, nil
		}
	}
	score, err := l.Evaluate(s, opts.TestEpisodes)
	if err != nil || path == "" {
		return score, err
	}
	raw, err := json.Marshal(score)
	if err == nil {
		err = os.MkdirAll(filepath.Dir(path), 0o755)
	}
	if err == nil {
		err = atomicfile.WriteFile(path, raw)
	}
	if err != nil {
		return score, fmt.Errorf("saving the score: %w", err)
	}
	return score, nil
}
