// Package demo seeds a clearly-labelled synthetic portfolio: demo users and vendors of different
// kinds and sizes with their services, networks and contacts. Every vendor is flagged Demo, its
// ASNs come from the documentation ranges (RFC 5398) and its prefixes from the documentation
// blocks (RFC 5737, RFC 3849), so nothing can be mistaken for a real supplier.
package demo

import (
	"context"
	"fmt"
	"net/netip"
	"time"

	rw "routewarden/internal/routewarden"
)

// Password is the password of every demo user.
const Password = "demo"

// Users are the demo accounts, one per role.
var Users = []struct {
	Email string
	Name  string
	Role  rw.Role
}{
	{"admin@demo.example", "Ada Admin (demo)", rw.RoleAdmin},
	{"procurement@demo.example", "Paul Procurement (demo)", rw.RoleProcurement},
	{"risk@demo.example", "Rita Risk (demo)", rw.RoleRiskOfficer},
	{"auditor@demo.example", "Otto Auditor (demo)", rw.RoleAuditor},
}

// Result says what Seed created.
type Result struct {
	Users, Vendors, Snapshots, Assessments int
}

// Stores are what seeding writes to. Snapshots may be nil (no routing evidence is seeded then).
type Stores struct {
	Users     rw.UserStore
	Vendors   rw.VendorStore
	Snapshots rw.SnapshotStore
	Now       func() time.Time
	// Lock, when set, runs fn while no other process or goroutine seeds the same database (the
	// store's WithLock): several instances started together with --demo then seed once.
	Lock func(ctx context.Context, name string, fn func() error) error
	// History, when set, receives a few weeks of monitoring history (earlier snapshot
	// generations with a monitor pass each) and a pass over the current data.
	History HistoryStore
}

// Seed creates the demo users that do not exist yet and, when the database holds no vendors,
// the demo portfolio; then the synthetic routing-data snapshots and the check results of the
// demo networks. It is safe to run more than once, and, with st.Lock, at the same time.
func Seed(ctx context.Context, st Stores, hash func(string) (string, error)) (Result, error) {
	if st.Lock == nil {
		return seed(ctx, st, hash)
	}
	var res Result
	err := st.Lock(ctx, "demo-seed", func() error {
		var err error
		res, err = seed(ctx, st, hash)
		return err
	})
	return res, err
}

func seed(ctx context.Context, st Stores, hash func(string) (string, error)) (Result, error) {
	res, err := seedPortfolio(ctx, st.Users, st.Vendors, hash)
	if err != nil {
		return res, err
	}
	now := time.Now().UTC()
	if st.Now != nil {
		now = st.Now()
	}
	if st.Snapshots != nil && st.History != nil && res.Vendors > 0 {
		if _, err := SeedHistory(ctx, st.Snapshots, st.History, now); err != nil {
			return res, err
		}
	}
	if st.Snapshots != nil {
		if res.Snapshots, err = SeedEvidence(ctx, st.Snapshots, st.Vendors, now); err != nil {
			return res, err
		}
	}
	if st.Snapshots != nil && st.History != nil && res.Vendors > 0 {
		if _, err := MonitorNow(ctx, st.Snapshots, st.History, nil, now); err != nil {
			return res, err
		}
	}
	if as, ok := st.Vendors.(AssessmentStores); ok && res.Vendors > 0 {
		res.Assessments, err = SeedAssessments(ctx, as, st.Vendors, st.Snapshots, now)
	}
	return res, err
}

