// Package mrt reads MRT routing data (RFC 6396 with RFC 6793 4-byte ASNs and RFC 8050
// ADD-PATH): TABLE_DUMP, TABLE_DUMP_V2 (peer index, RIB IPv4/IPv6 unicast and multicast,
// RIB_GENERIC for IP families, ADD-PATH subtypes), BGP4MP/BGP4MP_ET (MESSAGE, MESSAGE_AS4,
// STATE_CHANGE, STATE_CHANGE_AS4, the LOCAL and ADD-PATH variants) and the obsolete
// BGP4MP_ENTRY, from plain, gzip or bzip2 streams, with memory bounded by the largest record.
//
// Three layers:
//
//   - Reader returns raw records; a truncated or corrupt stream is a *FormatError naming the
//     record's byte offset in the uncompressed stream.
//   - Decoder decodes a record into a Body (*PeerIndexTable, *RIB, *BGP4MPMessage, *StateChange,
//     *Unsupported); a record whose framing is intact but whose BGP content is malformed is a
//     *MalformedError: callers skip and count it.
//   - RouteReader yields Route values (peer, prefix, AS path segments, origin AS with an explicit
//     "no single origin" for AS_SET paths, path ID, time, announce/withdraw/RIB) for the
//     evidence engine; TextReader yields the same Route from bgpdump -m text.
//
// Dump and AppendBGPDump print bgpdump's one-line format (`bgpdump -m`) byte for byte, including
// bgpdump 1.6's quirks (its AS4_PATH merge, signed LOCAL_PREF/MED for IPv4 MP_REACH, IPv6
// formatting); routes use the RFC semantics instead.
package mrt
