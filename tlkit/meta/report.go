package meta

import (
	"fmt"
	"html"
	"strings"
)

// Markdown returns the scores as a Markdown table: one row a method, one column a test set,
// each cell the mean accuracy ± its 95% confidence interval, in percent.
func (r *Result) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "| %s |", r.Spec)
	for _, t := range r.Tests {
		fmt.Fprintf(&b, " %s |", t.Name)
	}
	b.WriteString("\n|---|")
	for range r.Tests {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for i, m := range r.Methods {
		fmt.Fprintf(&b, "| %s |", m.Title())
		for _, t := range r.Tests {
			if i < len(t.Scores) {
				fmt.Fprintf(&b, " %s |", t.Scores[i].Percent())
			} else {
				b.WriteString(" – |")
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// EpisodeHTML renders episode i of test set t (an index into Tests) as HTML: the support
// examples of each way, then every query with its intent and each method's prediction
// (green when right, red when wrong), for a notebook (gonbui.DisplayHTML).
func (r *Result) EpisodeHTML(t, i int) (string, error) {
	if t < 0 || t >= len(r.Tests) {
		return "", fmt.Errorf("EpisodeHTML: test %d of %d", t, len(r.Tests))
	}
	test := r.Tests[t]
	ds := test.Sampler.Dataset()
	e := test.Sampler.Episode(i)
	preds := make([]Prediction, len(r.Learners))
	for m, l := range r.Learners {
		p, err := l.Predict(ds, []Episode{e})
		if err != nil {
			return "", fmt.Errorf("EpisodeHTML: %w", err)
		}
		preds[m] = p[0]
	}
	esc := html.EscapeString
	var b strings.Builder
	fmt.Fprintf(&b, "<h4>%s, episode %d: %s</h4>\n<table>\n<tr><th>way</th><th>intent</th><th>support examples</th></tr>\n",
		esc(test.Name), i, esc(e.Spec.String()))
	for w, c := range e.Classes {
		var texts []string
		for k, j := range e.Support {
			if e.SupportLabels[k] == w {
				texts = append(texts, "“"+esc(ds.Texts[j])+"”")
			}
		}
		fmt.Fprintf(&b, "<tr><td>%d</td><td><b>%s</b></td><td style=\"text-align:left\">%s</td></tr>\n",
			w, esc(ds.Classes[c].Name), strings.Join(texts, "<br>"))
	}
	b.WriteString("</table>\n<table>\n<tr><th>query</th><th>intent</th>")
	for _, m := range r.Methods {
		fmt.Fprintf(&b, "<th>%s</th>", esc(m.Title()))
	}
	b.WriteString("</tr>\n")
	for q, j := range e.Query {
		gold := e.QueryLabels[q]
		fmt.Fprintf(&b, "<tr><td style=\"text-align:left\">%s</td><td>%s</td>", esc(ds.Texts[j]), esc(ds.Classes[e.Classes[gold]].Name))
		for m := range r.Methods {
			got := preds[m].Labels[q]
			color := "#1a7f37"
			if got != gold {
				color = "#cf222e"
			}
			fmt.Fprintf(&b, "<td style=\"color:%s\">%s</td>", color, esc(ds.Classes[e.Classes[got]].Name))
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("<tr><td><i>accuracy</i></td><td></td>")
	for m := range r.Methods {
		fmt.Fprintf(&b, "<td><i>%.0f%%</i></td>", 100*preds[m].Accuracy(e))
	}
	b.WriteString("</tr>\n</table>\n")
	return b.String(), nil
}
