package sigv4

import (
	"fmt"
	"strings"
)

// Credential is one access key Petrel accepts under --auth sigv4.
type Credential struct {
	AccessKey string
	SecretKey string
	// Account is the 12-digit account id the key belongs to (its ARNs and
	// its namespace); DevAccount(AccessKey) when the file gives none.
	Account string
}

// ParseCredentials reads the credentials file format: one
// "ACCESS_KEY SECRET [ACCOUNT_ID]" per line, fields separated by spaces or
// tabs; blank lines and lines starting with '#' are ignored. ACCOUNT_ID must
// be 12 digits. An access key may appear only once. Errors name the line but
// never quote a secret.
func ParseCredentials(text string) ([]Credential, error) {
	var creds []Credential
	seen := map[string]int{}
	for i, line := range strings.Split(text, "\n") {
		n := i + 1
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) < 2 || len(f) > 3 {
			return nil, fmt.Errorf("credentials line %d: want ACCESS_KEY SECRET [ACCOUNT_ID], got %d fields", n, len(f))
		}
		c := Credential{AccessKey: f[0], SecretKey: f[1]}
		if strings.Contains(c.AccessKey, "/") {
			return nil, fmt.Errorf("credentials line %d: access key %q contains '/'", n, c.AccessKey)
		}
		if len(f) == 3 {
			if !isAccountID(f[2]) {
				return nil, fmt.Errorf("credentials line %d: account id %q is not 12 digits", n, f[2])
			}
			c.Account = f[2]
		} else {
			c.Account = DevAccount(c.AccessKey)
		}
		if prev, dup := seen[c.AccessKey]; dup {
			return nil, fmt.Errorf("credentials line %d: access key %q already given on line %d", n, c.AccessKey, prev)
		}
		seen[c.AccessKey] = n
		creds = append(creds, c)
	}
	return creds, nil
}

// isAccountID reports whether s is a 12-digit AWS account id.
func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
