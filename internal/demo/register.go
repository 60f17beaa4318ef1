package demo

import (
	"fmt"

	rw "routewarden/internal/routewarden"
)

// Entity is the demo financial entity maintaining the DORA register of information.
func Entity() *rw.RegisterEntity {
	return &rw.RegisterEntity{LEI: lei("DEMOBANKAG00"), Name: "Demo Bank AG (synthetic)", Country: "DE",
		EntityType: "eba_CT:x12", CompetentAuthority: "BaFin (demo)", Currency: "EUR"}
}

// registerData fills the register-of-information fields of the demo services: a unique contract
// reference each, and for every service the function it supports, reliance, exit plan and
// recovery objectives — except the non-critical secondary transit of Zürich Fibre Networks,
// which deliberately lacks them so the register lint has something to show.
func registerData(vs []*rw.Vendor) {
	for i, v := range vs {
		for j, s := range v.Services {
			s.ContractRef = fmt.Sprintf("DEMO-%02d%d-%s", i+1, j+1, s.Type)
			if v.LegalName == "Zürich Fibre Networks GmbH" {
				continue
			}
			s.FunctionName = "Payments and online banking"
			s.Reliance, s.ExitPlan = "low", "yes"
			rto, rpo := 24, 4
			if s.Critical {
				s.Reliance, rto, rpo = "material", 4, 1
				if s.Substitutability == "not_substitutable" {
					s.Reliance = "full"
				}
			}
			s.RTOHours, s.RPOHours = &rto, &rpo
		}
	}
}
