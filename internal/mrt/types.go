package mrt

import (
	"fmt"
	"net/netip"
)

// Type is the MRT record type (RFC 6396 section 4).
type Type uint16

// MRT record types handled by this package.
const (
	TypeTableDump   Type = 12 // TABLE_DUMP (v1), 2-byte ASNs
	TypeTableDumpV2 Type = 13 // TABLE_DUMP_V2
	TypeBGP4MP      Type = 16 // BGP4MP
	TypeBGP4MPET    Type = 17 // BGP4MP_ET (extended timestamp)
)

func (t Type) extended() bool { return t == TypeBGP4MPET }

// String names the type as RFC 6396 does.
func (t Type) String() string {
	switch t {
	case TypeTableDump:
		return "TABLE_DUMP"
	case TypeTableDumpV2:
		return "TABLE_DUMP_V2"
	case TypeBGP4MP:
		return "BGP4MP"
	case TypeBGP4MPET:
		return "BGP4MP_ET"
	}
	return fmt.Sprintf("type %d", uint16(t))
}

// TABLE_DUMP_V2 subtypes (RFC 6396 section 4.3, RFC 8050 section 4).
const (
	SubtypePeerIndexTable          = 1
	SubtypeRIBIPv4Unicast          = 2
	SubtypeRIBIPv4Multicast        = 3
	SubtypeRIBIPv6Unicast          = 4
	SubtypeRIBIPv6Multicast        = 5
	SubtypeRIBGeneric              = 6
	SubtypeGeoPeerTable            = 7
	SubtypeRIBIPv4UnicastAddPath   = 8
	SubtypeRIBIPv4MulticastAddPath = 9
	SubtypeRIBIPv6UnicastAddPath   = 10
	SubtypeRIBIPv6MulticastAddPath = 11
	SubtypeRIBGenericAddPath       = 12
)

// BGP4MP and BGP4MP_ET subtypes (RFC 6396 section 4.4, RFC 8050 section 3).
const (
	SubtypeStateChange            = 0
	SubtypeMessage                = 1
	SubtypeEntry                  = 2 // obsolete BGP4MP_ENTRY (decoded as a RIB, not printed)
	SubtypeSnapshot               = 3 // obsolete BGP4MP_SNAPSHOT, not decoded
	SubtypeMessageAS4             = 4
	SubtypeStateChangeAS4         = 5
	SubtypeMessageLocal           = 6
	SubtypeMessageAS4Local        = 7
	SubtypeMessageAddPath         = 8
	SubtypeMessageAS4AddPath      = 9
	SubtypeMessageLocalAddPath    = 10
	SubtypeMessageAS4LocalAddPath = 11
)

// Address families and subsequent address families.
const (
	AFIIPv4 = 1
	AFIIPv6 = 2

	SAFIUnicast          = 1
	SAFIMulticast        = 2
	SAFIUnicastMulticast = 3
)

// BGP message types (RFC 4271 section 4.1).
const (
	MsgOpen         = 1
	MsgUpdate       = 2
	MsgNotification = 3
	MsgKeepalive    = 4
	MsgRouteRefresh = 5
)

// Body is a decoded record body: *PeerIndexTable, *RIB, *BGP4MPMessage, *StateChange or
// *Unsupported.
type Body interface{ body() }

// Peer is one entry of a PEER_INDEX_TABLE.
type Peer struct {
	BGPID netip.Addr
	Addr  netip.Addr
	AS    uint32
}

// PeerIndexTable is the TABLE_DUMP_V2 peer table that RIB entries refer to by index.
type PeerIndexTable struct {
	CollectorID netip.Addr
	ViewName    string
	Peers       []Peer
}

// RIBEntry is one path for the prefix of a RIB record.
type RIBEntry struct {
	PeerIndex  uint16
	Peer       Peer
	Originated uint32 // originated time, seconds since the epoch
	PathID     uint32 // ADD-PATH path identifier, when RIB.AddPath
	Attrs      Attributes
	// Err is set when this entry's attributes or peer index are malformed. The entry framing
	// was intact, so the other entries stand; this one is skipped and counted.
	Err error
}

// RIB is a TABLE_DUMP_V2 RIB record, or a TABLE_DUMP (v1) record (then with one entry).
type RIB struct {
	V1       bool   // TABLE_DUMP v1
	Sequence uint32 // sequence number
	AFI      uint16
	SAFI     uint8
	AddPath  bool
	Prefix   netip.Prefix // as on the wire: host bits are kept
	Entries  []RIBEntry
	// TABLE_DUMP v1 and BGP4MP_ENTRY only.
	View   uint16
	Status uint16
	// Entry marks a route from an obsolete BGP4MP_ENTRY record (OpenBGPD wrote them); its next
	// hop is a field of the record, kept in NextHop. bgpdump prints nothing for these.
	Entry   bool
	NextHop netip.Addr
}

// NLRI is one announced or withdrawn prefix, with its ADD-PATH identifier when the record type
// carries one. The prefix keeps host bits as received.
type NLRI struct {
	Prefix netip.Prefix
	PathID uint32
}

// BGP4MPMessage is a BGP4MP or BGP4MP_ET MESSAGE record of any subtype. Only UPDATE messages
// are decoded further; other BGP message types carry just their type.
type BGP4MPMessage struct {
	Subtype uint16
	AS4     bool // 4-byte AS numbers in the MRT fields and the AS_PATH
	Local   bool // MESSAGE_LOCAL: sent by the collector
	AddPath bool
	// AddPathGuessed is set when the subtype does not announce ADD-PATH but the NLRI only
	// decode with path identifiers (AddPath is then set too).
	AddPathGuessed bool
	// Truncated is set when the record ends before the BGP message length; only the complete
	// prefixes and attributes before the cut were decoded.
	Truncated bool
	PeerAS    uint32
	LocalAS   uint32
	IfIndex   uint16
	AFI       uint16
	PeerIP    netip.Addr
	LocalIP   netip.Addr
	MsgType   uint8
	Withdrawn []NLRI
	Announced []NLRI
	Attrs     Attributes
}

// StateChange is a BGP4MP STATE_CHANGE or STATE_CHANGE_AS4 record.
type StateChange struct {
	PeerAS   uint32
	LocalAS  uint32
	IfIndex  uint16
	AFI      uint16
	PeerIP   netip.Addr
	LocalIP  netip.Addr
	OldState uint16
	NewState uint16
}

// Unsupported is a record this package does not decode (other types, GEO_PEER_TABLE,
// RIB_GENERIC for other address families). It is not an error.
type Unsupported struct {
	Reason string
}

func (*PeerIndexTable) body() {}
func (*RIB) body()            {}
func (*BGP4MPMessage) body()  {}
func (*StateChange) body()    {}
func (*Unsupported) body()    {}
