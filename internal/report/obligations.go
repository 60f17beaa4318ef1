package report

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"routewarden/internal/control"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/score"
)

// Obligations coverage across suppliers: for each DORA / NIS2 / CER obligation of the catalogue
// that a control maps, which suppliers meet it, partly meet it or fail it, and on what evidence.
//
// The rule, cell by cell (one supplier, one obligation):
//
//  1. Out of scope: none of the supplier's services is declared under the obligation's framework
//     (an RTS or ITS counts under the regulation it supplements: control.Framework).
//  2. Unknown: the supplier has no decided assessment, or its library version is not loaded, or
//     its results were never kept (each says so in the reason). A decided assessment is an
//     approved or a rejected one: a rejection is a decision on the same evidence, and the row
//     says which it was; open rounds (draft to review) are not decided and do not count.
//  3. Not applicable: no control of the assessment's library that maps the obligation applies
//     to the assessment's scope (provider types).
//  4. Otherwise the statuses of the mapped controls in the supplier's latest decided
//     assessment, as last scored, combine by score.Combine, the rule the attestation uses:
//     every control met → met; some met or partially met → partly; none met and some not met →
//     failed; every control unknown → unknown. A waived shortfall stays a shortfall here (the
//     waiver accepts the risk, it does not meet the control); the cell says it is waived.
//
// Each cell carries the controls behind it with status, basis (measured, evidenced, declared)
// and waiver, and the assessment it comes from: the evidence a reader follows.

// Coverage states of a cell.
const (
	CoverMet           = "met"
	CoverPartly        = "partly"
	CoverFailed        = "failed"
	CoverUnknown       = "unknown"
	CoverNotApplicable = "not_applicable"
	CoverOutOfScope    = "out_of_scope"
)

// CoverageStates lists the states in the order the legend and the counts use.
var CoverageStates = []string{CoverMet, CoverPartly, CoverFailed, CoverUnknown, CoverNotApplicable, CoverOutOfScope}

// CoverageLabel is the word shown for a state, next to its symbol (never colour alone).
func CoverageLabel(state string) string {
	switch state {
	case CoverMet:
		return "met"
	case CoverPartly:
		return "partly met"
	case CoverFailed:
		return "failed"
	case CoverNotApplicable:
		return "not applicable"
	case CoverOutOfScope:
		return "not in scope"
	}
	return "unknown"
}

// CoverageSymbol is the symbol drawn in a heatmap cell.
func CoverageSymbol(state string) string {
	switch state {
	case CoverMet:
		return "✓"
	case CoverPartly:
		return "◐"
	case CoverFailed:
		return "✗"
	case CoverNotApplicable:
		return "–"
	case CoverOutOfScope:
		return "·"
	}
	return "?"
}

// CoverageSource is one supplier as the coverage reads it.
type CoverageSource struct {
	Vendor     *rw.Vendor                   // with services
	Assessment *rw.Assessment               // latest decided (approved or rejected); nil: none
	Library    *control.Library             // the assessment's library version; nil: not loaded
	Outcomes   map[string]rw.ControlOutcome // the assessment's results as last scored; nil: not kept (unless Kept)
	// Kept, when not nil, is the assessment's results as a list sorted by control ID, as the
	// store reads them fastest; Outcomes is then not read.
	Kept []rw.KeptOutcome
}

// kept reports whether the source's results were kept (rule 2 of the package doc).
func (s *CoverageSource) kept() bool { return s.Kept != nil || s.Outcomes != nil }

// CoverageFilter narrows the suppliers (rows) and obligations (columns); zero values keep all.
type CoverageFilter struct {
	Regulation string // a catalogue act (DORA, RTS1773, …) or a framework (DORA, NIS2, CER)
	Tier       string // inherent risk tier of the latest decided assessment, e.g. "Critical"
	Critical   *bool  // suppliers with (true) or without (false) a critical service
}

