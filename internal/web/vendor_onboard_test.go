package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"routewarden/internal/demo"
	rw "routewarden/internal/routewarden"
)

// newVendorForm is a filled new-vendor form with two service and two contact rows.
func newVendorForm(name string) url.Values {
	return url.Values{"legal_name": {name}, "country": {"DE"}, "service_rows": {"2"}, "contact_rows": {"2"},
		"services.0.name": {"IP transit Frankfurt"}, "services.0.type": {"S10"}, "services.0.provider_type": {"transit"}, "services.0.critical": {"true"},
		"contacts.0.name": {"NOC"}, "contacts.0.email": {"noc@example.net"}, "contacts.0.role": {"NOC"}}
}

func (e *env) vendorByName(name string) *rw.Vendor {
	e.t.Helper()
	list, _, err := e.db.FindVendors(context.Background(), rw.VendorFilter{Query: name})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, v := range list {
		if v.LegalName == name {
			full, err := e.db.FindVendorByID(context.Background(), v.ID)
			if err != nil {
				e.t.Fatal(err)
			}
			return full
		}
	}
	return nil
}

func TestVendorFormRows(t *testing.T) {
	e := newEnv(t, true)
	b, _ := e.login("procurement@demo.example", demo.Password)

	t.Run("countries by name, empty rows, add-another buttons", func(t *testing.T) {
		_, page := b.get("/vendors/new")
		for _, want := range []string{`<option value="DE" >Germany</option>`, `<option value="CH" >Switzerland</option>`,
			`name="services.1.name"`, `name="contacts.1.email"`, `<label for="contacts.1.email">E-mail</label>`,
			`name="add" value="service"`, `name="add" value="contact"`} {
			if !strings.Contains(page, want) {
				t.Errorf("form lacks %s", want)
			}
		}
		if strings.Contains(page, `name="services.2.name"`) {
			t.Error("more than two service rows before asking")
		}
	})

	t.Run("add another re-renders with one more row and keeps the input", func(t *testing.T) {
		before := e.countVendors()
		f := newVendorForm("Rows Ltd")
		f.Set("add", "contact")
		code, page := b.post("/vendors", b.form(f))
		if code != http.StatusOK || !strings.Contains(page, `name="contacts.2.email"`) || strings.Contains(page, `name="contacts.3.email"`) ||
			!strings.Contains(page, `value="IP transit Frankfurt"`) || !strings.Contains(page, `value="noc@example.net"`) {
			t.Fatalf("add another: %d", code)
		}
		if e.countVendors() != before {
			t.Fatal("add another saved the vendor")
		}
	})

	t.Run("a bad contact row saves nothing and names the row and field", func(t *testing.T) {
		before := e.countVendors()
		f := newVendorForm("Half Saved GmbH")
		f.Set("asns", "AS65010")
		f.Set("contacts.1.name", "Security desk")
		f.Set("contacts.1.email", "security at example")
		code, page := b.post("/vendors", b.form(f))
		if code != http.StatusBadRequest {
			t.Fatalf("status %d", code)
		}
		if !strings.Contains(page, "Contact 2, e-mail: E-mail must be an address") || !strings.Contains(page, "Nothing was saved") {
			t.Errorf("the error does not name the row and field:\n%s", page)
		}
		if !strings.Contains(page, `value="security at example"`) || !strings.Contains(page, `value="IP transit Frankfurt"`) || !strings.Contains(page, `value="AS65010"`) && !strings.Contains(page, "AS65010</textarea>") {
			t.Error("the typed rows were not kept")
		}
		if e.countVendors() != before || e.vendorByName("Half Saved GmbH") != nil {
			t.Fatal("a vendor was saved although a contact row is bad")
		}
		if ns, _ := e.db.FindNetworksByASN(context.Background(), 65010); len(ns) != 0 {
			t.Fatal("the network was saved although a contact row is bad")
		}
	})

	t.Run("a bad service row names its row and field", func(t *testing.T) {
		f := newVendorForm("Bad Service AG")
		f.Set("services.1.name", "Scrubbing")
		code, page := b.post("/vendors", b.form(f))
		if code != http.StatusBadRequest || !strings.Contains(page, "Service 2, DORA service type:") || !strings.Contains(page, "Service 2, provider type:") {
			t.Fatalf("status %d", code)
		}
	})

	t.Run("services and contacts saved with the vendor", func(t *testing.T) {
		code, _ := b.post("/vendors", b.form(newVendorForm("Complete Onboarding BV")))
		if code != http.StatusSeeOther {
			t.Fatalf("status %d", code)
		}
		v := e.vendorByName("Complete Onboarding BV")
		if v == nil || v.Country != "DE" || len(v.Services) != 1 || !v.Services[0].Critical || v.Services[0].Type != "S10" ||
			len(v.Contacts) != 1 || v.Contacts[0].Email != "noc@example.net" {
			t.Fatalf("saved vendor: %+v", v)
		}
		_, page := b.get("/vendors/" + strconv.FormatInt(v.ID, 10))
		if !strings.Contains(page, "Germany") {
			t.Error("the vendor page does not name the country")
		}
	})

	t.Run("an ASN of another vendor needs a confirmation", func(t *testing.T) {
		f := newVendorForm("Shares Aegis ASN SA")
		f.Set("asns", "AS64500")
		code, page := b.post("/vendors", b.form(f))
		if code != http.StatusConflict || !strings.Contains(page, "AS64500 already belongs to") || !strings.Contains(page, "Aegis") ||
			!strings.Contains(page, `name="confirm_shared_asns"`) {
			t.Fatalf("status %d", code)
		}
		if e.vendorByName("Shares Aegis ASN SA") != nil {
			t.Fatal("saved without the confirmation")
		}
		f.Set("confirm_shared_asns", "yes")
		if code, _ := b.post("/vendors", b.form(f)); code != http.StatusSeeOther {
			t.Fatalf("confirmed: %d", code)
		}
		if v := e.vendorByName("Shares Aegis ASN SA"); v == nil || len(v.Networks) != 1 || v.Networks[0].ASN != 64500 {
			t.Fatalf("confirmed vendor: %+v", v)
		}
	})

	t.Run("the network form asks too", func(t *testing.T) {
		v := e.vendorByName("Complete Onboarding BV")
		path := "/vendors/" + strconv.FormatInt(v.ID, 10) + "/networks"
		code, page := b.post(path, b.form(url.Values{"asn": {"AS64500"}}))
		if code != http.StatusConflict || !strings.Contains(page, "already belongs to") || !strings.Contains(page, `name="confirm_shared_asns"`) {
			t.Fatalf("status %d", code)
		}
		if code, _ := b.post(path, b.form(url.Values{"asn": {"AS64500"}, "confirm_shared_asns": {"true"}})); code != http.StatusSeeOther {
			t.Fatalf("confirmed: %d", code)
		}
	})
}

