package control

// ControlRow is the summary of a control that `routewarden controls list --format json` prints
// and the API lists. Lists are never nil, so they encode as [] rather than null.
type ControlRow struct {
	ID          string      `json:"id"`
	Title       string      `json:"title"`
	Family      string      `json:"family"`
	AppliesTo   []string    `json:"applies_to"`
	MANRS       []string    `json:"manrs"`
	Severity    string      `json:"severity"`
	Weight      int         `json:"weight"`
	Basis       string      `json:"basis"`
	Checks      []CheckRule `json:"checks"`
	Questions   int         `json:"questions"`
	Obligations []string    `json:"obligations"`
}

// Row returns the control's summary row.
func (c *Control) Row() ControlRow {
	return ControlRow{
		ID: c.ID, Title: c.Title, Family: c.Family, AppliesTo: nonNil(c.AppliesTo), MANRS: nonNil(c.MANRS),
		Severity: c.Severity, Weight: c.Weight, Basis: c.Basis,
		Checks: append([]CheckRule{}, c.Checks...), Questions: len(c.Questions), Obligations: nonNil(c.Obligations),
	}
}

// ObligationRow is an obligation with the controls of one library version that support it, as
// `routewarden obligations list --format json` prints it and the API lists it.
type ObligationRow struct {
	ID            string   `json:"id"`
	Regulation    string   `json:"regulation"`
	Reference     string   `json:"reference"`
	Title         string   `json:"title"`
	Paraphrase    string   `json:"paraphrase"`
	Source        string   `json:"source"`
	Applicability string   `json:"applicability,omitempty"`
	Informational bool     `json:"informational"`
	Controls      []string `json:"controls"`
}

// ObligationRows returns every obligation of cat in catalogue order with the IDs of the
// controls of l that support it.
func (l *Library) ObligationRows(cat *Catalogue) []ObligationRow {
	var rows []ObligationRow
	for _, r := range l.Coverage(cat) {
		o := r.Obligation
		rows = append(rows, ObligationRow{ID: o.ID, Regulation: o.Regulation, Reference: o.Reference,
			Title: o.Title, Paraphrase: o.Paraphrase, Source: o.Source, Applicability: o.Applicability,
			Informational: o.Informational, Controls: nonNil(r.Controls)})
	}
	return rows
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