// ParseCoverageFilter reads a filter as the page, the API and the CLI receive it: a
// regulation of the catalogue (any case), a tier of routewarden.Tiers (any case) and critical as yes or no
// (also true/false, 1/0); empty values select everything. An unknown value is a field error
// naming the field (regulation, tier, critical) and the values allowed.
func ParseCoverageFilter(cat *control.Catalogue, regulation, tier, critical string) (CoverageFilter, error) {
	var f CoverageFilter
	if reg := strings.TrimSpace(regulation); reg != "" {
		id, ok := cat.RegulationID(reg)
		if !ok {
			return f, rw.FieldError("regulation", "Unknown regulation %q; use one of %s.", reg, strings.Join(cat.RegulationIDs(), ", "))
		}
		f.Regulation = id
	}
	if t := strings.TrimSpace(tier); t != "" {
		i := slices.IndexFunc(rw.Tiers, func(x string) bool { return strings.EqualFold(x, t) })
		if i < 0 {
			return f, rw.FieldError("tier", "Unknown tier %q; use one of %s.", t, strings.Join(rw.Tiers, ", "))
		}
		f.Tier = rw.Tiers[i]
	}
	switch v := strings.TrimSpace(critical); v {
	case "":
	case "yes", "true", "1":
		yes := true
		f.Critical = &yes
	case "no", "false", "0":
		no := false
		f.Critical = &no
	default:
		return f, rw.FieldError("critical", "critical must be yes or no (got %q).", v)
	}
	return f, nil
}

// CoverageInput is what the coverage is computed from.
type CoverageInput struct {
	Now       time.Time
	Catalogue *control.Catalogue
	// Current is the library version new assessments use; its mapping decides the columns
	// together with the versions the suppliers were assessed against.
	Current   *control.Library
	Suppliers []CoverageSource
	Filter    CoverageFilter
	// CellRows, when set, keeps the cells of these rows only (in the order of
	// Coverage.Suppliers): the heatmap draws one page of rows, and the cells of 10,000 rows
	// cost far more than their counts. The other rows have no Cells; every count is complete.
	CellRows *RowRange
}

// CellControl is one control behind a cell.
type CellControl struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	Basis  string `json:"basis,omitempty"`
	Waived bool   `json:"waived,omitempty"`
}

// CoverageCell is one supplier × obligation.
type CoverageCell struct {
	Obligation string        `json:"obligation"`
	State      string        `json:"state"`
	Reason     string        `json:"reason,omitempty"`
	Controls   []CellControl `json:"controls,omitempty"`
	Waived     bool          `json:"waived,omitempty"` // a control behind it is short but waived
}

// CoverageSupplier is one row: a supplier and its cells, in the order of Coverage.Obligations.
type CoverageSupplier struct {
	VendorID     int64          `json:"vendor_id"`
	Vendor       string         `json:"vendor"`
	Demo         bool           `json:"demo,omitempty"`
	Critical     bool           `json:"critical"`
	Frameworks   []string       `json:"frameworks"` // declared by its services
	Tier         string         `json:"tier,omitempty"`
	AssessmentID int64          `json:"assessment_id,omitempty"`
	State        string         `json:"assessment_state,omitempty"` // approved or rejected
	Decided      *time.Time     `json:"decided_at,omitempty"`
	Library      string         `json:"library,omitempty"`
	Cells        []CoverageCell `json:"cells"`
	Counts       map[string]int `json:"counts"`
}

// CoverageObligation is one column with its counts over the suppliers.
type CoverageObligation struct {
	ID         string         `json:"id"`
	Regulation string         `json:"regulation"`
	Framework  string         `json:"framework"`
	Reference  string         `json:"reference"`
	Title      string         `json:"title"`
	Controls   []string       `json:"controls"` // mapped by these controls (any library version in use)
	Counts     map[string]int `json:"counts"`
	InScope    int            `json:"in_scope"` // suppliers not out of scope
}

// Coverage is the obligations coverage across suppliers.
type Coverage struct {
	GeneratedAt time.Time            `json:"generated_at"`
	Filter      CoverageFilter       `json:"filter"`
	Obligations []CoverageObligation `json:"obligations"`
	Suppliers   []CoverageSupplier   `json:"suppliers"`
	// Unmapped are the catalogue's obligations (not informational) that no control maps: no
	// supplier can be measured against them.
	Unmapped []string       `json:"unmapped"`
	Counts   map[string]int `json:"counts"`
}

// Column returns the index of obligation id among the columns, or -1.
func (c *Coverage) Column(id string) int {
	return slices.IndexFunc(c.Obligations, func(o CoverageObligation) bool { return o.ID == id })
}