func seedPortfolio(ctx context.Context, users rw.UserStore, vendors rw.VendorStore, hash func(string) (string, error)) (Result, error) {
	var res Result
	for _, du := range Users {
		_, err := users.FindUserByEmail(ctx, du.Email)
		if err == nil {
			continue
		} else if rw.ErrorCode(err) != rw.ENOTFOUND {
			return res, err
		}
		h, err := hash(Password)
		if err != nil {
			return res, err
		}
		if err := users.CreateUser(ctx, &rw.User{Email: du.Email, Name: du.Name, Role: du.Role, PasswordHash: h}); rw.ErrorCode(err) == rw.ECONFLICT {
			continue // made meanwhile by a process that seeds without the lock
		} else if err != nil {
			return res, fmt.Errorf("demo user %s: %w", du.Email, err)
		}
		res.Users++
	}
	_, total, err := vendors.FindVendors(ctx, rw.VendorFilter{Limit: 1})
	if err != nil || total > 0 {
		return res, err
	}
	for _, v := range Portfolio() {
		v.Demo = true
		if err := vendors.CreateVendor(ctx, v); err != nil {
			return res, fmt.Errorf("demo vendor %s: %w", v.LegalName, err)
		}
		res.Vendors++
	}
	if rs, ok := vendors.(rw.RegisterStore); ok {
		if err := rs.SaveRegisterEntity(ctx, Entity()); err != nil {
			return res, fmt.Errorf("demo register entity: %w", err)
		}
	}
	return res, nil
}

func lei(entity string) string {
	p := "9845" + "00" + entity
	return p + rw.LEICheckDigits(p)
}

func date(s string) *time.Time {
	t, _ := time.Parse("2006-01-02", s)
	return &t
}

func pfx(ss ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(ss))
	for i, s := range ss {
		out[i] = netip.MustParsePrefix(s)
	}
	return out
}

func svc(name, typ string, pt rw.ProviderType, critical bool, subst string, regs ...string) *rw.Service {
	return &rw.Service{Name: name, Type: typ, ProviderType: pt, Critical: critical, Substitutability: subst, Regulations: regs,
		ContractRef: "DEMO-" + typ, ContractStart: date("2024-01-01"), ContractEnd: date("2027-12-31")}
}

