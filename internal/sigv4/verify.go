package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Service is the signing name DynamoDB and DynamoDB Streams share.
const Service = "dynamodb"

// MaxSkew is how far a request's time may be from the server's: AWS refuses
// signatures more than 15 minutes old or ahead.
const MaxSkew = 15 * time.Minute

// maxCachedKeys bounds the signing-key cache; it is emptied when full (keys
// change once a day per access key and region, so it refills at once).
const maxCachedKeys = 4096

// Verifier checks SigV4 signatures against a fixed set of credentials. It is
// safe for concurrent use. Derived signing keys are cached per access key,
// date, region and service, so a request costs one HMAC chain per day and
// region, plus hashing the canonical request and the payload.
type Verifier struct {
	creds map[string]Credential
	now   func() time.Time

	mu   sync.Mutex
	keys map[keyID][]byte
}

type keyID struct{ access, date, region, service string }

// NewVerifier returns a Verifier for creds. now is the clock (nil means
// time.Now); tests inject one instead of sleeping.
func NewVerifier(creds []Credential, now func() time.Time) *Verifier {
	if now == nil {
		now = time.Now
	}
	v := &Verifier{creds: make(map[string]Credential, len(creds)), now: now, keys: make(map[keyID][]byte)}
	for _, c := range creds {
		v.creds[c.AccessKey] = c
	}
	return v
}

// Lookup returns the credential of access key ak.
func (v *Verifier) Lookup(ak string) (Credential, bool) {
	c, ok := v.creds[ak]
	return c, ok
}

// Verify checks sig, parsed from r, against r and its payload body (the
// bytes on the wire) and returns the signer's credential. The checks run in
// AWS's order: shape (IncompleteSignatureException), access key
// (UnrecognizedClientException), scope and clock (InvalidSignatureException
// "Signature expired: ..."), then the signature itself
// (InvalidSignatureException). Session tokens are accepted as they come.
func (v *Verifier) Verify(r Request, body []byte, sig *Signature) (Credential, error) {
	if sig.Date == "" {
		return Credential{}, incompleteHeader(sig.header, true, true, true, false)
	}
	signed, ok := parseTime(sig.Date)
	if !ok {
		return Credential{}, incomplete()
	}
	if err := checkSignedHeaders(r, sig); err != nil {
		return Credential{}, err
	}
	cred, ok := v.creds[sig.Scope.AccessKey]
	if !ok {
		return Credential{}, unrecognizedClient()
	}
	if sig.Scope.Service != Service {
		return Credential{}, invalidSignature("Credential should be scoped to correct service: '" + Service + "'. ")
	}
	if day := sig.Date[:8]; sig.Scope.Date != day {
		return Credential{}, invalidSignature("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" +
			sig.Scope.Date + "' != '" + day + "', from '" + sig.Date + "'.")
	}
	now := v.now().UTC().Truncate(time.Second)
	switch {
	case sig.Presigned && sig.Expires > 0:
		if exp := time.Duration(sig.Expires) * time.Second; now.After(signed.Add(exp)) {
			return Credential{}, presignExpired(signed, now, exp)
		}
	case signed.Before(now.Add(-MaxSkew)):
		return Credential{}, expired(signed, now, MaxSkew)
	}
	if signed.After(now.Add(MaxSkew)) {
		return Credential{}, notYetCurrent(signed, now, MaxSkew)
	}

	want := v.sign(cred, sig, r, body)
	if !hmac.Equal([]byte(want), []byte(sig.Signature)) {
		return Credential{}, mismatch()
	}
	return cred, nil
}

// checkSignedHeaders applies the signed-headers rules: Host is always
// signed; so are the date header of a header signature and X-Amz-Target when
// present.
func checkSignedHeaders(r Request, sig *Signature) error {
	if !slices.Contains(sig.SignedHeaders, "host") {
		return mustSign("Host")
	}
	if !sig.Presigned && !slices.Contains(sig.SignedHeaders, sig.DateHeader) {
		if sig.DateHeader == "date" {
			return mustSign("Date")
		}
		return mustSign("X-Amz-Date")
	}
	if r.Header("X-Amz-Target") != "" && !slices.Contains(sig.SignedHeaders, "x-amz-target") {
		return mustSign("X-Amz-Target")
	}
	return nil
}

// sign computes the hex signature r should carry.
func (v *Verifier) sign(cred Credential, sig *Signature, r Request, body []byte) string {
	sum := r.PayloadHash()
	if sum == nil {
		s := sha256.Sum256(body)
		sum = s[:]
	}
	creq := CanonicalRequest(r, sig.SignedHeaders, sig.Presigned, hex.EncodeToString(sum))
	chash := sha256.Sum256(creq)

	sts := make([]byte, 0, 128)
	sts = append(sts, Algorithm...)
	sts = append(sts, '\n')
	sts = append(sts, sig.Date...)
	sts = append(sts, '\n')
	sts = append(sts, sig.Scope.String()...)
	sts = append(sts, '\n')
	sts = hex.AppendEncode(sts, chash[:])

	return hex.EncodeToString(hmacSHA256(v.signingKey(cred, sig.Scope), sts))
}

