package routewarden

import (
	"errors"
	"strings"
)

// ValidateLEI checks an ISO 17442 legal entity identifier: 20 characters, 18 alphanumeric
// followed by two check digits, which must satisfy ISO 7064 MOD 97-10 (the whole identifier,
// letters mapped A=10 … Z=35, read as a number, leaves remainder 1 when divided by 97).
func ValidateLEI(lei string) error {
	if len(lei) != 20 {
		return errors.New("LEI must be 20 characters (ISO 17442)")
	}
	rem := 0
	for i := 0; i < len(lei); i++ {
		c := lei[i]
		switch {
		case c >= '0' && c <= '9':
			rem = (rem*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z' && i < 18:
			rem = (rem*100 + int(c-'A') + 10) % 97
		default:
			if i >= 18 {
				return errors.New("LEI must end in two check digits (ISO 17442)")
			}
			return errors.New("LEI may contain only the letters A–Z and digits (ISO 17442)")
		}
	}
	if rem != 1 {
		return errors.New("LEI check digits do not match (ISO 17442 / ISO 7064 mod 97-10); check for a typing error")
	}
	return nil
}

// LEICheckDigits computes the two check digits for an 18-character LEI prefix.
func LEICheckDigits(prefix18 string) string {
	rem := 0
	for i := 0; i < len(prefix18); i++ {
		c := prefix18[i]
		if c >= 'A' && c <= 'Z' {
			rem = (rem*100 + int(c-'A') + 10) % 97
		} else {
			rem = (rem*10 + int(c-'0')) % 97
		}
	}
	rem = (rem * 100) % 97
	d := 98 - rem
	return string([]byte{byte('0' + d/10), byte('0' + d%10)})
}

// countries is the ISO 3166-1 alpha-2 list of officially assigned codes.
const countries = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
	"CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
	"GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP " +
	"KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT " +
	"MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW " +
	"SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG " +
	"UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW"

// ValidCountry reports whether s is an officially assigned ISO 3166-1 alpha-2 code.
func ValidCountry(s string) bool {
	if len(s) != 2 {
		return false
	}
	i := strings.Index(countries, s)
	return i >= 0 && i%3 == 0
}

// Countries returns every ISO 3166-1 alpha-2 code in alphabetical order.
func Countries() []string { return strings.Fields(countries) }