// libIndex is one library version's obligation → controls map.
type libIndex map[string][]*control.Control

func indexLibrary(l *control.Library) libIndex {
	ix := libIndex{}
	for i := range l.Controls {
		c := &l.Controls[i]
		for _, o := range c.Obligations {
			ix[o] = append(ix[o], c)
		}
	}
	return ix
}

// matchesRegulation reports whether obligation o is selected by the regulation filter f.
func matchesRegulation(o *control.Obligation, f string) bool {
	return f == "" || strings.EqualFold(o.Regulation, f) || strings.EqualFold(control.Framework(o.Regulation), f)
}

// ComputeCoverage applies the rule of the package doc to every supplier and obligation.
//
// At 10,000 suppliers it is the matrix of a few hundred thousand cells that costs, so the work
// per cell is kept to slice indexing: every library version used is indexed once by column
// (the positions of the controls that map each column's obligation), each supplier's results
// are looked up once per control instead of once per control and cell, and the counts are
// added up in arrays. When in.CellRows is set, only those rows keep their cells (a page of the
// heatmap); every row is still counted.
func ComputeCoverage(in CoverageInput) *Coverage {
	cov := &Coverage{GeneratedAt: in.Now, Filter: in.Filter, Counts: map[string]int{}, Unmapped: []string{}, Suppliers: []CoverageSupplier{}}
	if in.Catalogue == nil {
		return cov
	}
	libs := []*control.Library{in.Current}
	for _, s := range in.Suppliers {
		libs = append(libs, s.Library)
	}
	obs := coverageColumns(cov, in.Catalogue, in.Filter, libs)
	m := newCoverageMatrix(obs)
	for _, s := range in.Suppliers {
		if row, ok := supplierRow(s, in.Filter); ok {
			cov.Suppliers = append(cov.Suppliers, row)
			m.sources = append(m.sources, s)
		}
	}
	sortSuppliers(cov.Suppliers, m.sources)
	keep := in.CellRows.clamp(len(cov.Suppliers))
	cells := make([]CoverageCell, (keep.To-keep.From)*len(obs)) // one backing array for the kept rows
	var total [numStates]int
	for i := range cov.Suppliers {
		row := &cov.Suppliers[i]
		var rc []CoverageCell
		if i >= keep.From && i < keep.To {
			k := i - keep.From
			rc = cells[k*len(obs) : (k+1)*len(obs) : (k+1)*len(obs)]
			row.Cells = rc
		}
		counts := m.row(m.sources[i], row.Frameworks, rc)
		for st, n := range counts {
			if n > 0 {
				row.Counts[CoverageStates[st]] = n
				total[st] += n
			}
		}
	}
	for j := range cov.Obligations {
		c := &cov.Obligations[j]
		for st, n := range m.colCounts[j] {
			if n > 0 {
				c.Counts[CoverageStates[st]] = n
				if CoverageStates[st] != CoverOutOfScope {
					c.InScope += n
				}
			}
		}
	}
	for st, n := range total {
		if n > 0 {
			cov.Counts[CoverageStates[st]] = n
		}
	}
	return cov
}

// RowRange is the rows [From, To) of the sorted suppliers.
type RowRange struct{ From, To int }

// clamp is r within n rows; nil is every row.
func (r *RowRange) clamp(n int) RowRange {
	if r == nil {
		return RowRange{0, n}
	}
	from, to := min(max(r.From, 0), n), min(max(r.To, 0), n)
	return RowRange{from, max(from, to)}
}

