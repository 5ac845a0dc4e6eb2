package data

import (
	"strings"
	"testing"
)

func TestCheckPairs(t *testing.T) {
	task := &TextClassification{Name: "p", Labels: []string{"a", "b"},
		Train: []Example{{Text: "x", TextB: "y"}}, Test: []Example{{Text: "x", TextB: "y"}, {Text: "z"}}}
	if err := task.CheckPairs(); err == nil || !strings.Contains(err.Error(), "test example 1") {
		t.Errorf("CheckPairs: err = %v, want one naming test example 1", err)
	}
	task.Test[1].TextB = "w"
	if err := task.CheckPairs(); err != nil {
		t.Errorf("complete pairs: %v", err)
	}
	if err := (&TextClassification{Train: []Example{{Text: "x"}}}).CheckPairs(); err != nil {
		t.Errorf("a single-text task: %v", err)
	}
}
