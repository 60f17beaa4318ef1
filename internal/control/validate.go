package control

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"routewarden/internal/routewarden"
)

var (
	libraryNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	versionRE     = regexp.MustCompile(`^[0-9]+(\.[0-9]+)*$`)
	familyIDRE    = regexp.MustCompile(`^[A-Z]{2,8}$`)
	controlIDRE   = regexp.MustCompile(`^([A-Z]{2,4})-([A-Z]{2,8})-([0-9]{2})$`)
	localIDRE     = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
)

// validator collects the issues of one library.
type validator struct {
	lib *Library
	cat *Catalogue
	// newest is set for the newest version of a library, which must grade every gradable
	// question and may not map obligations marked informational. Older versions are released
	// and never edited, so they are held to the rules they were released under.
	newest bool
	// gates holds the questions that open (by a condition on their answer) a follow-up
	// question that can fail the control: a gate such as "Do you hold unannounced space?" need
	// not fail itself.
	gates  map[string]bool
	issues []issue
}

func (v *validator) add(p, format string, args ...any) {
	v.issues = append(v.issues, issue{p, fmt.Sprintf(format, args...)})
}

// Validate checks the library on its own and its references into cat: unique IDs; known
// families, provider types, MANRS actions, checks, questions, evidence and obligations;
// thresholds within the range of each check's figure; acyclic question conditions. The error
// is a Problems list naming file and line.
//
// Validate treats l as the newest version of its library: every question with a gradable
// answer must carry a grading (see Grading).
func (l *Library) Validate(cat *Catalogue) error {
	return l.validate(cat, true)
}

// ValidateReleased checks l as an older released version: like Validate, but a question may lack
// a grading and the library may map obligations since marked informational (released files
// are never edited). controls diff uses it for the files it compares.
func (l *Library) ValidateReleased(cat *Catalogue) error {
	return l.validate(cat, false)
}

func (l *Library) validate(cat *Catalogue, newest bool) error {
	v := &validator{lib: l, cat: cat, newest: newest}
	v.header()
	families := v.families()
	seen := map[string]int{}
	for i := range l.Controls {
		p := fmt.Sprintf("$.controls[%d]", i)
		c := &l.Controls[i]
		if j, dup := seen[c.ID]; dup {
			v.add(p+".id", "duplicate control ID %q (first defined at line %d)", c.ID,
				l.src.line(fmt.Sprintf("$.controls[%d].id", j)))
		}
		seen[c.ID] = i
		v.control(p, c, families)
	}
	v.questions()
	if newest {
		v.requireGrading()
	}
	if len(v.issues) == 0 {
		return nil
	}
	probs := make(Problems, len(v.issues))
	for i, is := range v.issues {
		probs[i] = l.problem(is.path, is.msg)
	}
	return probs
}

func (v *validator) header() {
	l := v.lib
	if !libraryNameRE.MatchString(l.Name) {
		v.add("$.library", "library name %q must be lower-case letters, digits and dashes", l.Name)
	}
	if !versionRE.MatchString(l.Version) {
		v.add("$.version", "version %q must be dotted numbers such as 2026.1", l.Version)
	}
	if strings.TrimSpace(l.Title) == "" {
		v.add("$", "missing title")
	}
	if _, err := time.Parse(time.DateOnly, l.Released); err != nil {
		v.add("$.released", "released %q is not a date (YYYY-MM-DD)", l.Released)
	}
	v.readiness()
	v.changelog()
	if len(l.Controls) == 0 {
		v.add("$", "library has no controls")
	}
}

func (v *validator) readiness() {
	r := v.lib.Readiness
	check := func(p string, ready, aspiring float64) {
		if !(aspiring > 0 && aspiring < ready && ready <= 1) {
			v.add(p, "readiness thresholds must satisfy 0 < aspiring (%g) < ready (%g) ≤ 1", aspiring, ready)
		}
	}
	check("$.readiness", r.Ready, r.Aspiring)
	for id, t := range r.Actions {
		p := "$.readiness.actions"
		if localIDRE.MatchString(id) {
			p += "." + id
		}
		if _, ok := FindAction(id); !ok {
			v.add(p, "unknown MANRS action %q", id)
		}
		check(p, t.Ready, t.Aspiring)
	}
}