// TestAPISharedASN: the API answers 409 naming the other vendor unless the body confirms.
func TestAPISharedASN(t *testing.T) {
	e := newEnv(t, false)
	body := `{"legal_name":"API Shared Networks","country":"NL","networks":[{"asn":65001},{"asn":"AS64500"}]}`
	code, v := e.api("POST", "/api/v1/vendors", rw.RoleProcurement, body)
	errObj, _ := v["error"].(map[string]any)
	if code != http.StatusConflict || errObj["code"] != "conflict" || errObj["field"] != "networks[1].asn" {
		t.Fatalf("unconfirmed: %d %v", code, v)
	}
	if msg, _ := errObj["message"].(string); !strings.Contains(msg, "AS64500 already belongs to Aegis") || !strings.Contains(msg, `"confirm_shared_asns": true`) {
		t.Errorf("message: %q", msg)
	}
	if e.vendorByName("API Shared Networks") != nil {
		t.Fatal("saved on 409")
	}
	code, v = e.api("POST", "/api/v1/vendors", rw.RoleProcurement, strings.Replace(body, `"country"`, `"confirm_shared_asns":true,"country"`, 1))
	if code != http.StatusCreated {
		t.Fatalf("confirmed: %d %v", code, v)
	}
	id := strconv.FormatInt(int64(v["id"].(float64)), 10)
	code, v = e.api("POST", "/api/v1/vendors/"+id+"/networks", rw.RoleProcurement, `{"asn":64496}`)
	if code != http.StatusConflict || !strings.Contains(v["error"].(map[string]any)["message"].(string), "AS64496 already belongs to Northwind") {
		t.Fatalf("network of another vendor: %d %v", code, v)
	}
	if code, v = e.api("POST", "/api/v1/vendors/"+id+"/networks", rw.RoleProcurement, `{"asn":64496,"confirm_shared_asns":true}`); code != http.StatusCreated {
		t.Fatalf("confirmed network: %d %v", code, v)
	}
}