// Portfolio returns the demo vendors (fresh values on every call).
func Portfolio() []*rw.Vendor {
	vs := []*rw.Vendor{
		{LegalName: "Northwind Transit AG", LEI: lei("DEMONORTHW01"), Country: "DE", Website: "https://northwind-transit.example",
			Description: "Tier-1 style IP transit carrier; primary upstream for both data centres.",
			Services:    []*rw.Service{svc("IP transit, 2×100G, Frankfurt and Amsterdam", "S10", rw.ProviderTransit, true, "highly_complex", "DORA", "NIS2")},
			Networks: []*rw.Network{{ASN: 64496, Name: "Northwind backbone", ASSet: "AS-NORTHWIND", ExpectedPrefixes: pfx("192.0.2.0/24", "2001:db8:100::/40")},
				{ASN: 64497, Name: "Northwind Americas"}},
			Contacts: []*rw.Contact{{Name: "Northwind NOC", Email: "noc@northwind-transit.example", Role: "NOC", Phone: "+49 69 0000 0000"}}},
		{LegalName: "Bluefjord Cloud Oy", LEI: lei("DEMOBLUEFJ02"), Country: "FI", Website: "https://bluefjord.example",
			Description: "Public cloud (IaaS) hosting the payments platform.",
			Services: []*rw.Service{svc("IaaS region eu-north", "S17", rw.ProviderCloud, true, "not_substitutable", "DORA"),
				svc("Managed object storage", "S18", rw.ProviderCloud, false, "medium_complexity", "DORA")},
			Networks: []*rw.Network{{ASN: 64498, Name: "Bluefjord cloud edge", ASSet: "AS-BLUEFJORD", ExpectedPrefixes: pfx("198.51.100.0/24")}},
			Contacts: []*rw.Contact{{Name: "Bluefjord security team", Email: "security@bluefjord.example", Role: "Security"}}},
		{LegalName: "Meridian Edge CDN B.V.", LEI: lei("DEMOMERIDI03"), Country: "NL", Website: "https://meridian-cdn.example",
			Description: "Content delivery for the public website and mobile app.",
			Services:    []*rw.Service{svc("CDN for www and app", "S11", rw.ProviderCDN, false, "easily_substitutable", "NIS2")},
			Networks:    []*rw.Network{{ASN: 64499, Name: "Meridian anycast", ExpectedPrefixes: pfx("203.0.113.0/24", "2001:db8:200::/40")}}},
		{LegalName: "Aegis Scrubbing Services Ltd", LEI: lei("DEMOAEGISS04"), Country: "IE", Website: "https://aegis-scrubbing.example",
			Description: "Always-on DDoS scrubbing via BGP diversion.",
			Services:    []*rw.Service{svc("DDoS protection (BGP diversion)", "S04", rw.ProviderDDoS, true, "medium_complexity", "DORA", "NIS2")},
			Networks:    []*rw.Network{{ASN: 64500, Name: "Aegis scrubbing centres", ASSet: "AS-AEGIS"}},
			Contacts:    []*rw.Contact{{Name: "Aegis SOC", Email: "soc@aegis-scrubbing.example", Role: "SOC 24/7"}}},
		{LegalName: "Mainport Internet Exchange e.V.", Country: "DE", Website: "https://mainport-ix.example",
			Description: "Internet exchange with route servers; peering for latency-sensitive traffic.",
			Services:    []*rw.Service{svc("IXP port 2×10G with route-server peering", "S11", rw.ProviderIXP, false, "medium_complexity", "NIS2")},
			Networks:    []*rw.Network{{ASN: 64501, Name: "Mainport route servers", ASSet: "AS-MAINPORT-RS"}}},
		{LegalName: "Société Générale des Réseaux SA", LEI: lei("DEMOSGRESE06"), Country: "FR", Website: "https://sgr-reseaux.example",
			Description: "Direct internet access for branch offices in France (synthetic; not the bank).",
			Services:    []*rw.Service{svc("Direct internet access, 42 branches", "S10", rw.ProviderAccess, true, "medium_complexity", "DORA", "CER")},
			Networks:    []*rw.Network{{ASN: 64502, Name: "SGR access", ExpectedPrefixes: pfx("2001:db8:300::/40")}}},
		{LegalName: "Zürich Fibre Networks GmbH", LEI: lei("DEMOZURICH07"), Country: "CH", Website: "https://zfn.example",
			Description: "Secondary transit and dark fibre between the Zürich sites.",
			Services:    []*rw.Service{svc("Secondary IP transit 10G", "S10", rw.ProviderTransit, false, "easily_substitutable", "DORA")},
			Networks:    []*rw.Network{{ASN: 65536, Name: "ZFN core"}, {ASN: 65537, Name: "ZFN customers"}}},
		{LegalName: "Łódź Data Centre sp. z o.o.", LEI: lei("DEMOLODZDC08"), Country: "PL", Website: "https://lodz-dc.example",
			Description: "Colocation with blended internet access for the disaster-recovery site.",
			Services:    []*rw.Service{svc("Colocation and blended IP", "S07", rw.ProviderAccess, true, "highly_complex", "DORA", "NIS2")},
			Networks:    []*rw.Network{{ASN: 65538, Name: "Łódź DC blended IP"}}},
		{LegalName: "Atlantic Subsea Carrier Inc.", LEI: lei("DEMOATLANT09"), Country: "US", Website: "https://atlantic-subsea.example",
			Description: "Transatlantic capacity and transit for the New York office.",
			Services:    []*rw.Service{svc("Transatlantic IP transit", "S10", rw.ProviderTransit, true, "not_substitutable", "DORA")},
			Networks:    []*rw.Network{{ASN: 65539, Name: "Atlantic backbone", ASSet: "AS-ATLANTIC"}, {ASN: 65540, Name: "Atlantic Europe"}}},
		{LegalName: "Hanseatic Access KG", Country: "DE", Website: "https://hanseatic-access.example",
			Description: "Small regional ISP; backup DSL/fibre for the Hamburg office.",
			Services:    []*rw.Service{svc("Business fibre 1G (backup)", "S10", rw.ProviderAccess, false, "easily_substitutable")},
			Networks:    []*rw.Network{{ASN: 65541, Name: "Hanseatic access"}}},
	}
	registerData(vs)
	return vs
}