func (v *validator) changelog() {
	found := false
	for i, rel := range v.lib.Changelog {
		p := fmt.Sprintf("$.changelog[%d]", i)
		if _, err := time.Parse(time.DateOnly, rel.Date); err != nil {
			v.add(p+".date", "changelog date %q is not a date (YYYY-MM-DD)", rel.Date)
		}
		if len(rel.Changes) == 0 {
			v.add(p, "changelog entry %q lists no changes", rel.Version)
		}
		if rel.Version == v.lib.Version {
			found = true
			if rel.Date != v.lib.Released {
				v.add(p+".date", "changelog date %s of version %s differs from released %s", rel.Date, rel.Version, v.lib.Released)
			}
		}
	}
	if !found {
		v.add("$.changelog", "changelog has no entry for version %q", v.lib.Version)
	}
}

func (v *validator) families() map[string]bool {
	ids := map[string]bool{}
	for i, f := range v.lib.Families {
		p := fmt.Sprintf("$.families[%d]", i)
		switch {
		case !familyIDRE.MatchString(f.ID):
			v.add(p+".id", "family ID %q must be 2–8 upper-case letters", f.ID)
		case ids[f.ID]:
			v.add(p+".id", "duplicate family ID %q", f.ID)
		}
		if strings.TrimSpace(f.Title) == "" {
			v.add(p, "family %q has no title", f.ID)
		}
		ids[f.ID] = true
	}
	return ids
}

func (v *validator) control(p string, c *Control, families map[string]bool) {
	m := controlIDRE.FindStringSubmatch(c.ID)
	switch {
	case m == nil:
		v.add(p+".id", "control ID %q must look like RS-ORIG-01", c.ID)
	case m[2] != c.Family:
		v.add(p+".id", "control ID %q does not match its family %q", c.ID, c.Family)
	}
	if !families[c.Family] {
		v.add(p+".family", "control %s: unknown family %q", c.ID, c.Family)
	}
	for _, f := range [][2]string{{"title", c.Title}, {"objective", c.Objective}, {"rationale", c.Rationale}} {
		if strings.TrimSpace(f[1]) == "" {
			v.add(p, "control %s: missing %s", c.ID, f[0])
		}
	}
	v.list(p+".applies_to", c.ID, "provider type", c.AppliesTo, ProviderTypes, true)
	v.manrs(p, c)
	if !slices.Contains(Severities, c.Severity) {
		v.add(p+".severity", "control %s: severity %q is not one of %s", c.ID, c.Severity, strings.Join(Severities, ", "))
	}
	if c.Weight < 1 || c.Weight > 5 {
		v.add(p+".weight", "control %s: weight %d is outside 1..5", c.ID, c.Weight)
	}
	v.basis(p, c)
	v.evidence(p, c)
	v.obligations(p, c)
}

// list checks that values are non-empty (when required), unique and drawn from allowed.
func (v *validator) list(p, id, what string, values, allowed []string, required bool) {
	if required && len(values) == 0 {
		v.add(p, "control %s: no %s given", id, what)
	}
	seen := map[string]bool{}
	for i, s := range values {
		if allowed != nil && !slices.Contains(allowed, s) {
			v.add(fmt.Sprintf("%s[%d]", p, i), "control %s: unknown %s %q", id, what, s)
		}
		if seen[s] {
			v.add(fmt.Sprintf("%s[%d]", p, i), "control %s: %s %q listed twice", id, what, s)
		}
		seen[s] = true
	}
}

func (v *validator) manrs(p string, c *Control) {
	ids := make([]string, len(Actions))
	for i, a := range Actions {
		ids[i] = a.ID
	}
	v.list(p+".manrs", c.ID, "MANRS action", c.MANRS, ids, false)
}

func (v *validator) basis(p string, c *Control) {
	switch c.Basis {
	case BasisMeasured:
		if len(c.Checks) == 0 {
			v.add(p+".basis", "control %s: measured control names no checks", c.ID)
		}
	case BasisEvidenced:
		if len(c.Checks) > 0 {
			v.add(p+".checks", "control %s: only measured controls name checks", c.ID)
		}
		if !slices.ContainsFunc(c.Evidence, func(e Evidence) bool { return e.Required }) {
			v.add(p+".basis", "control %s: evidenced control requires no evidence", c.ID)
		}
	case BasisDeclared:
		if len(c.Checks) > 0 {
			v.add(p+".checks", "control %s: only measured controls name checks", c.ID)
		}
		if slices.ContainsFunc(c.Evidence, func(e Evidence) bool { return e.Required }) {
			v.add(p+".basis", "control %s: declared control requires evidence; make it evidenced", c.ID)
		}
	default:
		v.add(p+".basis", "control %s: basis %q is not one of %s", c.ID, c.Basis, strings.Join(Bases, ", "))
	}
	seen := map[string]bool{}
	for i := range c.Checks {
		cp := fmt.Sprintf("%s.checks[%d]", p, i)
		if seen[c.Checks[i].Check] {
			v.add(cp+".check", "control %s: check %q listed twice", c.ID, c.Checks[i].Check)
		}
		seen[c.Checks[i].Check] = true
		v.checkRule(cp, c.ID, c.Checks[i])
	}
}

