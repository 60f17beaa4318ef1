package monitor

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	rw "routewarden/internal/routewarden"
)

// Pair is what the monitor knows of one vendor ASN at a re-check: the results recorded at the
// previous re-check (empty on the first) and the results now, by check ID.
type Pair struct {
	VendorID int64
	ASN      uint32
	Prev     map[string]rw.CheckResult
	Cur      map[string]rw.CheckResult
}

// Evaluate applies the per-ASN rules to one pair. active holds the keys (rw.AlertKey) of alerts
// that are open or acknowledged: a "lost" or "below" condition that already has an alert keeps
// holding without a fresh transition. It returns the conditions that hold now.
func Evaluate(rules *Rules, p Pair, active map[string]bool) []rw.Condition {
	var out []rw.Condition
	for i := range rules.Rules {
		r := &rules.Rules[i]
		if r.Check == "" {
			continue
		}
		cur, ok := p.Cur[r.Check]
		if !ok {
			continue
		}
		prev, hadPrev := p.Prev[r.Check]
		cond := func(subject, summary string, ev []rw.Detail) {
			out = append(out, rw.Condition{VendorID: p.VendorID, ASN: p.ASN, Rule: r.ID, Control: r.Control,
				Severity: rw.Severity(r.Severity), Subject: subject, Summary: summary, Evidence: ev, Snapshots: cur.Snapshots})
		}
		switch r.Kind {
		case KindPresent:
			if cur.Status == rw.StatusUnknown {
				continue
			}
			for _, d := range cur.Details {
				cond(Subject(d), presentSummary(r, p.ASN, d), []rw.Detail{d})
			}
		case KindAdded, KindRemoved:
			if !hadPrev || cur.Status == rw.StatusUnknown || prev.Status == rw.StatusUnknown {
				continue // a first sighting or missing data is not a change
			}
			from, to := prev, cur
			if r.Kind == KindRemoved {
				from, to = cur, prev
			}
			have := subjects(from.Details)
			for _, d := range to.Details {
				if s := Subject(d); !have[s] {
					verb := "appeared"
					if r.Kind == KindRemoved {
						verb = "is no longer observed"
					}
					cond(s, fmt.Sprintf("AS%d: %s %s (%s)", p.ASN, s, verb, r.Title), []rw.Detail{d})
				}
			}
		case KindChanged:
			if !hadPrev || cur.Status == rw.StatusUnknown || prev.Status == rw.StatusUnknown {
				continue
			}
			if a, b := detailSet(prev.Details), detailSet(cur.Details); a != b || prev.Status != cur.Status {
				cond(changeSubject(cur), fmt.Sprintf("AS%d: %s — was: %s; now: %s", p.ASN, r.Title, prev.Summary, cur.Summary), cur.Details)
			}
		case KindDrop:
			if !hadPrev || prev.Figure == nil || cur.Figure == nil {
				continue
			}
			scale := 1.0
			if def, _ := rw.FindCheck(r.Check); def.Figure == "ratio" {
				scale = 100
			}
			if drop := (*prev.Figure - *cur.Figure) * scale; drop >= r.Points {
				cond(fmt.Sprintf("%s→%s", fmtFig(*prev.Figure, scale), fmtFig(*cur.Figure, scale)),
					fmt.Sprintf("AS%d: %s by %.1f points (%s → %s)", p.ASN, r.Title, drop, fmtFig(*prev.Figure, scale), fmtFig(*cur.Figure, scale)), cur.Details)
			}
		case KindBelow:
			if cur.Figure == nil || *cur.Figure >= *r.Min {
				continue
			}
			key := rw.AlertKey(r.ID, p.ASN, "")
			wasAbove := hadPrev && prev.Figure != nil && *prev.Figure >= *r.Min
			if wasAbove || active[key] {
				cond("", fmt.Sprintf("AS%d: %s: %s observed, minimum %s", p.ASN, r.Title, fmtFig(*cur.Figure, 1), fmtFig(*r.Min, 1)), cur.Details)
			}
		case KindLost:
			if cur.Status != rw.StatusFail {
				continue
			}
			key := rw.AlertKey(r.ID, p.ASN, "")
			if (hadPrev && prev.Status == rw.StatusPass) || active[key] {
				cond("", fmt.Sprintf("AS%d: %s — %s", p.ASN, r.Title, cur.Summary), cur.Details)
			}
		}
	}
	return out
}

// Subject names the object a detail is about: "prefix ASn" for routes, the path for paths,
// otherwise the note.
func Subject(d rw.Detail) string {
	switch {
	case d.Prefix != "" && d.Origin != 0:
		return d.Prefix + " AS" + strconv.FormatUint(uint64(d.Origin), 10)
	case d.Prefix != "":
		return d.Prefix
	case d.Path != "":
		return d.Path
	case d.Origin != 0:
		return "AS" + strconv.FormatUint(uint64(d.Origin), 10)
	}
	return d.Note
}

func presentSummary(r *Rule, asn uint32, d rw.Detail) string {
	s := fmt.Sprintf("AS%d: %s: %s", asn, r.Title, Subject(d))
	if d.Note != "" && d.Note != Subject(d) {
		s += " — " + d.Note
	}
	return s
}

func subjects(ds []rw.Detail) map[string]bool {
	m := make(map[string]bool, len(ds))
	for _, d := range ds {
		m[Subject(d)] = true
	}
	return m
}

// detailSet is a canonical text of a result's objects, to tell whether they changed.
func detailSet(ds []rw.Detail) string {
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = fmt.Sprintf("%s|%s|%d|%s|%s", d.Kind, d.Prefix, d.Origin, d.Path, d.Note)
	}
	sort.Strings(parts)
	return strings.Join(parts, "\n")
}

// changeSubject identifies one state of a changed check, so that the same change is not
// announced twice while a later change opens a new alert.
func changeSubject(r rw.CheckResult) string {
	return fmt.Sprintf("%s %08x", r.Status, fnv32(detailSet(r.Details)))
}

func fnv32(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

func fmtFig(f, scale float64) string {
	v := strconv.FormatFloat(f*scale, 'f', 1, 64)
	v = strings.TrimSuffix(v, ".0")
	if scale == 100 {
		return v + " %"
	}
	return v
}

// Changed reports whether a result differs from the one recorded before it in what the history
// keeps: status, figure and objects (not the computation time).
func Changed(prev *rw.CheckResult, cur rw.CheckResult) bool {
	if prev == nil {
		return true
	}
	if prev.Status != cur.Status || prev.Summary != cur.Summary || (prev.Figure == nil) != (cur.Figure == nil) {
		return true
	}
	if prev.Figure != nil && *prev.Figure != *cur.Figure {
		return true
	}
	return detailSet(prev.Details) != detailSet(cur.Details)
}
