package rpki

// aspa reads one ASPA entry in any of the seen shapes: {customer_asid, providers[]} (rpki-client),
// {customer_asid, provider_asids[]}, {customer: "AS1", providers: ["AS2"]} (Routinator, RIPE
// Validator), providers given as integers, "ASn" strings or {asid, afi_limit} objects.
func (jr *jsonReader) aspa() error {
	s := jr.s
	at := s.off()
	var a ASPA
	hasCustomer := false
	err := s.object(func(key []byte, _ int64) error {
		switch string(key) {
		case "customer_asid", "customer", "customerAsid", "customer_asn", "customerAsn":
			n, err := jr.asn()
			a.Customer, hasCustomer = n, true
			return err
		case "providers", "provider_asids", "providerSet", "provider_set", "providerAsids", "providerAsns":
			return s.array(func() error {
				p, err := jr.provider()
				a.Providers = append(a.Providers, p)
				return err
			})
		}
		return s.skip()
	})
	if err != nil {
		return err
	}
	if !hasCustomer {
		return s.errAt(at, "ASPA entry without customer")
	}
	if len(a.Providers) == 0 {
		return s.errAt(at, "ASPA entry for AS%d without providers", a.Customer)
	}
	jr.set.ASPAs = append(jr.set.ASPAs, a)
	return nil
}

func (jr *jsonReader) provider() (uint32, error) {
	s := jr.s
	c, err := s.peek()
	if err != nil || c != '{' {
		return jr.asn()
	}
	at := s.off()
	var p uint32
	found := false
	err = s.object(func(key []byte, _ int64) error {
		switch string(key) {
		case "asid", "provider_asid", "asn", "provider", "providerAsid", "providerAsn":
			n, err := jr.asn()
			p, found = n, true
			return err
		}
		return s.skip()
	})
	if err == nil && !found {
		err = s.errAt(at, "ASPA provider entry without asid")
	}
	return p, err
}
