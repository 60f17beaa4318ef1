// Package routewarden holds the domain of Routewarden: vendors, the services bought from them,
// their networks and contacts, users and roles, the errors every layer speaks, and the store
// interfaces the other packages implement. It imports the standard library only.
package routewarden

import (
	"errors"
	"fmt"
)

// Error codes. The web package maps each to one HTTP status in one place.
const (
	EINVALID      = "invalid"      // input failed validation
	ENOTFOUND     = "not_found"    // the entity does not exist (or is not visible to the caller)
	ECONFLICT     = "conflict"     // a unique value is taken, or a concurrent change won
	EUNAUTHORIZED = "unauthorized" // no or bad credentials
	EFORBIDDEN    = "forbidden"    // credentials fine, role not allowed
	ERATELIMIT    = "rate_limited" // too many attempts
	ETOOLARGE     = "too_large"    // the request body is over its size limit
	EINTERNAL     = "internal"     // a bug or an outage; the message is not shown to users
)

// Error is the domain error. Message is safe to show to the user. Field, when set, names the input
// field at fault (its JSON/form name).
type Error struct {
	Code    string
	Message string
	Field   string
}

// Error implements the error interface.
func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s (%s)", e.Code, e.Message, e.Field)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldError returns an EINVALID error about one input field.
func FieldError(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Message: fmt.Sprintf(format, args...), Field: field}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for any other
// non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-safe message of err: the *Error's message, or a generic text
// for internal errors so that details never leak to users.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "An internal error occurred."
}

// ErrorField returns the field named by the *Error in err's chain, if any.
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// ValidationErrors collects several field errors from one input. It is itself an EINVALID error
// (its first entry), so callers that handle one error still work.
type ValidationErrors []*Error

// Error implements the error interface.
func (v ValidationErrors) Error() string {
	if len(v) == 0 {
		return "invalid: no errors"
	}
	return v[0].Error()
}

// Unwrap exposes the entries to errors.As, so ErrorCode reports EINVALID.
func (v ValidationErrors) Unwrap() []error {
	out := make([]error, len(v))
	for i, e := range v {
		out[i] = e
	}
	return out
}

// Err returns nil when v is empty, otherwise v.
func (v ValidationErrors) Err() error {
	if len(v) == 0 {
		return nil
	}
	return v
}

// ByField returns the messages keyed by field name (the first message per field).
func (v ValidationErrors) ByField() map[string]string {
	m := make(map[string]string, len(v))
	for _, e := range v {
		if _, ok := m[e.Field]; !ok {
			m[e.Field] = e.Message
		}
	}
	return m
}
