package score

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"routewarden/internal/control"
	rw "routewarden/internal/routewarden"
)

// Readiness is the weighted score of the controls implementing one MANRS action and its level.
type Readiness struct {
	Action   string   `json:"action"` // e.g. "netops-1"
	Title    string   `json:"title"`
	Score    float64  `json:"score"` // 0..1
	Percent  float64  `json:"percent"`
	Level    string   `json:"level"` // Ready, Aspiring, Lagging
	Ready    float64  `json:"ready_threshold"`
	Aspiring float64  `json:"aspiring_threshold"`
	Controls []string `json:"controls"`
	Formula  string   `json:"how_reached"`
}

func readiness(lib *control.Library, results []ControlResult) []Readiness {
	var out []Readiness
	for _, a := range control.Actions {
		var num, den float64
		var ids, terms []string
		for _, c := range results {
			if c.Status == NotApplicable || !slices.Contains(c.MANRS, a.ID) {
				continue
			}
			w := float64(max(c.Weight, 1))
			num += w * c.Status.credit()
			den += w
			ids = append(ids, c.ID)
			terms = append(terms, fmt.Sprintf("%s %s×%g", c.ID, c.Status, w))
		}
		if den == 0 {
			continue
		}
		r := Readiness{Action: a.ID, Title: a.Title, Score: num / den, Controls: ids, Ready: lib.Readiness.Ready, Aspiring: lib.Readiness.Aspiring}
		if t, ok := lib.Readiness.Actions[a.ID]; ok {
			r.Ready, r.Aspiring = t.Ready, t.Aspiring
		}
		r.Percent = math.Round(r.Score*1000) / 10
		r.Level = lib.Readiness.Level(a.ID, r.Score)
		r.Formula = fmt.Sprintf("Σ weight × credit / Σ weight = %g / %g = %.1f %% (met 1, partially met 0.5, otherwise 0; %s); Ready ≥ %g %%, Aspiring ≥ %g %%.",
			num, den, r.Percent, strings.Join(terms, ", "), r.Ready*100, r.Aspiring*100)
		out = append(out, r)
	}
	return out
}

// Trigger is one row of the decision table that fired, with the evidence that fired it.
type Trigger struct {
	Condition string `json:"condition"`
	Profile   string `json:"profile"`
	Action    string `json:"action_required"`
	Evidence  string `json:"evidence"`
}

// Inherent is the risk the services carry before any control: the tier and its triggers.
type Inherent struct {
	Tier     string    `json:"tier"` // Critical, Elevated, Moderate, Low
	Triggers []Trigger `json:"triggers"`
	Why      string    `json:"how_reached"`
}

func inherent(services []*rw.Service, shared []uint32) Inherent {
	var in Inherent
	var reg, dep []string
	anyCritical := false
	for _, s := range services {
		if !s.Critical {
			continue
		}
		anyCritical = true
		if len(s.Regulations) > 0 {
			reg = append(reg, fmt.Sprintf("%s (%s)", s.Name, strings.Join(s.Regulations, ", ")))
		}
		if s.Substitutability == "not_substitutable" || s.Substitutability == "highly_complex" {
			dep = append(dep, fmt.Sprintf("%s (%s)", s.Name, rw.SubstitutabilityLabel(s.Substitutability)))
		}
	}
	if len(shared) > 0 {
		asns := make([]string, len(shared))
		for i, a := range shared {
			asns[i] = fmt.Sprintf("AS%d", a)
		}
		dep = append(dep, "upstreams shared with other critical suppliers: "+strings.Join(asns, ", "))
	}
	if len(reg) > 0 {
		in.Triggers = append(in.Triggers, Trigger{"High regulatory scrutiny (DORA / NIS2 / CER in scope for a critical or important function)",
			"Critical", "Define good standards (contract clauses, SLAs)", "critical services in scope: " + strings.Join(reg, "; ")})
	}
	if len(dep) > 0 {
		in.Triggers = append(in.Triggers, Trigger{"Supply-chain dependency (critical service, not easily substitutable, or shared upstreams)",
			"Elevated", "Govern and audit the dependency", strings.Join(dep, "; ")})
	}
	switch {
	case len(reg) > 0:
		in.Tier, in.Why = "Critical", "A critical or important function depends on the supplier under DORA, NIS2 or CER."
	case len(dep) > 0:
		in.Tier, in.Why = "Elevated", "A critical service is hard to substitute or shares upstreams with other critical suppliers."
	case anyCritical:
		in.Tier, in.Why = "Moderate", "A service supports a critical or important function, outside regulatory scope and substitutable."
	default:
		in.Tier, in.Why = "Low", "No service supports a critical or important function."
	}
	return in
}

