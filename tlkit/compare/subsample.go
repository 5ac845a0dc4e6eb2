package compare

import (
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"slices"
	"sort"

	"github.com/nlp-transfer/gotl/data"
	"github.com/nlp-transfer/gotl/internal/cachefile"
)

// Subsample returns a copy of task whose train split keeps n of its examples, stratified by
// label and chosen with seed; dev and test are task's (shared, not copied). It is
// deterministic: the same task, n and seed give the same examples, in their order in
// task.Train. n at or above len(task.Train) keeps the whole train split.
//
// Each label keeps its share of n (largest remainders, and at least one example of every
// label when n allows), and with the same seed a larger n keeps a superset of a smaller n's
// examples (up to rounding of the shares), so points of a learning curve differ only by the
// added examples.
func Subsample(task *data.TextClassification, n int, seed int64) *data.TextClassification {
	out := *task
	if n >= len(task.Train) {
		out.Train = task.Train
		return &out
	}
	n = max(n, 0)
	byLabel := map[int][]int{}
	for i, ex := range task.Train {
		byLabel[ex.Label] = append(byLabel[ex.Label], i)
	}
	labels := make([]int, 0, len(byLabel))
	for l := range byLabel {
		labels = append(labels, l)
	}
	sort.Ints(labels)
	quota := stratumQuotas(labels, byLabel, len(task.Train), n)
	rng := rand.New(rand.NewPCG(uint64(seed), 0x5eed5b5a3b1e))
	var keep []int
	for _, l := range labels {
		idx := append([]int(nil), byLabel[l]...)
		for i := len(idx) - 1; i > 0; i-- {
			j := rng.IntN(i + 1)
			idx[i], idx[j] = idx[j], idx[i]
		}
		keep = append(keep, idx[:quota[l]]...)
	}
	slices.Sort(keep)
	out.Train = make([]data.Example, len(keep))
	for i, j := range keep {
		out.Train[i] = task.Train[j]
	}
	return &out
}

// stratumQuotas splits n among labels in proportion to their counts (of total), by largest
// remainders (ties to the smaller label), giving each label at least one when n ≥ the number
// of labels, and never more than a label has.
func stratumQuotas(labels []int, byLabel map[int][]int, total, n int) map[int]int {
	quota := make(map[int]int, len(labels))
	type rem struct {
		label int
		frac  float64
	}
	var rems []rem
	assigned := 0
	for _, l := range labels {
		exact := float64(n) * float64(len(byLabel[l])) / float64(total)
		q := int(exact)
		if q == 0 && n >= len(labels) {
			q = 1
		}
		q = min(q, len(byLabel[l]))
		quota[l] = q
		assigned += q
		rems = append(rems, rem{l, exact - float64(int(exact))})
	}
	sort.SliceStable(rems, func(a, b int) bool { return rems[a].frac > rems[b].frac })
	for assigned < n {
		progressed := false
		for _, r := range rems {
			if assigned == n {
				break
			}
			if quota[r.label] < len(byLabel[r.label]) {
				quota[r.label]++
				assigned++
				progressed = true
			}
		}
		if !progressed {
			break
		}
	}
	for assigned > n { // The at-least-one rule overshot: take from the largest quotas.
		largest := labels[0]
		for _, l := range labels {
			if quota[l] > quota[largest] {
				largest = l
			}
		}
		quota[largest]--
		assigned--
	}
	return quota
}

// taskFingerprint returns a hex sha256 of task's name, labels and every example of every
// split, naming the task's data in saved results.
func taskFingerprint(task *data.TextClassification) string {
	h := sha256.New()
	cachefile.HashString(h, task.Name)
	cachefile.HashUint(h, uint64(len(task.Labels)))
	for _, l := range task.Labels {
		cachefile.HashString(h, l)
	}
	for _, split := range [][]data.Example{task.Train, task.Dev, task.Test} {
		cachefile.HashUint(h, uint64(len(split)))
		for _, ex := range split {
			cachefile.HashUint(h, uint64(ex.Label))
			cachefile.HashString(h, ex.Text)
			if ex.TextB != "" { // Hashed only in pair tasks: single-text keys stay as they were.
				cachefile.HashString(h, ex.TextB)
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}
