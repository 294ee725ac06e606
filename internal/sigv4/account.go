package sigv4

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
)

// DevAccount derives the 12-digit account id of an access key that no
// credentials file assigns: the first 8 bytes of
// SHA-256("petrel-account\x00" + accessKey), big-endian, modulo 10^12, in
// decimal with leading zeros.
//
// Every key gets its own derived account, DynamoDB Local's conventional keys
// included: mapping several keys to 000000000000 would merge their
// databases, which DynamoDB Local does not do. Two keys collide with
// probability 10^-12.
//
// Persisted: namespaces (and so catalog keys) embed the account; changing
// the derivation orphans every table created in development mode.
func DevAccount(accessKey string) string {
	sum := sha256.Sum256([]byte("petrel-account\x00" + accessKey))
	return fmt.Sprintf("%012d", binary.BigEndian.Uint64(sum[:8])%1_000_000_000_000)
}
