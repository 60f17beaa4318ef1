package routewarden

import "time"

// LatestAssessment is the headline of a vendor's most recent assessment that is not cancelled,
// as the vendor list shows it: its state, due date, rating and inherent tier.
type LatestAssessment struct {
	ID          int64
	State       AssessmentState
	DueDate     time.Time // UTC midnight
	Rating      string    // residual rating: low, medium, high, severe; "" until computed
	Provisional bool      // the rating rests on measured controls only (before the vendor submitted)
	Tier        string    // inherent tier: Low, Moderate, Elevated, Critical
}

// Overdue reports whether the due date has passed while the vendor still owes answers.
func (l *LatestAssessment) Overdue(now time.Time) bool {
	return l != nil && l.State.VendorCanEdit() && now.After(l.DueDate.Add(24*time.Hour))
}

// VendorSortKeys are the columns the vendor list sorts by, in the order the list shows them.
var VendorSortKeys = []string{"name", "rating", "state", "due", "tier"}

// Ratings lists the residual ratings from best to worst; Tiers the inherent tiers from lowest to
// highest. Sorting by rating or tier follows these orders, not the alphabet.
var (
	Ratings = []string{"low", "medium", "high", "severe"}
	Tiers   = []string{"Low", "Moderate", "Elevated", "Critical"}
)

// VendorSort turns a list column and a direction ("asc" or "desc") into a VendorFilter.Sort
// value ("rating", "-rating"). An unknown column sorts by name; a column given with a leading
// minus (the API's form) keeps it unless dir says otherwise.
func VendorSort(key, dir string) string {
	desc := len(key) > 0 && key[0] == '-'
	if desc {
		key = key[1:]
	}
	switch dir {
	case "desc":
		desc = true
	case "asc":
		desc = false
	}
	known := key == "updated"
	for _, k := range VendorSortKeys {
		known = known || k == key
	}
	if !known {
		key = "name"
	}
	if desc {
		return "-" + key
	}
	return key
}