// coverageColumns sets the columns (obligations mapped by a control of any library version in
// libs and selected by the filter) and the unmapped obligations of cov, and returns the
// columns' obligations in order.
func coverageColumns(cov *Coverage, cat *control.Catalogue, f CoverageFilter, libs []*control.Library) []*control.Obligation {
	indexes := map[*control.Library]libIndex{}
	mapped := map[string][]string{}
	for _, l := range libs {
		if l == nil || indexes[l] != nil {
			continue
		}
		ix := indexLibrary(l)
		indexes[l] = ix
		for o, cs := range ix {
			for _, c := range cs {
				if !slices.Contains(mapped[o], c.ID) {
					mapped[o] = append(mapped[o], c.ID)
				}
			}
		}
	}
	var obs []*control.Obligation
	for _, o := range cat.Obligations() {
		if o.Informational || !matchesRegulation(o, f.Regulation) {
			continue
		}
		if len(mapped[o.ID]) == 0 {
			cov.Unmapped = append(cov.Unmapped, o.ID)
			continue
		}
		obs = append(obs, o)
		ctrls := slices.Clone(mapped[o.ID])
		slices.Sort(ctrls)
		cov.Obligations = append(cov.Obligations, CoverageObligation{ID: o.ID, Regulation: o.Regulation, Framework: control.Framework(o.Regulation),
			Reference: o.Reference, Title: o.Title, Controls: ctrls, Counts: map[string]int{}})
	}
	return obs
}

// sortSuppliers puts the critical suppliers first, then by name (any case), keeping the
// sources in step. The order depends on the row alone, not its cells, so the rows are sorted
// before their cells are computed: a page of rows is known before the matrix.
func sortSuppliers(rows []CoverageSupplier, sources []CoverageSource) {
	idx := make([]int, len(rows))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(x, y int) int {
		a, b := &rows[x], &rows[y]
		if a.Critical != b.Critical {
			if a.Critical {
				return -1
			}
			return 1
		}
		return strings.Compare(strings.ToLower(a.Vendor), strings.ToLower(b.Vendor))
	})
	sortedRows, sortedSources := make([]CoverageSupplier, len(rows)), make([]CoverageSource, len(rows))
	for i, k := range idx {
		sortedRows[i], sortedSources[i] = rows[k], sources[k]
	}
	copy(rows, sortedRows)
	copy(sources, sortedSources)
}

// supplierRow is the row of one supplier without its cells, or false when the filter drops it.
func supplierRow(s CoverageSource, f CoverageFilter) (CoverageSupplier, bool) {
	v := s.Vendor
	row := CoverageSupplier{VendorID: v.ID, Vendor: v.LegalName, Demo: v.Demo, Critical: v.Critical, Frameworks: []string{}, Counts: map[string]int{}}
	for _, svc := range v.Services {
		row.Critical = row.Critical || svc.Critical
		for _, r := range svc.Regulations {
			if fw := control.Framework(r); !slices.Contains(row.Frameworks, fw) {
				row.Frameworks = append(row.Frameworks, fw)
			}
		}
	}
	slices.Sort(row.Frameworks)
	if a := s.Assessment; a != nil {
		row.AssessmentID, row.State, row.Decided, row.Tier = a.ID, string(a.State), a.DecidedAt, a.Summary.Tier
		row.Library = a.Library + " " + a.LibraryVersion
	}
	if f.Critical != nil && *f.Critical != row.Critical {
		return row, false
	}
	if f.Tier != "" && !strings.EqualFold(f.Tier, row.Tier) {
		return row, false
	}
	return row, true
}

// numStates is len(CoverageStates); counts are arrays indexed like it.
const numStates = 6

// Positions of the states in CoverageStates.
const (
	stMet = iota
	stPartly
	stFailed
	stUnknown
	stNotApplicable
	stOutOfScope
)

// Reasons of cells that do not depend on the supplier.
const (
	reasonNoAssessment  = "No decided assessment (approved or rejected) yet."
	reasonNotKept       = "The results of its decided assessment were not kept; open the assessment to score it again."
	reasonNotApplicable = "No control that maps it applies to the provider types assessed."
	reasonNoResult      = "No result for the controls that map it (neither measured nor answered)."
)

// libColumns is one library version indexed by column: for each column, the positions in
// l.Controls of the controls that map its obligation, in the library's order (a control that
// lists the obligation twice is there twice, as in libIndex); and the positions that any
// column uses, whose results a supplier's row looks up.
type libColumns struct {
	cols     [][]int
	used     []int
	usedByID []int // used, sorted by control ID
	n        int   // sum of len(cols[j]): the most controls a row's cells can carry
}

