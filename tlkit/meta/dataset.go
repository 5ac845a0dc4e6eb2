package meta

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"

	"github.com/nlp-transfer/gotl/data"
)

// Class is one class of a Dataset: its name, its domain and its examples.
type Class struct {
	// Name is the class name (e.g. an intent).
	Name string
	// Domain is the class's domain ("" when the data has none).
	Domain string
	// Examples are the indices of the class's examples in Dataset.Texts.
	Examples []int
}

// Dataset is a set of labelled texts grouped into classes, with one feature vector a text,
// from which a Sampler draws episodes. Its examples are stored class by class: the examples
// of class 0 first, then those of class 1, and so on.
type Dataset struct {
	// Name names the data, e.g. "clinc150".
	Name string
	// Classes are the classes, in a fixed order.
	Classes []Class
	// Texts and Labels are the examples: Labels[i] is the class of Texts[i].
	Texts  []string
	Labels []int
	// Features holds one vector a text (all of the same width), set by SetFeatures; nil
	// until then.
	Features [][]float32
}

// FromIntents returns the in-scope examples of an intent dataset (train, dev and test
// together: in meta-learning the classes, not the examples, are split) as a Dataset with one
// class an intent, in d.Intents order, each with its domain. perClass > 0 keeps the first
// perClass examples of each intent (train first, then dev, then test): a smaller, quicker
// dataset; 0 keeps them all.
func FromIntents(d *data.IntentClassification, perClass int) (*Dataset, error) {
	if perClass < 0 {
		return nil, fmt.Errorf("meta: %d examples per class; want 0 (all) or more", perClass)
	}
	domainOf := make(map[string]string)
	for domain, intents := range d.Domains {
		for _, intent := range intents {
			domainOf[intent] = domain
		}
	}
	index := make(map[string]int, len(d.Intents))
	byIntent := make([][]string, len(d.Intents))
	for i, intent := range d.Intents {
		index[intent] = i
	}
	for _, split := range [][]data.IntentExample{d.Train, d.Dev, d.Test} {
		for _, ex := range split {
			c, ok := index[ex.Intent]
			if !ok {
				return nil, fmt.Errorf("meta: %s example %q has intent %q, not in its intent list", d.Name, ex.Text, ex.Intent)
			}
			if perClass == 0 || len(byIntent[c]) < perClass {
				byIntent[c] = append(byIntent[c], ex.Text)
			}
		}
	}
	ds := &Dataset{Name: d.Name}
	for c, intent := range d.Intents {
		class := Class{Name: intent, Domain: domainOf[intent]}
		for _, text := range byIntent[c] {
			class.Examples = append(class.Examples, len(ds.Texts))
			ds.Texts = append(ds.Texts, text)
			ds.Labels = append(ds.Labels, c)
		}
		ds.Classes = append(ds.Classes, class)
	}
	return ds, nil
}

// NewDataset builds a Dataset from texts, their class labels (indices into classNames) and
// the classes' domains (nil: no domains); examples are reordered class by class, keeping
// their order within a class. features, if not nil, are the texts' vectors, in the same
// (input) order.
func NewDataset(name string, classNames, domains []string, texts []string, labels []int, features [][]float32) (*Dataset, error) {
	if len(texts) != len(labels) || (features != nil && len(features) != len(texts)) {
		return nil, fmt.Errorf("meta: dataset %s has %d texts, %d labels and %d feature vectors; want as many of each",
			name, len(texts), len(labels), len(features))
	}
	if domains != nil && len(domains) != len(classNames) {
		return nil, fmt.Errorf("meta: dataset %s has %d classes and %d domains; want one domain a class", name, len(classNames), len(domains))
	}
	byClass := make([][]int, len(classNames))
	for i, y := range labels {
		if y < 0 || y >= len(classNames) {
			return nil, fmt.Errorf("meta: dataset %s: example %d has label %d, outside [0, %d)", name, i, y, len(classNames))
		}
		byClass[y] = append(byClass[y], i)
	}
	ds := &Dataset{Name: name}
	var feats [][]float32
	for c, members := range byClass {
		class := Class{Name: classNames[c]}
		if domains != nil {
			class.Domain = domains[c]
		}
		for _, i := range members {
			class.Examples = append(class.Examples, len(ds.Texts))
			ds.Texts = append(ds.Texts, texts[i])
			ds.Labels = append(ds.Labels, c)
			if features != nil {
				feats = append(feats, features[i])
			}
		}
		ds.Classes = append(ds.Classes, class)
	}
	if features != nil {
		if err := ds.SetFeatures(feats); err != nil {
			return nil, err
		}
	}
	return ds, nil
}

// SetFeatures sets the feature vectors, one a text in Texts order (e.g.
// probe.ExtractFeatures(enc, ds.Texts, ...)). They must all have the same, positive width
// and hold finite values.
func (ds *Dataset) SetFeatures(features [][]float32) error {
	if len(features) != len(ds.Texts) {
		return fmt.Errorf("meta: %d feature vectors for the %d texts of %s", len(features), len(ds.Texts), ds.Name)
	}
	if len(features) > 0 && len(features[0]) == 0 {
		return fmt.Errorf("meta: the feature vectors of %s are empty", ds.Name)
	}
	for i, f := range features {
		if len(f) != len(features[0]) {
			return fmt.Errorf("meta: feature vector %d of %s has %d values, vector 0 has %d", i, ds.Name, len(f), len(features[0]))
		}
		for _, v := range f {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return fmt.Errorf("meta: feature vector %d of %s holds %g", i, ds.Name, v)
			}
		}
	}
	ds.Features = features
	return nil
}

// Dim returns the width of the feature vectors (0 before SetFeatures).
func (ds *Dataset) Dim() int {
	if len(ds.Features) == 0 {
		return 0
	}
	return len(ds.Features[0])
}

// ClassNames returns the names of the given classes.
func (ds *Dataset) ClassNames(classes []int) []string {
	names := make([]string, len(classes))
	for i, c := range classes {
		names[i] = ds.Classes[c].Name
	}
	return names
}

// AllClasses returns every class index, 0 to len(Classes)-1: a cross-dataset test uses all
// the classes of a dataset never seen in meta-training.
func (ds *Dataset) AllClasses() []int {
	all := make([]int, len(ds.Classes))
	for i := range all {
		all[i] = i
	}
	return all
}

// String summarises the dataset in one line.
func (ds *Dataset) String() string {
	minN, maxN := 0, 0
	for i, c := range ds.Classes {
		if i == 0 || len(c.Examples) < minN {
			minN = len(c.Examples)
		}
		maxN = max(maxN, len(c.Examples))
	}
	return fmt.Sprintf("%s: %d classes, %d examples (%d to %d a class)", ds.Name, len(ds.Classes), len(ds.Texts), minN, maxN)
}

// Fingerprint returns a hex sha256 of the given classes of ds: their names and their
// examples' texts and features, in order.
func (ds *Dataset) Fingerprint(classes []int) string {
	h := sha256.New()
	var buf [4]byte
	for _, c := range classes {
		fmt.Fprintf(h, "%d %q\n", c, ds.Classes[c].Name)
		for _, i := range ds.Classes[c].Examples {
			fmt.Fprintf(h, "%q\n", ds.Texts[i])
			if ds.Features != nil {
				for _, v := range ds.Features[i] {
					binary.LittleEndian.PutUint32(buf[:], math.Float32bits(v))
					h.Write(buf[:])
				}
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}
