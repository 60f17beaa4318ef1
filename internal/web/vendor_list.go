package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	rw "routewarden/internal/routewarden"
)

const pageSize = 25

type vendorListView struct {
	Vendors       []*rw.Vendor
	Total         int
	Page, Pages   int
	Q, Country    string
	Type          string
	Provider      string
	Critical      string
	Countries     []string
	ServiceTypes  []rw.ServiceType
	ProviderTypes []rw.ProviderType
	PrevURL       string
	NextURL       string
	From, To      int
	Columns       []sortHeader // the sortable columns, in order
	SortLabel     string       // the active sort in words, e.g. "latest rating, descending"
	Now           time.Time
}

func (vendorListView) PageTitle() string { return "Vendors" }

// sortHeader is a sortable column header: the link that sorts by it (toggling the direction
// when it is the active column), and the active direction for aria-sort ("" when inactive).
type sortHeader struct {
	Key   string
	Label string
	URL   string
	Aria  string // "ascending", "descending" or ""
	Arrow string // ▲ / ▼ on the active column
	Next  string // the direction the link sorts in, for its accessible name
}

// vendorColumns are the labels of the sortable columns, by key (rw.VendorSortKeys).
var vendorColumns = map[string]string{"name": "Vendor", "rating": "Latest rating", "state": "Assessment", "due": "Due", "tier": "Tier"}

// descFirst are the columns whose first click sorts descending: the worst rating and the
// highest tier are what triage looks for first.
var descFirst = map[string]bool{"rating": true, "tier": true}

// vendorSortHeaders builds the header links from the current query, keeping every filter and
// starting again at page 1.
func vendorSortHeaders(q url.Values, sort string) []sortHeader {
	active, desc := strings.TrimPrefix(sort, "-"), strings.HasPrefix(sort, "-")
	var out []sortHeader
	for _, k := range rw.VendorSortKeys {
		h := sortHeader{Key: k, Label: vendorColumns[k], Next: "ascending"}
		dir := "asc"
		if descFirst[k] {
			dir, h.Next = "desc", "descending"
		}
		if k == active {
			h.Aria, h.Arrow, dir, h.Next = "ascending", "▲", "desc", "descending"
			if desc {
				h.Aria, h.Arrow, dir, h.Next = "descending", "▼", "asc", "ascending"
			}
		}
		v := url.Values{}
		for name, vals := range q {
			v[name] = vals
		}
		v.Del("page")
		v.Del("format")
		v.Set("sort", k)
		v.Set("dir", dir)
		h.URL = "/vendors?" + v.Encode()
		out = append(out, h)
	}
	return out
}

// sortLabel names the active sort in words for the table caption.
func sortLabel(sort string) string {
	label, ok := vendorColumns[strings.TrimPrefix(sort, "-")]
	if !ok {
		label = "last change"
	}
	if strings.HasPrefix(sort, "-") {
		return strings.ToLower(label) + ", descending"
	}
	return strings.ToLower(label) + ", ascending"
}

// vendorFilter reads the list filters shared by the page, its CSV and the API.
func vendorFilter(c *gin.Context) (rw.VendorFilter, int) {
	page, _ := strconv.Atoi(c.Query("page"))
	if page < 1 {
		page = 1
	}
	f := rw.VendorFilter{Query: c.Query("q"), Country: c.Query("country"), ServiceType: c.Query("type"),
		ProviderType: rw.ProviderType(c.Query("provider")), Sort: rw.VendorSort(c.Query("sort"), c.Query("dir"))}
	switch c.Query("critical") {
	case "yes", "true":
		t := true
		f.Critical = &t
	case "no", "false":
		t := false
		f.Critical = &t
	}
	return f, page
}

func (s *Server) vendorList(c *gin.Context) {
	if wantsCSV(c) {
		s.vendorCSV(c)
		return
	}
	f, page := vendorFilter(c)
	f.Offset, f.Limit = (page-1)*pageSize, pageSize
	vendors, total, err := s.deps.Vendors.FindVendors(c.Request.Context(), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	countries, err := s.deps.Vendors.VendorCountries(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	q := c.Request.URL.Query()
	v := vendorListView{Vendors: vendors, Total: total, Page: page, Pages: (total + pageSize - 1) / pageSize,
		Q: f.Query, Country: f.Country, Type: f.ServiceType, Provider: string(f.ProviderType), Critical: c.Query("critical"),
		Countries: countries, ServiceTypes: rw.ServiceTypes, ProviderTypes: rw.ProviderTypes,
		From: f.Offset + 1, To: f.Offset + len(vendors), Columns: vendorSortHeaders(q, f.Sort), SortLabel: sortLabel(f.Sort), Now: s.now()}
	if page > 1 {
		q.Set("page", strconv.Itoa(page-1))
		v.PrevURL = "/vendors?" + q.Encode()
	}
	if page < v.Pages {
		q.Set("page", strconv.Itoa(page+1))
		v.NextURL = "/vendors?" + q.Encode()
	}
	s.render(c, http.StatusOK, "vendors", v)
}
