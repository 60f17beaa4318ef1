package control

import "slices"

// Control returns the control with the given ID.
func (l *Library) Control(id string) (*Control, bool) {
	for i := range l.Controls {
		if l.Controls[i].ID == id {
			return &l.Controls[i], true
		}
	}
	return nil, false
}

// Question returns the question with the given ID and the control it belongs to.
func (l *Library) Question(id string) (*Question, *Control, bool) {
	for i := range l.Controls {
		c := &l.Controls[i]
		for j := range c.Questions {
			if c.Questions[j].ID == id {
				return &c.Questions[j], c, true
			}
		}
	}
	return nil, nil, false
}

// Family returns the family with the given ID.
func (l *Library) Family(id string) (Family, bool) {
	for _, f := range l.Families {
		if f.ID == id {
			return f, true
		}
	}
	return Family{}, false
}

// Select returns the controls for which keep is true, in library order.
func (l *Library) Select(keep func(*Control) bool) []*Control {
	var out []*Control
	for i := range l.Controls {
		if keep(&l.Controls[i]) {
			out = append(out, &l.Controls[i])
		}
	}
	return out
}

// ByFamily returns the controls of a family.
func (l *Library) ByFamily(family string) []*Control {
	return l.Select(func(c *Control) bool { return c.Family == family })
}

// ByProviderType returns the controls that apply to a provider type (transit, access, cloud,
// cdn, ddos, ixp).
func (l *Library) ByProviderType(t string) []*Control {
	return l.Select(func(c *Control) bool { return slices.Contains(c.AppliesTo, t) })
}

// ForProviders returns the controls that apply to any of the given provider types: the scope of
// a questionnaire for a vendor whose services have these types.
func (l *Library) ForProviders(types []string) []*Control {
	return l.Select(func(c *Control) bool {
		return slices.ContainsFunc(c.AppliesTo, func(t string) bool { return slices.Contains(types, t) })
	})
}

// ByMANRS returns the controls that implement a MANRS action (e.g. "netops-1").
func (l *Library) ByMANRS(action string) []*Control {
	return l.Select(func(c *Control) bool { return slices.Contains(c.MANRS, action) })
}

// ByObligation returns the controls that support an obligation (e.g. "DORA-28.4.d").
func (l *Library) ByObligation(id string) []*Control {
	return l.Select(func(c *Control) bool { return slices.Contains(c.Obligations, id) })
}

// ByBasis returns the controls verified on a basis (measured, evidenced, declared).
func (l *Library) ByBasis(basis string) []*Control {
	return l.Select(func(c *Control) bool { return c.Basis == basis })
}

// CoverageRow is one obligation of the coverage matrix with the IDs of the controls behind it.
type CoverageRow struct {
	Obligation *Obligation
	Controls   []string
}

// Coverage returns the obligations × controls matrix in catalogue order. Informational
// obligations appear with no controls.
func (l *Library) Coverage(cat *Catalogue) []CoverageRow {
	var rows []CoverageRow
	for _, o := range cat.Obligations() {
		row := CoverageRow{Obligation: o}
		for _, c := range l.ByObligation(o.ID) {
			row.Controls = append(row.Controls, c.ID)
		}
		rows = append(rows, row)
	}
	return rows
}

// MANRSCoverage maps every MANRS action (in Actions order) to the IDs of the controls that
// implement it; an uncovered action maps to nil.
func (l *Library) MANRSCoverage() map[string][]string {
	out := map[string][]string{}
	for _, a := range Actions {
		out[a.ID] = nil
		for _, c := range l.ByMANRS(a.ID) {
			out[a.ID] = append(out[a.ID], c.ID)
		}
	}
	return out
}
