package routewarden

import "errors"

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
