package evidence

import (
	"fmt"

	"routewarden/internal/control"
	rw "routewarden/internal/routewarden"
)

// Band turns a check's figure into pass, warn or fail. The control library is the one source of
// these thresholds: a check that a control maps is graded by that control's rule, so that the
// status a page shows for a check equals the grade the control gives the same figure.
type Band struct {
	Better  string   // "higher" or "lower"
	Pass    float64  // the figure at or beyond which the check passes
	Warn    *float64 // the figure at or beyond which it warns; nil = no warn band
	Control string   // the control whose rule this is; "" for the engine's documented default
}

// Grade returns the status of a figure in the band.
func (b Band) Grade(figure float64) rw.CheckStatus {
	rule := control.CheckRule{Better: b.Better, Pass: b.Pass, Warn: b.Warn}
	return rw.CheckStatus(rule.Grade(figure))
}

// String renders the band, e.g. "pass ≥ 0.98, warn ≥ 0.9 (RS-ORIG-01)".
func (b Band) String() string {
	cmp := "≥"
	if b.Better == "lower" {
		cmp = "≤"
	}
	s := fmt.Sprintf("pass %s %g", cmp, b.Pass)
	if b.Warn != nil {
		s += fmt.Sprintf(", warn %s %g", cmp, *b.Warn)
	}
	if b.Control != "" {
		return s + " (" + b.Control + ")"
	}
	return s + " (engine default: no control maps this check)"
}

// Bands maps check IDs to their bands.
type Bands map[string]Band

// BandsOf returns the thresholds a library gives its checks. When several controls map the
// same check, the first in library order decides.
func BandsOf(l *control.Library) Bands {
	out := Bands{}
	for _, c := range l.Controls {
		for _, r := range c.Checks {
			if _, ok := out[r.Check]; !ok {
				out[r.Check] = Band{Better: r.Better, Pass: r.Pass, Warn: r.Warn, Control: c.ID}
			}
		}
	}
	return out
}

// LibraryBands returns the thresholds of the newest version of every library in the set (the
// first library that maps a check decides). Pages outside an assessment grade with these.
func LibraryBands(set *control.Set) Bands {
	out := Bands{}
	for _, l := range set.Latest() {
		for id, b := range BandsOf(l) {
			if _, ok := out[id]; !ok {
				out[id] = b
			}
		}
	}
	return out
}

func warnAt(v float64) *float64 { return &v }

// defaultBands grade checks that no control maps (or all checks when no library is given):
// counts of bad things pass at zero, booleans at one, ratios at the MANRS Observatory's
// "ready" level with a warn band from one half.
var defaultBands = Bands{
	"rpki.roa-coverage":              {Better: "higher", Pass: 0.98, Warn: warnAt(0.5)},
	"rpki.score":                     {Better: "higher", Pass: 0.9, Warn: warnAt(0.5)},
	"rpki.invalid-originations":      {Better: "lower", Pass: 0},
	"rov.invalid-propagation":        {Better: "lower", Pass: 0},
	"irr.route-coverage":             {Better: "higher", Pass: 0.98, Warn: warnAt(0.5)},
	"irr.policy-published":           {Better: "higher", Pass: 1},
	"irr.as-set":                     {Better: "higher", Pass: 1, Warn: warnAt(0.5)},
	"bogon.prefixes":                 {Better: "lower", Pass: 0},
	"bogon.asns":                     {Better: "lower", Pass: 0},
	"leak.valley-free":               {Better: "lower", Pass: 0},
	"hijack.suspicious-originations": {Better: "lower", Pass: 0},
	"hijack.other-origins":           {Better: "lower", Pass: 0},
	"aspa.published":                 {Better: "higher", Pass: 1},
	"aspa.providers-complete":        {Better: "higher", Pass: 1, Warn: warnAt(0.5)},
	"aspa.path-verification":         {Better: "lower", Pass: 0},
	"coord.peeringdb-contacts":       {Better: "higher", Pass: 1, Warn: warnAt(0.5)},
	"coord.policy-url":               {Better: "higher", Pass: 1},
	"coord.abuse-contact":            {Better: "higher", Pass: 1},
	"manrs.participation":            {Better: "higher", Pass: 1},
	"manrs.conformance":              {Better: "higher", Pass: 1, Warn: warnAt(0.5)},
	"spoof.sav":                      {Better: "higher", Pass: 1},
	"upstream.concentration":         {Better: "higher", Pass: 2, Warn: warnAt(1)},
	"rpki.maxlength-hygiene":         {Better: "lower", Pass: 0},
	"rpki.as0-coverage":              {Better: "higher", Pass: 1, Warn: warnAt(0.5)},
	"routes.propagated-bogons":       {Better: "lower", Pass: 0},
	"routes.too-specific":            {Better: "lower", Pass: 0},
	"peeringdb.max-prefix":           {Better: "higher", Pass: 1, Warn: warnAt(0.5)},
}

// band returns the band that grades a check: the library's when a control maps it, else the
// documented default.
func (d *Data) band(id string) Band {
	if b, ok := d.Bands[id]; ok {
		return b
	}
	return defaultBands[id]
}
