package attest

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// pdfText runs pdftotext on data and returns one string per page.
func pdfText(t *testing.T, data []byte) []string {
	t.Helper()
	bin := requireTool(t, "pdftotext")
	p := filepath.Join(t.TempDir(), "in.pdf")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", p, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	pages := strings.Split(string(out), "\f")
	if len(pages) > 0 && strings.TrimSpace(pages[len(pages)-1]) == "" {
		pages = pages[:len(pages)-1]
	}
	return pages
}

// squash collapses all whitespace runs into one space, so that table cells
// that pdftotext splits over lines can still be searched.
func squash(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func TestRenderTextContent(t *testing.T) {
	doc := testDocument(t)
	data, err := Render(doc, testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	text := squash(strings.Join(pdfText(t, data), " "))
	want := []string{
		"Société Générale, Zürich, Łódź",
		"Agnieszka Wójcik",
		"Rahmenvertrag Anlage 4 – Störungsmeldung.pdf",
		doc.ID,
		"AS64496", "AS65551", "AS4200000001",
		"192.0.2.0/24", "AS-RWDEMO-TRANSIT",
		"2c26b46b 68ffc68f f99b453c 1d304134 13422d70 6483bfa0 f98a5e88 6266e7ae",
		"Elevated", "Lagging",
		"How to verify this document", ManifestName, doc.VerifyURL,
	}
	for _, c := range doc.Controls {
		want = append(want, c.ID)
	}
	for _, o := range doc.Obligations {
		want = append(want, o.ID)
	}
	for _, w := range want {
		t.Run(w, func(t *testing.T) {
			if !strings.Contains(text, w) {
				t.Errorf("pdftotext output lacks %q", w)
			}
		})
	}
}

func TestRenderDemoWatermarkAndPageNumbers(t *testing.T) {
	for _, demo := range []bool{true, false} {
		t.Run("demo="+strconv.FormatBool(demo), func(t *testing.T) {
			doc := bigDocument(t, 60)
			doc.Demo = demo
			data, err := Render(doc, testOptions(t))
			if err != nil {
				t.Fatal(err)
			}
			pages := pdfText(t, data)
			if len(pages) < 5 {
				t.Fatalf("%d pages, want at least 5", len(pages))
			}
			for i, p := range pages {
				p = squash(p)
				if got := strings.Contains(p, "DEMO DATA — NOT A REAL ATTESTATION"); got != demo {
					t.Errorf("page %d: demo banner present=%v, want %v", i+1, got, demo)
				}
				// The rotated watermark is its own text run.
				if got := regexp.MustCompile(`\bDEMO\b`).MatchString(strings.ReplaceAll(p, "DEMO DATA", "")); got != demo {
					t.Errorf("page %d: DEMO watermark present=%v, want %v", i+1, got, demo)
				}
				num := "Page " + strconv.Itoa(i+1) + " of " + strconv.Itoa(len(pages))
				if !strings.Contains(p, num) {
					t.Errorf("page %d lacks %q", i+1, num)
				}
			}
		})
	}
}

func TestRenderManifestRoundTrip(t *testing.T) {
	doc := testDocument(t)
	data, err := Render(doc, testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	got, err := ExtractManifest(data)
	if err != nil {
		t.Fatal(err)
	}
	want := BuildManifest(doc)
	if !reflect.DeepEqual(*got, want) {
		t.Errorf("manifest round trip:\n got %+v\nwant %+v", *got, want)
	}
	if got.Controls[2].Evidence[0].SHA256 != doc.Controls[2].Evidence[0].SHA256 {
		t.Errorf("evidence digest lost: %+v", got.Controls[2])
	}
	if len(got.Snapshots) != 3 || got.Snapshots[0].Digest != doc.Snapshots[0].Digest {
		t.Errorf("snapshot digests lost: %+v", got.Snapshots)
	}
}

func TestRenderRejects(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*Document, *Options)
		want   string
	}{
		{"no fonts", func(_ *Document, o *Options) { o.Font = nil }, "Options.Font"},
		{"no ID", func(d *Document, _ *Options) { d.ID = " " }, "id: is required"},
		{"multi-line ID", func(d *Document, _ *Options) { d.ID = "A\nB" }, "id: must be a single line"},
		{"no vendor", func(d *Document, _ *Options) { d.Vendor.LegalName = "" }, "vendor.legal_name: is required"},
		{"no controls", func(d *Document, _ *Options) {
			d.Controls = nil
			d.Waivers = nil
			d.Discrepancies = nil
			d.Obligations = nil
		},
			"controls: at least one"},
		{"bad status", func(d *Document, _ *Options) { d.Controls[1].Status = "passed" }, `controls[1].status: unknown status "passed"`},
		{"bad basis", func(d *Document, _ *Options) { d.Controls[0].Basis = "guessed" }, `controls[0].basis: unknown basis "guessed"`},
		{"bad evidence digest", func(d *Document, _ *Options) { d.Controls[2].Evidence[0].SHA256 = "abc" }, "controls[2].evidence[0].sha256"},
		{"duplicate control", func(d *Document, _ *Options) { d.Controls[1].ID = d.Controls[0].ID }, "controls[1].id: duplicate"},
		{"obligation names unknown control", func(d *Document, _ *Options) { d.Obligations[0].ControlIDs[0] = "RS-NOPE-99" },
			`obligations[0].control_ids[0]: control "RS-NOPE-99" is not in the document`},
		{"waiver on unknown control", func(d *Document, _ *Options) { d.Waivers[0].ControlID = "X" }, "waivers[0].control_id"},
		{"period reversed", func(d *Document, _ *Options) { d.PeriodEnd = d.PeriodStart.AddDate(0, 0, -1) }, "period_end: is before"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, opts := testDocument(t), testOptions(t)
			tt.modify(doc, &opts)
			_, err := Render(doc, opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Render error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestRenderLongCellSplitsAcrossPages(t *testing.T) {
	doc := testDocument(t)
	long := strings.Repeat("Very long justification sentence number X. ", 400) + "END-OF-JUSTIFICATION"
	doc.Waivers[0].Justification = long
	data, err := Render(doc, testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	text := squash(strings.Join(pdfText(t, data), " "))
	if strings.Count(text, "sentence number X.") != 400 || !strings.Contains(text, "END-OF-JUSTIFICATION") {
		t.Errorf("long waiver text was cut: %d of 400 sentences", strings.Count(text, "sentence number X."))
	}
}

func TestGroupHex(t *testing.T) {
	tests := []struct{ in, want string }{
		{"sha256:" + strings.Repeat("ab", 32), "sha256: " + strings.TrimSpace(strings.Repeat("abababab ", 8))},
		{strings.Repeat("0", 64), strings.TrimSpace(strings.Repeat("00000000 ", 8))},
		{"not hex at all, but long enough to be considered", "not hex at all, but long enough to be considered"},
		{"abc", "abc"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := groupHex(tt.in); got != tt.want {
				t.Errorf("groupHex(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestRenderMinimalDocument renders a document with only the required
// fields: empty sections must say so rather than disappear.
func TestRenderMinimalDocument(t *testing.T) {
	doc := &Document{
		ID: "RW-MIN-1", IssuedAt: testNow, SignerName: "Signer", Vendor: Vendor{LegalName: "Minimal Carrier Ltd"},
		Library:  Library{Version: "2026.1", Digest: "sha256:" + strings.Repeat("0", 64)},
		Controls: []ControlResult{{ID: "RS-ORIG-01", Title: "ROA coverage", Status: StatusUnknown, Basis: BasisMeasured}},
	}
	data, err := Render(doc, testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	text := squash(strings.Join(pdfText(t, data), " "))
	for _, want := range []string{"Minimal Carrier Ltd", "No answer was contradicted by measurement.", "No risk was waived.",
		"No obligations are in scope.", "No key findings.", "1 control: 1 unknown"} {
		if !strings.Contains(text, want) {
			t.Errorf("pdftotext output lacks %q", want)
		}
	}
	if strings.Contains(text, "DEMO") {
		t.Error("a non-demo document mentions DEMO")
	}
	m, err := ExtractManifest(data)
	if err != nil || m.Demo || len(m.ASNs) != 0 || len(m.Waivers) != 0 {
		t.Errorf("manifest = %+v, %v", m, err)
	}
}
