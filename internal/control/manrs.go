package control

// Action is one MANRS action of one programme, as the public MANRS programme pages number them.
type Action struct {
	ID        string // e.g. "netops-1"
	Programme string // "Network Operators", "CDN and Cloud Providers", "IXPs"
	Title     string
	Mandatory bool
}

// Actions lists every action of the three MANRS programmes that the library must cover:
// Network Operators 1–4, CDN and Cloud Providers 1–6, IXPs 1–5. Mandatory flags follow the
// programme join pages (NetOps: the 2017 implementation guide's minimum set 1, 3, 4; CDN and
// Cloud: 1–5; IXPs: 1 and 2).
var Actions = []Action{
	{"netops-1", "Network Operators", "Filtering: prevent propagation of incorrect routing information", true},
	{"netops-2", "Network Operators", "Anti-spoofing: prevent traffic with spoofed source addresses", false},
	{"netops-3", "Network Operators", "Coordination: keep global operational contact data current", true},
	{"netops-4", "Network Operators", "Global validation: publish routing policy, ASNs and prefixes", true},
	{"cdn-1", "CDN and Cloud Providers", "Prevent propagation of incorrect routing information", true},
	{"cdn-2", "CDN and Cloud Providers", "Prevent traffic with illegitimate source IP addresses", true},
	{"cdn-3", "CDN and Cloud Providers", "Facilitate global operational communication and coordination", true},
	{"cdn-4", "CDN and Cloud Providers", "Facilitate validation of routing information on a global scale", true},
	{"cdn-5", "CDN and Cloud Providers", "Encourage MANRS adoption", true},
	{"cdn-6", "CDN and Cloud Providers", "Provide monitoring and debugging tools to peering partners", false},
	{"ixp-1", "IXPs", "Prevent propagation of incorrect routing information (route-server filtering)", true},
	{"ixp-2", "IXPs", "Promote MANRS to the IXP membership", true},
	{"ixp-3", "IXPs", "Protect the peering platform", false},
	{"ixp-4", "IXPs", "Facilitate global operational communication and coordination", false},
	{"ixp-5", "IXPs", "Provide monitoring and debugging tools to members", false},
}

// FindAction returns the MANRS action with the given ID.
func FindAction(id string) (Action, bool) {
	for _, a := range Actions {
		if a.ID == id {
			return a, true
		}
	}
	return Action{}, false
}