// coverageMatrix computes the cells, column by column, of rows one after another.
type coverageMatrix struct {
	obs        []*control.Obligation
	colFW      []int    // column → index in fws of its obligation's framework
	fws        []string // distinct frameworks of the columns
	outOfScope []string // column → the out-of-scope reason
	byID       map[string][]int
	libs       map[*control.Library]*libColumns
	colCounts  [][numStates]int
	sources    []CoverageSource // the rows' sources, in the rows' order
	// Reused per row: whether each framework is declared, each control position's result, the
	// statuses of one cell.
	declared []bool
	has      []bool
	outs     []rw.ControlOutcome
	sts      []score.Status
}

func newCoverageMatrix(obs []*control.Obligation) *coverageMatrix {
	m := &coverageMatrix{obs: obs, colFW: make([]int, len(obs)), outOfScope: make([]string, len(obs)), byID: map[string][]int{},
		libs: map[*control.Library]*libColumns{}, colCounts: make([][numStates]int, len(obs))}
	for j, o := range obs {
		fw := control.Framework(o.Regulation)
		k := slices.Index(m.fws, fw)
		if k < 0 {
			k = len(m.fws)
			m.fws = append(m.fws, fw)
		}
		m.colFW[j] = k
		m.outOfScope[j] = "No service of this supplier is declared under " + fw + "."
		m.byID[o.ID] = append(m.byID[o.ID], j)
	}
	m.declared = make([]bool, len(m.fws))
	return m
}

// columns is l indexed by column, computed once per library version.
func (m *coverageMatrix) columns(l *control.Library) *libColumns {
	if lc := m.libs[l]; lc != nil {
		return lc
	}
	lc := &libColumns{cols: make([][]int, len(m.obs))}
	for i := range l.Controls {
		uses := false
		for _, o := range l.Controls[i].Obligations {
			for _, j := range m.byID[o] {
				lc.cols[j] = append(lc.cols[j], i)
				lc.n++
				uses = true
			}
		}
		if uses {
			lc.used = append(lc.used, i)
		}
	}
	lc.usedByID = slices.Clone(lc.used)
	slices.SortStableFunc(lc.usedByID, func(a, b int) int { return strings.Compare(l.Controls[a].ID, l.Controls[b].ID) })
	m.libs[l] = lc
	if len(l.Controls) > len(m.has) {
		m.has, m.outs = make([]bool, len(l.Controls)), make([]rw.ControlOutcome, len(l.Controls))
	}
	return lc
}

// row computes the cells of one supplier whose frameworks are frameworks, adds them to the
// columns' counts and returns the row's counts. cells, when not nil, receives the cells (one
// per column); else only the states are worked out.
func (m *coverageMatrix) row(s CoverageSource, frameworks []string, cells []CoverageCell) [numStates]int {
	var counts [numStates]int
	for k, fw := range m.fws {
		m.declared[k] = slices.Contains(frameworks, fw)
	}
	var lc *libColumns
	var controls []CellControl // one backing array for the row's cells
	var noLibrary string
	switch {
	case s.Assessment != nil && s.Library == nil:
		noLibrary = "The control library " + s.Assessment.Library + " " + s.Assessment.LibraryVersion + " of its assessment is not loaded."
	case s.Assessment != nil && s.kept():
		lc = m.columns(s.Library)
		m.lookUp(s, lc)
		if cells != nil {
			controls = make([]CellControl, 0, lc.n)
		}
	}
	for j, o := range m.obs {
		var cell CoverageCell
		switch {
		case !m.declared[m.colFW[j]]:
			cell.State, cell.Reason = CoverOutOfScope, m.outOfScope[j]
		case s.Assessment == nil:
			cell.State, cell.Reason = CoverUnknown, reasonNoAssessment
		case s.Library == nil:
			cell.State, cell.Reason = CoverUnknown, noLibrary
		case !s.kept():
			cell.State, cell.Reason = CoverUnknown, reasonNotKept
		default:
			controls = m.combine(&cell, s.Library, lc.cols[j], controls, cells != nil)
		}
		st := stateIndex(cell.State)
		counts[st]++
		m.colCounts[j][st]++
		if cells != nil {
			cell.Obligation = o.ID
			cells[j] = cell
		}
	}
	return counts
}

