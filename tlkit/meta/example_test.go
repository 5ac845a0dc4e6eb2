package meta_test

import (
	"fmt"

	"github.com/nlp-transfer/gotl/tlkit/meta"
)

// Episodes from disjoint class sets: classes are split by domain, and a sampler draws the
// same episodes for the same seed.
func ExampleSampler() {
	var names, domains, texts []string
	var labels []int
	var features [][]float32
	for c, name := range []string{"book_flight", "car_rental", "play_music", "set_alarm", "timer", "weather",
		"balance", "transfer", "pay_bill"} {
		names, domains = append(names, name), append(domains, []string{"travel", "home", "banking"}[c/3])
		for i := range 4 {
			texts, labels = append(texts, fmt.Sprintf("%s #%d", name, i)), append(labels, c)
			features = append(features, []float32{float32(c), float32(i)})
		}
	}
	ds, err := meta.NewDataset("toy", names, domains, texts, labels, features)
	if err != nil {
		panic(err)
	}
	split, err := meta.DomainSplit(ds, []string{"home"}, []string{"banking"})
	if err != nil {
		panic(err)
	}
	fmt.Println(split)
	sampler, err := meta.NewSampler(ds, split.Test, meta.Spec{Ways: 2, Shots: 1, Queries: 2}, 7)
	if err != nil {
		panic(err)
	}
	e := sampler.Episode(0)
	fmt.Println(e.Spec, "classes:", ds.ClassNames(e.Classes))
	fmt.Println("support:", len(e.Support), "queries:", len(e.Query), "query labels:", e.QueryLabels)
	fmt.Println("same episode again:", fmt.Sprint(sampler.Episode(0)) == fmt.Sprint(e))
	fmt.Println(meta.NewScore([]float64{0.8, 0.9, 1, 0.9}))
	// Output:
	// meta-train 3 classes (travel); meta-val 3 classes (home); meta-test 3 classes (banking)
	// 2-way 1-shot (2 queries) classes: [transfer balance]
	// support: 2 queries: 4 query labels: [0 0 1 1]
	// same episode again: true
	// 90.00 ± 8.00% (4 episodes)
}
