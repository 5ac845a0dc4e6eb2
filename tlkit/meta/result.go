package meta

import "fmt"

// Test is one test set of a Result: episodes of classes that meta-training never saw.
type Test struct {
	// Name names the test, e.g. "clinc150 unseen domains" or "banking77".
	Name string
	// Sampler draws its episodes (episode i is the same for every method).
	Sampler *Sampler
	// Scores holds each method's score, in Result.Methods order (empty without test
	// episodes).
	Scores []Score
}

// key identifies the test's episodes and data, for the saved scores.
func (t Test) key() string {
	s := t.Sampler
	return fmt.Sprintf("%s %s seed %d data %s", t.Name, s.Spec(), s.Seed(), s.Dataset().Fingerprint(s.Classes()))
}

// Result is the outcome of Run.
type Result struct {
	// Spec is the episode shape of the tests.
	Spec Spec
	// Source is the meta-learning data and Split its division into meta-train, -validation
	// and -test classes.
	Source *Dataset
	Split  Split
	// Methods are the methods, and Learners their trained learners, in the same order.
	Methods  []Method
	Learners []*Learner
	// Tests are the test sets: the source's meta-test classes, then each target dataset.
	Tests []Test
	// Seconds is the wall time of each method's training (0 for a restored one, almost 0 for
	// the baselines).
	Seconds []float64
}

// Score returns method m's score on the test named test, and whether there is one.
func (r *Result) Score(m Method, test string) (Score, bool) {
	for _, t := range r.Tests {
		if t.Name != test {
			continue
		}
		for i, mm := range r.Methods {
			if mm == m && i < len(t.Scores) {
				return t.Scores[i], true
			}
		}
	}
	return Score{}, false
}

// Best returns the method with the highest mean accuracy on test t (an index into Tests);
// the first method when the test was not run.
func (r *Result) Best(t int) Method {
	best := 0
	for i, s := range r.Tests[t].Scores {
		if s.Mean > r.Tests[t].Scores[best].Mean {
			best = i
		}
	}
	return r.Methods[best]
}