func (v *validator) checkRule(p, id string, r CheckRule) {
	def, ok := routewarden.FindCheck(r.Check)
	if !ok {
		v.add(p+".check", "control %s: unknown check %q", id, r.Check)
		return
	}
	if r.Better != "higher" && r.Better != "lower" {
		v.add(p+".better", "control %s: better must be higher or lower, not %q", id, r.Better)
		return
	}
	if err := inRange(def.Figure, r.Pass); err != nil {
		v.add(p+".pass", "control %s: pass threshold for %s: %v", id, r.Check, err)
	}
	v.statusFigures(p, id, def.Figure, r)
	if r.Warn == nil {
		return
	}
	w := *r.Warn
	switch {
	case def.Figure == "bool":
		v.add(p+".warn", "control %s: %s reports a bool; it has no warn band", id, r.Check)
	case inRange(def.Figure, w) != nil:
		v.add(p+".warn", "control %s: warn threshold for %s: %v", id, r.Check, inRange(def.Figure, w))
	case r.Better == "higher" && w >= r.Pass:
		v.add(p+".warn", "control %s: %s warn threshold %g must be below pass %g (higher is better)", id, r.Check, w, r.Pass)
	case r.Better == "lower" && w <= r.Pass:
		v.add(p+".warn", "control %s: %s warn threshold %g must be above pass %g (lower is better)", id, r.Check, w, r.Pass)
	}
}

// inRange reports whether x is a possible figure of a check with the given unit.
func inRange(figure string, x float64) error {
	switch figure {
	case "ratio":
		if x < 0 || x > 1 {
			return fmt.Errorf("%g is outside the ratio range 0..1", x)
		}
	case "score":
		if x < -10 || x > 1 {
			return fmt.Errorf("%g is outside the score range -10..1", x)
		}
	case "count":
		if x < 0 || x != float64(int64(x)) {
			return fmt.Errorf("%g is not a non-negative whole count", x)
		}
	case "bool":
		if x != 0 && x != 1 {
			return fmt.Errorf("%g is not a bool figure (0 or 1)", x)
		}
	case "grade":
		if x != 0 && x != 0.5 && x != 1 {
			return fmt.Errorf("%g is not a grade figure (0, 0.5 or 1)", x)
		}
	}
	return nil
}

func (v *validator) evidence(p string, c *Control) {
	seen := map[string]bool{}
	for i, e := range c.Evidence {
		ep := fmt.Sprintf("%s.evidence[%d]", p, i)
		switch {
		case !localIDRE.MatchString(e.ID):
			v.add(ep+".id", "control %s: evidence ID %q must be lower-case letters, digits and dashes", c.ID, e.ID)
		case seen[e.ID]:
			v.add(ep+".id", "control %s: duplicate evidence ID %q", c.ID, e.ID)
		}
		seen[e.ID] = true
		if strings.TrimSpace(e.Title) == "" {
			v.add(ep, "control %s: evidence %q has no title", c.ID, e.ID)
		}
		collected := slices.ContainsFunc(c.Questions, func(q Question) bool {
			return q.Type == TypeFile && q.Evidence == e.ID
		})
		if e.Required && !collected {
			v.add(ep, "control %s: required evidence %q is collected by no file question", c.ID, e.ID)
		}
	}
}

func (v *validator) obligations(p string, c *Control) {
	v.list(p+".obligations", c.ID, "obligation", c.Obligations, nil, true)
	if v.cat == nil {
		return
	}
	for i, id := range c.Obligations {
		o, ok := v.cat.Obligation(id)
		switch {
		case !ok:
			v.add(fmt.Sprintf("%s.obligations[%d]", p, i), "control %s: unknown obligation %q", c.ID, id)
		case o.Informational && v.newest:
			v.add(fmt.Sprintf("%s.obligations[%d]", p, i), "control %s: obligation %q is marked informational; unmark it to map it", c.ID, id)
		}
	}
}
