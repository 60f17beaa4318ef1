package control

import (
	"sort"
	"strings"
)

// Regulation is one legal act of the obligation catalogue, read from one file of
// controls/obligations.
type Regulation struct {
	ID            string       `yaml:"regulation" json:"regulation"` // e.g. "DORA"
	Act           string       `yaml:"act" json:"act"`               // e.g. "Regulation (EU) 2022/2554"
	Title         string       `yaml:"title" json:"title"`
	Source        string       `yaml:"source" json:"source"` // EUR-Lex URL
	Applicability string       `yaml:"applicability" json:"applicability"`
	Obligations   []Obligation `yaml:"obligations" json:"obligations"`

	// File is the path the regulation was read from (inside the fs.FS), for messages.
	File string `yaml:"-" json:"-"`
	src  *source
}

// Obligation is one article, paragraph or point of a regulation, paraphrased (never quoted).
// Informational obligations are catalogued for completeness but no control maps them.
type Obligation struct {
	ID            string `yaml:"id" json:"id"`               // e.g. "DORA-28.4.d"
	Reference     string `yaml:"reference" json:"reference"` // e.g. "Art. 28(4)(d)"
	Title         string `yaml:"title" json:"title"`         // official title of the article or point
	Paraphrase    string `yaml:"paraphrase" json:"paraphrase"`
	Source        string `yaml:"source" json:"source"` // defaults to the regulation's source
	Applicability string `yaml:"applicability" json:"applicability,omitempty"`
	Informational bool   `yaml:"informational" json:"informational,omitempty"`

	// Regulation is filled by the loader from the enclosing file.
	Regulation string `yaml:"-" json:"regulation"`
}

// Catalogue is the obligation catalogue: every regulation file of controls/obligations.
type Catalogue struct {
	Regulations []Regulation `json:"regulations"`
	byID        map[string]*Obligation
}

// Obligations returns every obligation in catalogue order (regulation files sorted by name,
// obligations in file order).
func (c *Catalogue) Obligations() []*Obligation {
	var out []*Obligation
	for i := range c.Regulations {
		for j := range c.Regulations[i].Obligations {
			out = append(out, &c.Regulations[i].Obligations[j])
		}
	}
	return out
}

// Obligation returns the obligation with the given ID. It only reads the catalogue, so a loaded
// catalogue is safe for concurrent use.
func (c *Catalogue) Obligation(id string) (*Obligation, bool) {
	if c.byID == nil {
		// Not built by Validate (a catalogue assembled by hand): search without caching.
		for _, o := range c.Obligations() {
			if o.ID == id {
				return o, true
			}
		}
		return nil, false
	}
	o, ok := c.byID[id]
	return o, ok
}

func (c *Catalogue) index() {
	c.byID = map[string]*Obligation{}
	for _, o := range c.Obligations() {
		if _, dup := c.byID[o.ID]; !dup {
			c.byID[o.ID] = o
		}
	}
}

// RegulationIDs returns the regulation IDs in the catalogue, sorted.
func (c *Catalogue) RegulationIDs() []string {
	var ids []string
	for _, r := range c.Regulations {
		ids = append(ids, r.ID)
	}
	sort.Strings(ids)
	return ids
}

// RegulationID returns the catalogue's regulation ID that s names, ignoring case.
func (c *Catalogue) RegulationID(s string) (string, bool) {
	for _, r := range c.Regulations {
		if strings.EqualFold(r.ID, s) {
			return r.ID, true
		}
	}
	return "", false
}

// frameworks names the framework each act of the catalogue belongs to: the delegated and
// implementing acts belong to the regulation or directive they supplement. Services declare
// frameworks (routewarden.Regulations); the framework acts map to themselves.
var frameworks = map[string]string{
	"RTS1773": "DORA", "RTS1774": "DORA", "RTS532": "DORA", "ITS2956": "DORA",
	"IR2690": "NIS2",
}

// Framework returns the framework (DORA, NIS2, CER) of a catalogue act, upper-cased.
func Framework(regulation string) string {
	r := strings.ToUpper(regulation)
	if f, ok := frameworks[r]; ok {
		return f
	}
	return r
}
