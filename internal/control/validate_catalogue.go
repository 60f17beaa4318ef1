package control

import (
	"fmt"
	"regexp"
	"strings"
)

var (
	regulationIDRE = regexp.MustCompile(`^[A-Z][A-Z0-9]*$`)
	obligationIDRE = regexp.MustCompile(`^[A-Z][A-Z0-9]*-[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$`)
)

// eurLex is the prefix every source URL must carry.
const eurLex = "https://eur-lex.europa.eu/"

// Validate checks the catalogue: unique regulation and obligation IDs, IDs prefixed with their
// regulation, the required texts present, and EUR-Lex source URLs.
func (c *Catalogue) Validate() error {
	var probs Problems
	regs := map[string]string{}
	obls := map[string]string{}
	for i := range c.Regulations {
		r := &c.Regulations[i]
		add := func(p, format string, args ...any) {
			probs = append(probs, r.problem(p, fmt.Sprintf(format, args...)))
		}
		if !regulationIDRE.MatchString(r.ID) {
			add("$.regulation", "regulation ID %q must be upper-case letters and digits", r.ID)
		} else if f, dup := regs[r.ID]; dup {
			add("$.regulation", "regulation %s is already defined in %s", r.ID, f)
		}
		regs[r.ID] = r.File
		for _, f := range [][2]string{{"act", r.Act}, {"title", r.Title}, {"applicability", r.Applicability}} {
			if strings.TrimSpace(f[1]) == "" {
				add("$", "regulation %s: missing %s", r.ID, f[0])
			}
		}
		if !strings.HasPrefix(r.Source, eurLex) {
			add("$.source", "regulation %s: source %q is not a EUR-Lex URL (%s…)", r.ID, r.Source, eurLex)
		}
		if len(r.Obligations) == 0 {
			add("$", "regulation %s lists no obligations", r.ID)
		}
		for j := range r.Obligations {
			p := fmt.Sprintf("$.obligations[%d]", j)
			o := &r.Obligations[j]
			if f, dup := obls[o.ID]; dup {
				add(p+".id", "duplicate obligation ID %q (first in %s)", o.ID, f)
			}
			obls[o.ID] = r.File
			for _, msg := range obligationIssues(r.ID, o) {
				add(p, "%s", msg)
			}
		}
	}
	c.index()
	if len(probs) > 0 {
		return probs
	}
	return nil
}

func obligationIssues(reg string, o *Obligation) []string {
	var out []string
	if !obligationIDRE.MatchString(o.ID) || !strings.HasPrefix(o.ID, reg+"-") {
		out = append(out, fmt.Sprintf("obligation ID %q must look like %s-28.4.d", o.ID, reg))
	}
	for _, f := range [][2]string{{"reference", o.Reference}, {"title", o.Title}, {"paraphrase", o.Paraphrase}} {
		if strings.TrimSpace(f[1]) == "" {
			out = append(out, fmt.Sprintf("obligation %s: missing %s", o.ID, f[0]))
		}
	}
	if !strings.HasPrefix(o.Source, eurLex) {
		out = append(out, fmt.Sprintf("obligation %s: source %q is not a EUR-Lex URL", o.ID, o.Source))
	}
	return out
}

// Validate checks every library version against the catalogue, and that every catalogued
// obligation is mapped by a control of the newest version of some library or is marked
// informational.
func (s *Set) Validate() error {
	var probs Problems
	newest := map[*Library]bool{}
	for _, l := range s.Latest() {
		newest[l] = true
	}
	for _, l := range s.Libraries {
		probs = appendErr(probs, l.File, l.validate(s.Catalogue, newest[l]))
	}
	if len(probs) > 0 {
		probs.Sort()
		return probs
	}
	mapped := map[string]bool{}
	for _, l := range s.Latest() {
		for _, c := range l.Controls {
			for _, o := range c.Obligations {
				mapped[o] = true
			}
		}
	}
	for i := range s.Catalogue.Regulations {
		r := &s.Catalogue.Regulations[i]
		for j, o := range r.Obligations {
			if !o.Informational && !mapped[o.ID] {
				probs = append(probs, r.problem(fmt.Sprintf("$.obligations[%d].id", j),
					fmt.Sprintf("obligation %s is mapped by no control and not marked informational", o.ID)))
			}
		}
	}
	if len(probs) > 0 {
		probs.Sort()
		return probs
	}
	return nil
}
