package routewarden

import (
	"fmt"
	"strings"
)

// ASNOwner is another vendor that already registered an ASN. Networks may be shared (a group's
// companies, a reseller and its carrier), but registering one twice is more often a mistake, so
// it takes a confirmation.
type ASNOwner struct {
	ASN        uint32
	Field      string // the input the ASN came from, e.g. "networks[0].asn"
	VendorID   int64
	VendorName string
}

// Warning says which vendor already has the ASN.
func (o ASNOwner) Warning() string {
	return fmt.Sprintf("AS%d already belongs to %s (vendor %d).", o.ASN, o.VendorName, o.VendorID)
}

// SharedASNError is the conflict returned when ASNs already belong to other vendors and the
// request did not confirm that they are shared. The message names every one and how to confirm.
func SharedASNError(owners []ASNOwner, confirm string) error {
	if len(owners) == 0 {
		return nil
	}
	msgs := make([]string, len(owners))
	for i, o := range owners {
		msgs[i] = o.Warning()
	}
	return &Error{Code: ECONFLICT, Field: owners[0].Field,
		Message: strings.Join(msgs, " ") + " If the network really is shared, confirm it (" + confirm + ") and send again."}
}
