package multitask

import (
	"fmt"
	"html"
	"strings"

	"github.com/nlp-transfer/gotl/tlkit/metrics"
)

// entityColors are the background colors of entity types in HighlightHTML: the CoNLL types
// get fixed colors, other types one of spareColors picked by a hash of their name.
var entityColors = map[string]string{"PER": "#fbb4ae", "ORG": "#b3cde3", "LOC": "#ccebc5", "MISC": "#decbe4"}

var spareColors = []string{"#fed9a6", "#ffffcc", "#e5d8bd", "#fddaec", "#f2f2f2"}

// colorOf returns the background color of an entity type.
func colorOf(typ string) string {
	if c, ok := entityColors[typ]; ok {
		return c
	}
	h := 0
	for _, r := range typ {
		h = h*31 + int(r)
	}
	return spareColors[(h%len(spareColors)+len(spareColors))%len(spareColors)]
}

// HighlightHTML returns the words as an HTML fragment in which each entity of tags (IOB1 or
// IOB2, decoded as metrics.Entities does) is a colored box labelled with its type. With gold
// tags given (not nil), a predicted entity that is not exactly a gold one is outlined in red,
// and a missed gold entity is struck through in the text. Malformed tags show as plain
// words. Notebooks display it with gonbui.DisplayHTML.
func HighlightHTML(words, tags, gold []string) string {
	pred, _ := metrics.Entities(tags)
	var goldSet map[metrics.Entity]bool
	missed := map[int]bool{}
	if gold != nil {
		g, _ := metrics.Entities(gold)
		goldSet = map[metrics.Entity]bool{}
		for _, e := range g {
			goldSet[e] = true
		}
		predSet := map[metrics.Entity]bool{}
		for _, e := range pred {
			predSet[e] = true
		}
		for _, e := range g {
			if !predSet[e] {
				for i := e.Start; i < e.End; i++ {
					missed[i] = true
				}
			}
		}
	}
	var b strings.Builder
	word := func(i int) string {
		w := html.EscapeString(words[i])
		if missed[i] {
			return `<s title="missed gold entity">` + w + `</s>`
		}
		return w
	}
	next := 0
	for i := 0; i < len(words); {
		if next < len(pred) && pred[next].Start == i {
			e := pred[next]
			border := "transparent"
			if goldSet != nil && !goldSet[e] {
				border = "#d62728"
			}
			fmt.Fprintf(&b, `<span style="background:%s;border:2px solid %s;border-radius:4px;padding:0 3px;margin:0 1px">`,
				colorOf(e.Type), border)
			for j := e.Start; j < e.End; j++ {
				if j > e.Start {
					b.WriteByte(' ')
				}
				b.WriteString(word(j))
			}
			fmt.Fprintf(&b, ` <sub style="font-size:70%%;font-weight:bold">%s</sub></span> `, html.EscapeString(e.Type))
			i = e.End
			next++
			continue
		}
		b.WriteString(word(i))
		b.WriteByte(' ')
		i++
	}
	return strings.TrimSpace(b.String())
}
