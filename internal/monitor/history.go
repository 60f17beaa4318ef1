package monitor

import (
	"fmt"
	"sort"
	"strings"
	"time"

	rw "routewarden/internal/routewarden"
)

// Headline lists the checks whose figures the history charts show, with their labels.
var Headline = []struct{ Check, Label string }{
	{"rpki.roa-coverage", "ROA coverage"},
	{"rpki.invalid-originations", "RPKI-invalid originations"},
	{"irr.route-coverage", "IRR coverage"},
	{"upstream.concentration", "Upstreams observed"},
	{"leak.valley-free", "Route leaks"},
}

// Point is one step of a figure's history: the figure holds from At until the next point.
type Point struct {
	At     time.Time `json:"at"`
	Figure *float64  `json:"figure"`
	Status string    `json:"status"`
}

// Series returns the history of one check's figure, oldest first.
func Series(entries []rw.HistoryEntry, check string) []Point {
	var out []Point
	for _, e := range entries {
		if e.Result.Check == check {
			out = append(out, Point{At: e.Result.ComputedAt, Figure: e.Result.Figure, Status: string(e.Result.Status)})
		}
	}
	return out
}

// Change is one line of the change list: what changed for a check at a re-check.
type Change struct {
	At      time.Time `json:"at"`
	ASN     uint32    `json:"asn"`
	Check   string    `json:"check"`
	From    string    `json:"from"` // status and figure before ("" on the first record)
	To      string    `json:"to"`
	Added   []string  `json:"added,omitempty"`   // objects that appeared, with their notes
	Removed []string  `json:"removed,omitempty"` // objects that disappeared
	Text    string    `json:"text"`
}

// Changes turns the stored history of one ASN into readable changes, newest first. The first
// record of each check is a baseline, not a change.
func Changes(entries []rw.HistoryEntry) []Change {
	last := map[string]*rw.CheckResult{}
	var out []Change
	for i := range entries {
		r := entries[i].Result
		prev := last[r.Check]
		last[r.Check] = &entries[i].Result
		if prev == nil {
			continue
		}
		c := Change{At: r.ComputedAt, ASN: r.ASN, Check: r.Check, From: state(prev), To: state(&r)}
		before, after := subjects(prev.Details), subjects(r.Details)
		for _, d := range r.Details {
			if s := Subject(d); !before[s] {
				c.Added = append(c.Added, describe(d))
			}
		}
		for _, d := range prev.Details {
			if s := Subject(d); !after[s] {
				c.Removed = append(c.Removed, describe(d))
			}
		}
		c.Text = changeText(c, r)
		out = append(out, c)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.After(out[j].At) })
	return out
}

func state(r *rw.CheckResult) string {
	if r.Figure == nil {
		return string(r.Status)
	}
	def, _ := rw.FindCheck(r.Check)
	scale := 1.0
	if def.Figure == "ratio" {
		scale = 100
	}
	return string(r.Status) + " " + fmtFig(*r.Figure, scale)
}

func describe(d rw.Detail) string {
	s := Subject(d)
	if d.Note != "" && d.Note != s {
		s += " (" + d.Note + ")"
	}
	return s
}

// verbs say what the appearance of an object of a check means.
var verbs = map[string][2]string{
	"rpki.invalid-originations": {"became RPKI-invalid", "is no longer RPKI-invalid"},
	"leak.valley-free":          {"leak observed", "leak no longer observed"},
	"upstream.concentration":    {"new upstream", "upstream no longer observed"},
	"bogon.prefixes":            {"bogon announced", "bogon withdrawn"},
	"hijack.other-origins":      {"other origin appeared", "other origin gone"},
}

func changeText(c Change, r rw.CheckResult) string {
	def, _ := rw.FindCheck(c.Check)
	var parts []string
	v, ok := verbs[c.Check]
	if !ok {
		v = [2]string{"appeared", "gone"}
	}
	for _, a := range c.Added {
		parts = append(parts, a+" "+v[0])
	}
	for _, a := range c.Removed {
		parts = append(parts, a+" "+v[1])
	}
	head := fmt.Sprintf("%s: AS%d %s %s → %s", c.At.UTC().Format("2006-01-02"), c.ASN, def.Title, c.From, c.To)
	if len(parts) == 0 {
		return head + " (" + r.Summary + ")"
	}
	return head + ": " + strings.Join(parts, "; ")
}