// Residual is the rating after the controls: how well the supplier meets them, adjusted by
// the decision-table triggers and the inherent tier. Until the vendor submits, the rating is
// provisional and rests on the measured controls only; controls whose status is unknown are
// left out of the compliance, never counted as not met.
type Residual struct {
	Rating      string    `json:"rating"` // low, medium, high, severe; empty when nothing can be rated yet
	Provisional bool      `json:"provisional"`
	Compliance  float64   `json:"compliance"`
	Counted     int       `json:"controls_counted"`
	Unknown     int       `json:"controls_unknown"`
	Triggers    []Trigger `json:"triggers"`
	Steps       []string  `json:"how_reached"`
}

var ratings = []string{"low", "medium", "high", "severe"}

func raise(r string, to string) string {
	if slices.Index(ratings, to) > slices.Index(ratings, r) {
		return to
	}
	return r
}

func residual(in Input, m map[string]measured, results []ControlResult, inh Inherent) Residual {
	var num, den float64
	var r Residual
	r.Provisional = !in.Submitted
	for _, c := range results {
		if c.Status == NotApplicable {
			continue
		}
		if c.Status == Unknown || (r.Provisional && c.Basis != BasisMeasured) {
			r.Unknown++
			continue
		}
		w := float64(max(c.Weight, 1))
		credit := c.Status.credit()
		if c.Waived {
			credit = 1
		}
		num += w * credit
		den += w
		r.Counted++
	}
	if r.Provisional {
		r.Steps = append(r.Steps, fmt.Sprintf("Provisional: the vendor has not submitted its answers, so only the %d measured control(s) count; %d control(s) wait for answers or data.",
			r.Counted, r.Unknown))
	} else if r.Unknown > 0 {
		r.Steps = append(r.Steps, fmt.Sprintf("%d control(s) with unknown status are left out (unknown is not counted as not met).", r.Unknown))
	}
	if den == 0 {
		r.Steps = append(r.Steps, "Not rated yet: no control has a known status.")
		return r
	}
	r.Compliance = num / den
	switch {
	case r.Compliance >= 0.85:
		r.Rating = "low"
	case r.Compliance >= 0.65:
		r.Rating = "medium"
	case r.Compliance >= 0.4:
		r.Rating = "high"
	default:
		r.Rating = "severe"
	}
	r.Steps = append(r.Steps, fmt.Sprintf("Weighted compliance Σ weight × credit / Σ weight = %g / %g = %.1f %% (waived controls count as met) → %s (low ≥ 85 %%, medium ≥ 65 %%, high ≥ 40 %%, else severe).",
		num, den, r.Compliance*100, r.Rating))
	if t, ok := laggingRPKI(in.Library, m); ok {
		r.Triggers = append(r.Triggers, t)
		r.Rating = raise(r.Rating, "medium")
		r.Steps = append(r.Steps, "Lagging RPKI coverage → at least medium.")
	}
	for _, t := range filtering(results, r.Provisional) {
		r.Triggers = append(r.Triggers, t)
		to := map[string]string{"Severe": "severe", "Moderate": "medium"}[t.Profile]
		r.Rating = raise(r.Rating, to)
		r.Steps = append(r.Steps, fmt.Sprintf("%s → at least %s (evidence: %s).", t.Condition, to, t.Evidence))
	}
	if inh.Tier == "Critical" && (r.Rating == "medium" || r.Rating == "high") {
		before := r.Rating
		r.Rating = ratings[slices.Index(ratings, r.Rating)+1]
		r.Steps = append(r.Steps, fmt.Sprintf("Inherent tier Critical raises %s to %s.", before, r.Rating))
	}
	return r
}

// laggingRPKI fires when the worst measured ROA coverage lies below the warn threshold of the
// library's rule for rpki.roa-coverage. A waiver accepts the control's failure, not the lag.
func laggingRPKI(lib *control.Library, m map[string]measured) (Trigger, bool) {
	got, ok := m["rpki.roa-coverage"]
	if !ok {
		return Trigger{}, false
	}
	threshold := 0.9
	for _, c := range lib.Controls {
		for _, rule := range c.Checks {
			if rule.Check == "rpki.roa-coverage" && rule.Warn != nil {
				threshold = *rule.Warn
			}
		}
	}
	if got.Figure >= threshold {
		return Trigger{}, false
	}
	return Trigger{"Lagging RPKI coverage (measured ROA coverage below threshold)", "Moderate", "Internal gap analysis with the vendor",
		fmt.Sprintf("rpki.roa-coverage = %.1f %% on AS%d, threshold %.0f %%", got.Figure*100, got.ASN, threshold*100)}, true
}

