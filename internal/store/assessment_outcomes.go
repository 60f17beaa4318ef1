package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	rw "routewarden/internal/routewarden"
)

type outcomeRow struct {
	AssessmentID int64 `gorm:"primaryKey;autoIncrement:false"`
	Outcomes     string
	ComputedAt   time.Time
}

func (outcomeRow) TableName() string { return "assessment_outcomes" }

// saveOutcomes replaces the per-control results kept for an assessment.
func saveOutcomes(tx *gorm.DB, id int64, o map[string]rw.ControlOutcome, now time.Time) error {
	return tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "assessment_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"outcomes", "computed_at"})}).
		Create(&outcomeRow{AssessmentID: id, Outcomes: encodeOutcomes(o), ComputedAt: now}).Error
}

// The kept results are text, one control a line: "ID<TAB>status<TAB>basis<TAB>waived (0|1)",
// sorted by control ID. A report reads a thousand of them per page, and this parses about ten
// times faster than the same data as JSON. Control IDs, statuses and bases never hold a tab or
// a newline (the library's validation and score's constants).
func encodeOutcomes(o map[string]rw.ControlOutcome) string {
	ids := make([]string, 0, len(o))
	for id := range o {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var b strings.Builder
	for _, id := range ids {
		x := o[id]
		w := "0"
		if x.Waived {
			w = "1"
		}
		b.WriteString(id + "\t" + x.Status + "\t" + x.Basis + "\t" + w + "\n")
	}
	return b.String()
}

func decodeOutcomes(s string) (map[string]rw.ControlOutcome, error) {
	out := make(map[string]rw.ControlOutcome, strings.Count(s, "\n"))
	err := parseOutcomes(s, func(id string, o rw.ControlOutcome) { out[id] = o })
	if err != nil {
		return nil, err
	}
	return out, nil
}

// decodeOutcomeList is decodeOutcomes as a list sorted by control ID, never nil. Lines are
// written sorted; should they not be, they are sorted, and of a control listed twice the last
// line counts, as in the map.
func decodeOutcomeList(s string) ([]rw.KeptOutcome, error) {
	out := make([]rw.KeptOutcome, 0, strings.Count(s, "\n"))
	err := parseOutcomes(s, func(id string, o rw.ControlOutcome) {
		out = append(out, rw.KeptOutcome{Control: id, ControlOutcome: o})
	})
	if err != nil {
		return nil, err
	}
	byID := func(a, b rw.KeptOutcome) int { return strings.Compare(a.Control, b.Control) }
	strictly := func() bool {
		for i := 1; i < len(out); i++ {
			if out[i-1].Control >= out[i].Control {
				return false
			}
		}
		return true
	}
	if !strictly() {
		slices.SortStableFunc(out, byID)
		// Keep the last of equal IDs: reverse, compact (keeps the first), reverse again.
		slices.Reverse(out)
		out = slices.CompactFunc(out, func(a, b rw.KeptOutcome) bool { return a.Control == b.Control })
		slices.Reverse(out)
	}
	return out, nil
}

// parseOutcomes calls fn for each line of kept results s, in order; a malformed line is an
// error quoting it.
func parseOutcomes(s string, fn func(id string, o rw.ControlOutcome)) error {
	for line := range strings.SplitSeq(s, "\n") {
		if line == "" {
			continue
		}
		id, rest, ok1 := strings.Cut(line, "\t")
		st, rest, ok2 := strings.Cut(rest, "\t")
		basis, w, ok3 := strings.Cut(rest, "\t")
		if !ok1 || !ok2 || !ok3 || id == "" || (w != "0" && w != "1") {
			return fmt.Errorf("malformed line %q", line)
		}
		fn(id, rw.ControlOutcome{Status: st, Basis: basis, Waived: w == "1"})
	}
	return nil
}

// FindOutcomes returns the per-control results kept for the given assessments, as last scored;
// an assessment never scored since results were kept, or whose kept results do not parse, is
// absent from the map.
func (db *DB) FindOutcomes(ctx context.Context, ids []int64) (map[int64]map[string]rw.ControlOutcome, error) {
	out := make(map[int64]map[string]rw.ControlOutcome, len(ids))
	// Chunks keep the IN list within every driver's parameter limit.
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		var rows []outcomeRow
		if err := db.q(ctx).Where("assessment_id IN ?", chunk).Find(&rows).Error; err != nil {
			return nil, err
		}
		for _, r := range rows {
			// Results that do not parse (written by an earlier format) count as not kept: the
			// reader scores the assessment again and keeps them anew.
			if m, err := decodeOutcomes(r.Outcomes); err == nil {
				out[r.AssessmentID] = m
			}
		}
	}
	return out, nil
}

// FindOutcomeLists is FindOutcomes with each assessment's results as a list sorted by control
// ID instead of a map: the obligations coverage reads every supplier's results per request,
// and at 10,000 suppliers the maps were the larger part of the read. Read without gorm's
// reflection, in the same chunks.
func (db *DB) FindOutcomeLists(ctx context.Context, ids []int64) (map[int64][]rw.KeptOutcome, error) {
	out := make(map[int64][]rw.KeptOutcome, len(ids))
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		rows, err := db.q(ctx).Raw("SELECT assessment_id, outcomes FROM assessment_outcomes WHERE assessment_id IN ?", chunk).Rows()
		if err != nil {
			return nil, fmt.Errorf("kept results: %w", err)
		}
		if err := scanOutcomeLists(rows, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// scanOutcomeLists decodes every row of rows into out and closes rows; results that do not
// parse count as not kept, as in FindOutcomes.
func scanOutcomeLists(rows *sql.Rows, out map[int64][]rw.KeptOutcome) error {
	defer rows.Close()
	for rows.Next() {
		var id int64
		var text string
		if err := rows.Scan(&id, &text); err != nil {
			return fmt.Errorf("kept results: scan: %w", err)
		}
		if l, err := decodeOutcomeList(text); err == nil {
			out[id] = l
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("kept results: %w", err)
	}
	return nil
}