// lookUp sets the result (m.outs, m.has) of every control position that a column of lc
// uses, from s.Kept when set (one walk along both lists sorted by control ID), else from
// s.Outcomes.
func (m *coverageMatrix) lookUp(s CoverageSource, lc *libColumns) {
	ctrls := s.Library.Controls
	if s.Kept == nil {
		for _, p := range lc.used {
			m.outs[p], m.has[p] = s.Outcomes[ctrls[p].ID]
		}
		return
	}
	k := 0
	for _, p := range lc.usedByID {
		id := ctrls[p].ID
		for k < len(s.Kept) && s.Kept[k].Control < id {
			k++
		}
		if m.has[p] = k < len(s.Kept) && s.Kept[k].Control == id; m.has[p] {
			m.outs[p] = s.Kept[k].ControlOutcome
		} else {
			m.outs[p] = rw.ControlOutcome{}
		}
	}
}

// combine sets the state of a cell from the results of the controls at positions of l (rule
// 3 and 4 of the package doc); with keep, it appends the controls behind the cell to controls
// and gives the cell its part of them.
func (m *coverageMatrix) combine(cell *CoverageCell, l *control.Library, positions []int, controls []CellControl, keep bool) []CellControl {
	sts := m.sts[:0]
	start := len(controls)
	for _, p := range positions {
		out := &m.outs[p]
		if !m.has[p] || out.Status == string(score.NotApplicable) {
			continue
		}
		if keep {
			controls = append(controls, CellControl{ID: l.Controls[p].ID, Status: out.Status, Basis: out.Basis, Waived: out.Waived})
			cell.Waived = cell.Waived || out.Waived
		}
		sts = append(sts, score.Status(out.Status))
	}
	m.sts = sts
	if len(controls) > start {
		cell.Controls = controls[start:len(controls):len(controls)]
	}
	switch score.Combine(sts) {
	case score.NotApplicable:
		cell.State, cell.Reason = CoverNotApplicable, reasonNotApplicable
	case score.Met:
		cell.State = CoverMet
	case score.PartiallyMet:
		cell.State = CoverPartly
	case score.NotMet:
		cell.State = CoverFailed
	default:
		cell.State, cell.Reason = CoverUnknown, reasonNoResult
	}
	return controls
}

// stateIndex is the position of a state in CoverageStates.
func stateIndex(state string) int {
	switch state {
	case CoverMet:
		return stMet
	case CoverPartly:
		return stPartly
	case CoverFailed:
		return stFailed
	case CoverNotApplicable:
		return stNotApplicable
	case CoverOutOfScope:
		return stOutOfScope
	}
	return stUnknown
}

// CoverageRows are the CSV rows of the coverage: one per supplier and obligation (the layout a
// spreadsheet's pivot table reads), with the controls behind each cell.
func CoverageRows(cov *Coverage) [][]string {
	rows := [][]string{{"vendor_id", "vendor", "critical", "tier", "frameworks", "assessment_id", "assessment_state", "decided_at",
		"obligation", "regulation", "reference", "state", "controls", "waived", "reason"}}
	for _, sup := range cov.Suppliers {
		aid, decided := "", ""
		if sup.AssessmentID != 0 {
			aid = strconv.FormatInt(sup.AssessmentID, 10)
		}
		if sup.Decided != nil {
			decided = sup.Decided.UTC().Format(time.RFC3339)
		}
		for j, cell := range sup.Cells {
			o := cov.Obligations[j]
			rows = append(rows, []string{strconv.FormatInt(sup.VendorID, 10), sup.Vendor, strconv.FormatBool(sup.Critical), sup.Tier,
				strings.Join(sup.Frameworks, " "), aid, sup.State, decided, o.ID, o.Regulation, o.Reference, cell.State,
				CellControlsText(cell.Controls), strconv.FormatBool(cell.Waived), cell.Reason})
		}
	}
	return rows
}

// CellControlsText is "RS-ROV-01 Met (measured); RS-FILT-02 Not met (declared, waived)".
func CellControlsText(cs []CellControl) string {
	parts := make([]string, len(cs))
	for i, x := range cs {
		extra := x.Basis
		if x.Waived {
			extra += ", waived"
		}
		parts[i] = x.ID + " " + score.Status(x.Status).Label() + " (" + strings.TrimPrefix(extra, ", ") + ")"
	}
	return strings.Join(parts, "; ")
}
