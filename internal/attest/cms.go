package attest

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
)

// The few CMS (RFC 5652) structures needed to learn which certificate made
// the signature. pdfsign's verifier checks the signature with that
// certificate but reports all embedded certificates without saying which one
// signed; trusting "any embedded certificate that chains to our roots" would
// accept a forger's signature that merely carries our certificate along.

var oidSignedData = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}

type cmsContentInfo struct {
	ContentType asn1.ObjectIdentifier
	Content     asn1.RawValue `asn1:"explicit,tag:0"`
}

type cmsSignedData struct {
	Version          int
	DigestAlgorithms asn1.RawValue
	EncapContentInfo asn1.RawValue
	Certificates     asn1.RawValue   `asn1:"optional,tag:0"`
	CRLs             asn1.RawValue   `asn1:"optional,tag:1"`
	SignerInfos      []cmsSignerInfo `asn1:"set"`
}

// cmsSignerInfo stops after the signer identifier; encoding/asn1 ignores
// the remaining fields of the SEQUENCE.
type cmsSignerInfo struct {
	Version int
	SID     asn1.RawValue
}

type cmsIssuerAndSerial struct {
	Issuer asn1.RawValue
	Serial *big.Int
}

// signerID identifies the signing certificate of a CMS SignedData blob
// (issuer and serial number, or subject key identifier).
type signerID struct {
	issuer []byte
	serial *big.Int
	skid   []byte
}

// parseSignerID reads the one SignerInfo of a PDF /Contents value. The value
// is zero-padded to the space reserved in the file; any non-zero byte after
// the DER structure is an error, so that the padding cannot be altered
// unnoticed.
func parseSignerID(contents []byte) (signerID, error) {
	var ci cmsContentInfo
	rest, err := asn1.Unmarshal(contents, &ci)
	if err != nil {
		return signerID{}, fmt.Errorf("signature is not CMS: %w", err)
	}
	if i := bytes.IndexFunc(rest, func(r rune) bool { return r != 0 }); i >= 0 {
		return signerID{}, fmt.Errorf("non-zero data in signature padding at byte %d of /Contents", len(contents)-len(rest)+i)
	}
	if !ci.ContentType.Equal(oidSignedData) {
		return signerID{}, fmt.Errorf("signature content type %v is not SignedData", ci.ContentType)
	}
	var sd cmsSignedData
	if _, err := asn1.Unmarshal(ci.Content.Bytes, &sd); err != nil {
		return signerID{}, fmt.Errorf("signature SignedData: %w", err)
	}
	if len(sd.SignerInfos) != 1 {
		return signerID{}, fmt.Errorf("signature has %d signer infos, want 1", len(sd.SignerInfos))
	}
	sid := sd.SignerInfos[0].SID
	if sid.Class == asn1.ClassContextSpecific && sid.Tag == 0 {
		return signerID{skid: sid.Bytes}, nil
	}
	var ias cmsIssuerAndSerial
	if _, err := asn1.Unmarshal(sid.FullBytes, &ias); err != nil || ias.Serial == nil {
		return signerID{}, errors.New("signature signer identifier is malformed")
	}
	return signerID{issuer: ias.Issuer.FullBytes, serial: ias.Serial}, nil
}

// matches reports whether c is the certificate the identifier names.
func (id signerID) matches(c *x509.Certificate) bool {
	if id.skid != nil {
		return len(c.SubjectKeyId) > 0 && bytes.Equal(id.skid, c.SubjectKeyId)
	}
	return bytes.Equal(id.issuer, c.RawIssuer) && id.serial.Cmp(c.SerialNumber) == 0
}