// filteringControls are the controls whose failure means the supplier does not filter routes:
// origin validation, customer prefix filters, leak prevention.
var filteringControls = []string{"RS-ROV-01", "RS-FILT-01", "RS-FILT-06"}

// filtering returns the decision-table triggers for missing upstream filtering. They follow the
// controls' results, so the library's bands, waivers, reviewer resolutions and findings all
// count: a control that fails (the fail band of its checks, a failing answer, an open finding)
// and is not waived makes the rating severe; a measured control in its warn band (an invalid
// route or a leak below the fail threshold) makes it at least medium. Each trigger names the
// evidence. A provisional rating looks at measured results only.
func filtering(results []ControlResult, provisional bool) []Trigger {
	var severe, warn []string
	for _, c := range results {
		if !slices.Contains(filteringControls, c.ID) || c.Waived || (provisional && c.Basis != BasisMeasured) {
			continue
		}
		switch {
		case c.Status == NotMet:
			severe = append(severe, evidenceOf(c))
		case c.Status == PartiallyMet && c.Basis == BasisMeasured:
			warn = append(warn, evidenceOf(c))
		}
	}
	var out []Trigger
	if len(severe) > 0 {
		out = append(out, Trigger{"No upstream filtering (origin validation, customer filters or leak prevention not met)", "Severe",
			"Deploy edge validation / require filtering", strings.Join(severe, "; ")})
	}
	if len(warn) > 0 {
		out = append(out, Trigger{"Incomplete upstream filtering (measurements in the warn band)", "Moderate",
			"Ask the vendor to explain and remediate the observations", strings.Join(warn, "; ")})
	}
	return out
}

// evidenceOf names what a control's result rests on: the graded checks with the checks' own
// summaries, or the reason the answers or a finding gave.
func evidenceOf(c ControlResult) string {
	var parts []string
	for _, g := range c.Checks {
		if g.Grade == "pass" {
			continue
		}
		p := fmt.Sprintf("%s = %g on AS%d (%s; %s)", g.Check, g.Figure, g.ASN, g.Grade, g.Rule)
		if g.Summary != "" {
			p += ": " + g.Summary
		}
		parts = append(parts, p)
	}
	if len(parts) == 0 || c.Basis != BasisMeasured {
		parts = append(parts, c.Why)
	} else if _, admitted, ok := strings.Cut(c.Why, "The answers admit less: "); ok {
		parts = append(parts, "the answers admit less: "+admitted)
	}
	return fmt.Sprintf("%s %s — %s", c.ID, c.Status.Label(), strings.Join(parts, "; "))
}

// Card is the vendor evaluation card: three yes/no facts, measurement first, answers second.
type Card struct {
	OriginValidation string `json:"origin_validation"` // "fully deployed", "missing or partial" or "unknown"
	LeakProtection   string `json:"leak_protection"`   // "automated filtering" or "manual intervention"
	SLA              string `json:"contractual_sla"`   // "explicitly set" or "undefined"
	Aligned          bool   `json:"manrs_aligned_provider"`
	Why              string `json:"how_reached"`
}

func card(results []ControlResult) Card {
	st := map[string]ControlResult{}
	for _, c := range results {
		st[c.ID] = c
	}
	pick := func(id, good, bad string) (string, bool, string) {
		c := st[id]
		switch c.Status {
		case Met:
			return good, true, fmt.Sprintf("%s met (%s)", id, c.Basis)
		case Unknown, "":
			// Unknown is not a failure: the headline says so rather than "missing".
			return "unknown", false, fmt.Sprintf("%s unknown", id)
		}
		return bad, false, fmt.Sprintf("%s %s", id, c.Status)
	}
	var k Card
	var a, b, c bool
	var w1, w2, w3 string
	k.OriginValidation, a, w1 = pick("RS-ROV-01", "fully deployed", "missing or partial")
	k.LeakProtection, b, w2 = pick("RS-FILT-06", "automated filtering", "manual intervention")
	k.SLA, c, w3 = pick("RS-GOV-05", "explicitly set", "undefined")
	k.Aligned = a && b && c
	k.Why = strings.Join([]string{w1, w2, w3}, "; ") + ". MANRS-aligned provider only when all three are on the right side."
	return k
}

// Percent returns the weighted compliance in percent, one decimal.
func (r Residual) Percent() float64 { return math.Round(r.Compliance*1000) / 10 }
