package attest

import (
	"bytes"
	"encoding/xml"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// Language is the natural language of the document's text, written to the catalog (/Lang) so
// that screen readers pick the right voice, and to the XMP metadata.
const Language = "en-GB"

// setMetadata writes what fpdf supports for finding and reading the document: the language,
// the document information dictionary and the same facts as XMP metadata. fpdf cannot write
// a structure tree, so the PDF is not tagged (see the README, "Accessibility").
func setMetadata(f *fpdf.Fpdf, doc *Document) {
	title := "Routing-security attestation: " + doc.Vendor.LegalName
	if doc.Demo {
		title = "DEMO " + title
	}
	subject := "Routewarden attestation " + doc.ID
	keywords := "routewarden attestation " + doc.ID
	f.SetLang(Language)
	f.SetTitle(title, true)
	f.SetSubject(subject, true)
	f.SetAuthor(doc.SignerName, true)
	f.SetCreator("Routewarden", true)
	f.SetKeywords(keywords, true)
	f.SetCreationDate(doc.IssuedAt.UTC())
	f.SetModificationDate(doc.IssuedAt.UTC())
	f.SetXmpMetadata(xmpPacket(title, subject, doc.SignerName, keywords, doc.IssuedAt))
}

// xmpPacket is an XMP metadata packet (ISO 16684-1) with the document's title, description,
// author, language, keywords and dates.
func xmpPacket(title, subject, author, keywords string, at time.Time) []byte {
	esc := func(s string) string {
		var b bytes.Buffer
		_ = xml.EscapeText(&b, []byte(s))
		return b.String()
	}
	date := at.UTC().Format(time.RFC3339)
	var b bytes.Buffer
	b.WriteString("<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n")
	b.WriteString(`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` + "\n")
	b.WriteString(`<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/">` + "\n")
	b.WriteString("<dc:format>application/pdf</dc:format>\n")
	b.WriteString(`<dc:title><rdf:Alt><rdf:li xml:lang="x-default">` + esc(title) + "</rdf:li></rdf:Alt></dc:title>\n")
	b.WriteString(`<dc:description><rdf:Alt><rdf:li xml:lang="x-default">` + esc(subject) + "</rdf:li></rdf:Alt></dc:description>\n")
	b.WriteString("<dc:creator><rdf:Seq><rdf:li>" + esc(author) + "</rdf:li></rdf:Seq></dc:creator>\n")
	b.WriteString("<dc:language><rdf:Bag><rdf:li>" + Language + "</rdf:li></rdf:Bag></dc:language>\n")
	b.WriteString("<pdf:Keywords>" + esc(keywords) + "</pdf:Keywords>\n")
	b.WriteString("<xmp:CreatorTool>Routewarden</xmp:CreatorTool>\n")
	b.WriteString("<xmp:CreateDate>" + date + "</xmp:CreateDate>\n<xmp:ModifyDate>" + date + "</xmp:ModifyDate>\n")
	b.WriteString("</rdf:Description></rdf:RDF></x:xmpmeta>\n<?xpacket end=\"r\"?>")
	return b.Bytes()
}