// signingKey derives (or recalls) HMAC("AWS4"+secret, date, region,
// service, "aws4_request").
func (v *Verifier) signingKey(cred Credential, s Scope) []byte {
	id := keyID{cred.AccessKey, s.Date, s.Region, s.Service}
	v.mu.Lock()
	k, ok := v.keys[id]
	v.mu.Unlock()
	if ok {
		return k
	}
	k = SigningKey(cred.SecretKey, s)
	v.mu.Lock()
	if len(v.keys) >= maxCachedKeys {
		clear(v.keys)
	}
	v.keys[id] = k
	v.mu.Unlock()
	return k
}

// SigningKey derives the SigV4 signing key of secret for scope s.
func SigningKey(secret string, s Scope) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), []byte(s.Date))
	k = hmacSHA256(k, []byte(s.Region))
	k = hmacSHA256(k, []byte(s.Service))
	return hmacSHA256(k, []byte("aws4_request"))
}

func hmacSHA256(key, data []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(data)
	return m.Sum(nil)
}

// CanonicalRequest builds SigV4's canonical request for r:
//
//	METHOD \n URI \n QUERY \n HEADERS \n SIGNED-HEADERS \n PAYLOAD-HASH
//
// The URI is the escaped path escaped once more (every AWS service but S3
// signs it that way); the query is every parameter (but X-Amz-Signature of a
// presigned URL) URI-encoded and sorted; each signed header is
// "name:value\n" with values trimmed, inner runs of spaces collapsed and
// repeated headers joined by commas. Host comes from r.Host().
func CanonicalRequest(r Request, signedHeaders []string, presigned bool, payloadHash string) []byte {
	b := make([]byte, 0, 512)
	b = append(b, r.Method()...)
	b = append(b, '\n')
	path := r.EscapedPath()
	if path == "" {
		path = "/"
	}
	b = appendEscaped(b, path, true)
	b = append(b, '\n')
	b = appendQuery(b, r.RawQuery(), presigned)
	b = append(b, '\n')
	for _, h := range signedHeaders {
		b = append(b, h...)
		b = append(b, ':')
		b = appendHeaderValue(b, r, h)
		b = append(b, '\n')
	}
	b = append(b, '\n')
	b = append(b, strings.Join(signedHeaders, ";")...)
	b = append(b, '\n')
	return append(b, payloadHash...)
}

// appendHeaderValue appends the canonical value of header h (lower case).
func appendHeaderValue(b []byte, r Request, h string) []byte {
	switch h {
	case "host":
		return appendTrimmed(b, r.Host())
	case "content-length":
		if n := r.ContentLength(); n >= 0 && r.Header("Content-Length") == "" {
			return strconv.AppendInt(b, n, 10)
		}
	}
	for i, v := range r.HeaderValues(h) {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendTrimmed(b, v)
	}
	return b
}

// appendTrimmed appends v without leading and trailing spaces and with every
// run of spaces collapsed into one.
func appendTrimmed(b []byte, v string) []byte {
	v = strings.TrimSpace(v)
	space := false
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == ' ' {
			if !space {
				b = append(b, ' ')
			}
			space = true
			continue
		}
		space = false
		b = append(b, c)
	}
	return b
}

// appendQuery appends the canonical query string of raw.
func appendQuery(b []byte, raw string, presigned bool) []byte {
	if raw == "" {
		return b
	}
	q, err := url.ParseQuery(raw)
	if err != nil {
		// Not decodable: sign what was sent; the signature will say whether
		// the client did the same.
		return append(b, raw...)
	}
	if presigned {
		delete(q, "X-Amz-Signature")
	}
	type pair struct{ k, v string }
	pairs := make([]pair, 0, len(q))
	for k, vs := range q {
		ek := string(appendEscaped(nil, k, false))
		for _, v := range vs {
			pairs = append(pairs, pair{ek, string(appendEscaped(nil, v, false))})
		}
	}
	slices.SortFunc(pairs, func(a, b pair) int {
		if c := strings.Compare(a.k, b.k); c != 0 {
			return c
		}
		return strings.Compare(a.v, b.v)
	})
	for i, p := range pairs {
		if i > 0 {
			b = append(b, '&')
		}
		b = append(b, p.k...)
		b = append(b, '=')
		b = append(b, p.v...)
	}
	return b
}

// appendEscaped URI-encodes s as SigV4 wants: unreserved characters
// (A-Z a-z 0-9 - _ . ~) as they are, '/' kept in paths, every other byte as
// %XX with upper-case hex.
func appendEscaped(b []byte, s string, path bool) []byte {
	const hexDigits = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9',
			c == '-', c == '_', c == '.', c == '~', path && c == '/':
			b = append(b, c)
		default:
			b = append(b, '%', hexDigits[c>>4], hexDigits[c&15])
		}
	}
	return b
}
