package routewarden

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// RegisterEntity is the financial entity maintaining the DORA register of information
// (template B_01.01 of Implementing Regulation (EU) 2024/2956). There is one per installation.
type RegisterEntity struct {
	LEI                string
	Name               string
	Country            string // ISO 3166-1 alpha-2
	EntityType         string // EBA code of the type of entity, e.g. "eba_CT:x12" (credit institution)
	CompetentAuthority string
	Currency           string // ISO 4217, the reporting currency
	UpdatedAt          time.Time
}

// RegisterEntityTypes are the common EBA codes of B_01.01 column 0040 (type of entity); the
// full list has 24 entries, these are offered in forms and any eba_CT code is accepted.
var RegisterEntityTypes = []struct{ Code, Label string }{
	{"eba_CT:x12", "Credit institution"},
	{"eba_CT:x599", "Investment firm"},
	{"eba_CT:x300", "Payment institution"},
	{"eba_CT:x302", "Electronic money institution"},
	{"eba_CT:x309", "Insurance and reinsurance undertaking"},
	{"eba_CT:x307", "Manager of alternative investment funds"},
	{"eba_CT:x639", "Asset management company"},
	{"eba_CT:x316", "Other financial entity"},
}

// Validate checks the fields that are filled; empty fields are reported by the register lint,
// not here, so a partial entity can be saved.
func (e *RegisterEntity) Validate() error {
	var errs ValidationErrors
	e.LEI = strings.ToUpper(strings.TrimSpace(e.LEI))
	e.Name = strings.TrimSpace(e.Name)
	e.Country = strings.ToUpper(strings.TrimSpace(e.Country))
	e.EntityType = strings.TrimSpace(e.EntityType)
	e.CompetentAuthority = strings.TrimSpace(e.CompetentAuthority)
	e.Currency = strings.ToUpper(strings.TrimSpace(e.Currency))
	if e.LEI != "" {
		if err := ValidateLEI(e.LEI); err != nil {
			errs = append(errs, FieldError("lei", "%s", err.Error()))
		}
	}
	if utf8.RuneCountInString(e.Name) > 200 || utf8.RuneCountInString(e.CompetentAuthority) > 200 {
		errs = append(errs, FieldError("name", "Name and competent authority must be at most 200 characters."))
	}
	if e.Country != "" && !ValidCountry(e.Country) {
		errs = append(errs, FieldError("country", "Country must be an ISO 3166-1 alpha-2 code such as DE (got %q).", e.Country))
	}
	if e.EntityType != "" && (!strings.HasPrefix(e.EntityType, "eba_CT:x") || len(e.EntityType) > 20) {
		errs = append(errs, FieldError("entity_type", "Type of entity must be an EBA code such as eba_CT:x12 (got %q).", e.EntityType))
	}
	if e.Currency != "" && (len(e.Currency) != 3 || strings.Trim(e.Currency, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "") {
		errs = append(errs, FieldError("currency", "Currency must be an ISO 4217 code such as EUR (got %q).", e.Currency))
	}
	return errs.Err()
}

// RegisterStore keeps the entity maintaining the register. FindRegisterEntity returns an empty
// entity (not an error) when none was saved yet.
type RegisterStore interface {
	FindRegisterEntity(ctx context.Context) (*RegisterEntity, error)
	SaveRegisterEntity(ctx context.Context, e *RegisterEntity) error
}
