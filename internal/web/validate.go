package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/go-playground/validator/v10"

	rw "routewarden/internal/routewarden"
)

func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			name, _, _ = strings.Cut(f.Tag.Get("form"), ",")
		}
		return name
	})
	v.RegisterValidation("lei", func(fl validator.FieldLevel) bool {
		return rw.ValidateLEI(strings.ToUpper(strings.TrimSpace(fl.Field().String()))) == nil
	})
	v.RegisterValidation("country", func(fl validator.FieldLevel) bool {
		return rw.ValidCountry(strings.ToUpper(strings.TrimSpace(fl.Field().String())))
	})
	v.RegisterValidation("servicetype", func(fl validator.FieldLevel) bool {
		return rw.ServiceTypeLabel(fl.Field().String()) != fl.Field().String()
	})
	v.RegisterValidation("providertype", func(fl validator.FieldLevel) bool {
		return rw.ProviderType(fl.Field().String()).Valid()
	})
	v.RegisterValidation("asn", func(fl validator.FieldLevel) bool {
		_, err := rw.ParseASN(fl.Field().String())
		return err == nil && fl.Field().String() != "0" && fl.Field().String() != "AS0"
	})
	return v
}

var tagMessages = map[string]string{
	"required":     "This field is required.",
	"max":          "This value is too long (at most %s).",
	"min":          "This value is too short (at least %s).",
	"email":        "Enter an e-mail address such as name@example.net.",
	"url":          "Enter a URL such as https://example.net.",
	"http_url":     "Enter a URL such as https://example.net.",
	"lei":          "LEI is not valid: it must be 20 characters whose ISO 17442 (mod 97-10) check digits match.",
	"country":      "Enter an ISO 3166-1 alpha-2 country code such as DE or NL.",
	"servicetype":  "Choose a DORA register service type S01–S19.",
	"providertype": "Choose one of transit, access, cloud, cdn, ddos, ixp.",
	"asn":          "Enter an AS number between 1 and 4294967295, e.g. 64500 or AS64500.",
	"oneof":        "Choose one of: %s.",
	"datetime":     "Enter a date as YYYY-MM-DD.",
}

// check validates an input struct and returns field errors named as in JSON/forms.
func (s *Server) check(in any) error {
	err := s.validate.Struct(in)
	var ves validator.ValidationErrors
	if !errors.As(err, &ves) {
		return err
	}
	var out rw.ValidationErrors
	for _, fe := range ves {
		msg, ok := tagMessages[fe.Tag()]
		if !ok {
			msg = "This value is not valid."
		}
		if strings.Contains(msg, "%s") {
			msg = fmt.Sprintf(msg, fe.Param())
		}
		field := fe.Namespace()
		if i := strings.IndexByte(field, '.'); i >= 0 {
			field = field[i+1:]
		}
		out = append(out, &rw.Error{Code: rw.EINVALID, Message: msg, Field: field})
	}
	return out
}

// bindJSON decodes a JSON body strictly (unknown fields and trailing data are errors) and
// validates it.
func (s *Server) bindJSON(c *gin.Context, dst any) error {
	dec := json.NewDecoder(c.Request.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return rw.Errorf(rw.EINVALID, "The request body must hold exactly one JSON object.")
	}
	return s.check(dst)
}

func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var tooBig *http.MaxBytesError
	switch {
	case errors.Is(err, io.EOF):
		return rw.Errorf(rw.EINVALID, "The request body is empty; send a JSON object.")
	case errors.As(err, &syn):
		return rw.Errorf(rw.EINVALID, "The request body is not valid JSON (at byte %d).", syn.Offset)
	case errors.As(err, &typ):
		return &rw.Error{Code: rw.EINVALID, Message: fmt.Sprintf("Field %q must be %s.", typ.Field, typeWord(typ.Type)), Field: typ.Field}
	case errors.As(err, &tooBig):
		return bodyError(err, "request body")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &rw.Error{Code: rw.EINVALID, Message: fmt.Sprintf("Unknown field %q.", f), Field: f}
	}
	return rw.Errorf(rw.EINVALID, "The request body could not be read: %v", err)
}

// typeWord names a Go type the way an API user thinks of it.
func typeWord(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Uint32:
		return "an AS number between 1 and 4294967295 (64500 or \"AS64500\")"
	case reflect.Int, reflect.Int64:
		return "a whole number"
	case reflect.Slice:
		return "a list"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return t.String()
}
