package web

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"routewarden/internal/control"
)

// controlListJSON is the body of GET /api/v1/controls: the rows `routewarden controls list
// --format json` prints, with the library version they come from.
type controlListJSON struct {
	Library  string               `json:"library"`
	Version  string               `json:"version"`
	Digest   string               `json:"digest"`
	Total    int                  `json:"total"`
	Controls []control.ControlRow `json:"controls"`
}

// controlJSON is the body of GET /api/v1/controls/{id}: the control as `routewarden controls
// show --format json` prints it, plus its library version.
type controlJSON struct {
	Library string `json:"library"`
	Version string `json:"version"`
	*control.Control
}

// obligationListJSON is the body of GET /api/v1/obligations.
type obligationListJSON struct {
	Library     string                  `json:"library"`
	Version     string                  `json:"version"`
	Total       int                     `json:"total"`
	Obligations []control.ObligationRow `json:"obligations"`
}

// obligationJSON is the body of GET /api/v1/obligations/{id}.
type obligationJSON struct {
	Library string `json:"library"`
	Version string `json:"version"`
	control.ObligationRow
}

func (s *Server) apiControlList(c *gin.Context) {
	l, cat, err := s.library(c)
	var f controlFilter
	if err == nil {
		f, err = parseControlFilter(c, l, cat)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	out := controlListJSON{Library: l.Name, Version: l.Version, Digest: digestOf(l), Controls: []control.ControlRow{}}
	for _, ctl := range l.Select(f.Match) {
		out.Controls = append(out.Controls, ctl.Row())
	}
	out.Total = len(out.Controls)
	c.JSON(http.StatusOK, out)
}

func (s *Server) apiControlGet(c *gin.Context) {
	l, _, err := s.library(c)
	var ctl *control.Control
	if err == nil {
		ctl, err = findControl(c, l)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, controlJSON{Library: l.Name, Version: l.Version, Control: ctl})
}

func (s *Server) apiObligationList(c *gin.Context) {
	l, cat, err := s.library(c)
	var reg string
	if err == nil {
		reg, err = regulationFilter(c, cat)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	out := obligationListJSON{Library: l.Name, Version: l.Version, Obligations: []control.ObligationRow{}}
	for _, r := range l.ObligationRows(cat) {
		if reg == "" || r.Regulation == reg {
			out.Obligations = append(out.Obligations, r)
		}
	}
	out.Total = len(out.Obligations)
	c.JSON(http.StatusOK, out)
}

func (s *Server) apiObligationGet(c *gin.Context) {
	l, cat, err := s.library(c)
	var o *control.Obligation
	if err == nil {
		o, _, err = findObligation(c, cat)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	for _, r := range l.ObligationRows(cat) {
		if r.ID == o.ID {
			c.JSON(http.StatusOK, obligationJSON{Library: l.Name, Version: l.Version, ObligationRow: r})
			return
		}
	}
	s.fail(c, fmt.Errorf("obligation %s has no row in %s %s", o.ID, l.Name, l.Version))
}

// controlSchemas returns the API schemas of the control library, merged into the OpenAPI
// document's components when it is built (as reportAPI's are).
func controlSchemas() map[string]any {
	schemas := map[string]any{}
	num := map[string]any{"type": "number"}
	arr := func(item any) map[string]any { return map[string]any{"type": "array", "items": item} }
	enum := func(values ...string) map[string]any { return map[string]any{"type": "string", "enum": values} }
	basis := enum(control.Bases...)
	check := obj([]string{"check", "better", "pass"}, map[string]any{"check": str, "better": enum("higher", "lower"), "pass": num, "warn": num, "note": str})
	schemas["CheckRule"] = check
	schemas["ControlRow"] = obj([]string{"id", "title", "family", "applies_to", "manrs", "severity", "weight", "basis", "checks", "questions", "obligations"},
		map[string]any{"id": str, "title": str, "family": str, "applies_to": arr(enum(control.ProviderTypes...)), "manrs": strArr,
			"severity": enum(control.Severities...), "weight": integ, "basis": basis, "checks": arr(ref("CheckRule")),
			"questions": map[string]any{"type": "integer", "description": "number of questions"}, "obligations": strArr})
	schemas["ControlList"] = obj([]string{"library", "version", "total", "controls"}, map[string]any{"library": str, "version": str,
		"digest": map[string]any{"type": "string", "description": "sha256 of the library version's canonical form"}, "total": integ,
		"controls": arr(ref("ControlRow"))})
	test := obj([]string{"op", "value"}, map[string]any{"op": str, "value": str})
	schemas["Question"] = obj([]string{"id", "text", "type"}, map[string]any{"id": str, "text": str, "help": str,
		"type": enum(control.QuestionTypes...), "optional": boolT, "options": arr(obj([]string{"value", "label"}, map[string]any{"value": str, "label": str})),
		"min": num, "max": num, "unit": str,
		"when":     obj([]string{"question", "op", "value"}, map[string]any{"question": str, "op": str, "value": str}),
		"evidence": str, "prefill": str,
		"contradictions": arr(obj([]string{"answer", "measured", "reason"}, map[string]any{"answer": test,
			"measured": obj([]string{"check", "op", "value"}, map[string]any{"check": str, "op": str, "value": num}), "reason": str}))})
	schemas["Control"] = obj([]string{"library", "version", "id", "title", "family", "basis", "questions", "obligations"}, map[string]any{
		"library": str, "version": str, "id": str, "title": str, "family": str, "objective": str, "rationale": str,
		"applies_to": arr(enum(control.ProviderTypes...)), "manrs": strArr, "severity": enum(control.Severities...), "weight": integ,
		"basis": basis, "checks": arr(ref("CheckRule")),
		"evidence":  arr(obj([]string{"id", "title", "required"}, map[string]any{"id": str, "title": str, "description": str, "required": boolT})),
		"questions": arr(ref("Question")), "obligations": strArr})
	schemas["Obligation"] = obj([]string{"id", "regulation", "reference", "title", "paraphrase", "source", "informational", "controls"},
		map[string]any{"library": str, "version": str, "id": str, "regulation": str, "reference": str, "title": str, "paraphrase": str,
			"source": map[string]any{"type": "string", "format": "uri", "description": "EUR-Lex URL"}, "applicability": str,
			"informational": boolT, "controls": map[string]any{"type": "array", "items": str, "description": "IDs of the controls behind it"}})
	schemas["ObligationList"] = obj([]string{"library", "version", "total", "obligations"}, map[string]any{"library": str, "version": str,
		"total": integ, "obligations": arr(ref("Obligation"))})
	return schemas
}
