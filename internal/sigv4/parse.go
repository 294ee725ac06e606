// Package sigv4 owns AWS Signature Version 4 as DynamoDB checks it: parsing
// the Authorization header or a presigned URL's query parameters, verifying
// the signature against a set of credentials (canonical request, signed
// headers, payload hash, 15-minute clock skew, session tokens), parsing the
// credentials file, and deciding who the caller is — account, region and data
// namespace — in development, shared and verified modes.
//
// Every refusal is an *apierr.Error carrying DynamoDB's code and text
// (errors.md A). The package knows nothing of routing or of tables; its
// Authenticator satisfies httpapi.Authenticator and is wired in by
// internal/server.
//
// The algorithm is AWS's "Create a signed AWS API request"
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html);
// verify_test.go checks it against aws-sdk-go-v2's signer.
package sigv4

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/petreldb/petrel/internal/apierr"
)

// Algorithm is the only signing algorithm DynamoDB accepts.
const Algorithm = "AWS4-HMAC-SHA256"

// TimeFormat is SigV4's ISO-8601 basic format (X-Amz-Date).
const TimeFormat = "20060102T150405Z"

// Scope is the credential scope of a signature:
// AKID/20260101/us-east-1/dynamodb/aws4_request.
type Scope struct {
	AccessKey string
	Date      string // yyyymmdd
	Region    string
	Service   string
}

// String renders the scope without the access key, as it appears in the
// string to sign: 20260101/us-east-1/dynamodb/aws4_request.
func (s Scope) String() string {
	return s.Date + "/" + s.Region + "/" + s.Service + "/aws4_request"
}

// Signature is a parsed SigV4 signature, from the Authorization header or
// from a presigned URL's query parameters.
type Signature struct {
	Scope         Scope
	SignedHeaders []string // lower-case names, as listed by the client
	Signature     string   // hex, as sent
	// Date is the request time in TimeFormat, from X-Amz-Date (header or
	// query) or else the Date header; "" if the request carries neither.
	Date string
	// DateHeader names where Date came from: "x-amz-date" or "date".
	DateHeader string
	// Presigned is true for query-string authentication; Expires is then the
	// X-Amz-Expires value in seconds (0 if absent).
	Presigned bool
	Expires   int
	// SecurityToken is X-Amz-Security-Token (header or query), if any.
	SecurityToken string
	// header is the raw Authorization value, quoted in error messages.
	header string
}

// Parse extracts the signature of r. A request with neither an
// Authorization header nor presigned query parameters, or with a header of
// another scheme, is MissingAuthenticationTokenException; a SigV4 signature
// lacking a component is IncompleteSignatureException.
func Parse(r Request) (*Signature, error) {
	h := r.Header("Authorization")
	if h == "" {
		if raw := r.RawQuery(); raw != "" {
			q, err := url.ParseQuery(raw)
			if err == nil && (q.Has("X-Amz-Algorithm") || q.Has("X-Amz-Signature") || q.Has("X-Amz-Credential")) {
				return parseQuery(q, r.Header)
			}
		}
		return nil, apierr.MissingAuthenticationToken()
	}
	return ParseAuthorization(h, r.Header)
}

// ParseAuthorization parses an Authorization header value, e.g.
//
//	AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=abcd
//
// taking the request time from hdr (X-Amz-Date, else Date; hdr, a header
// lookup such as Request.Header, may be nil).
func ParseAuthorization(h string, hdr func(name string) string) (*Signature, error) {
	alg, rest, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || alg != Algorithm {
		return nil, apierr.MissingAuthenticationToken()
	}
	s := &Signature{header: h}
	var cred string
	var haveCred, haveHeaders, haveSig bool
	for rest != "" {
		var part string
		part, rest, _ = strings.Cut(rest, ",")
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return nil, missingEqualSign(h)
		}
		switch k {
		case "Credential":
			cred, haveCred = v, v != ""
		case "SignedHeaders":
			haveHeaders = v != ""
			s.SignedHeaders = strings.Split(v, ";")
		case "Signature":
			s.Signature, haveSig = v, v != ""
		}
	}
	s.Date, s.DateHeader = requestDate(hdr)
	if !haveCred || !haveHeaders || !haveSig {
		return nil, incompleteHeader(h, haveCred, haveSig, haveHeaders, s.Date != "")
	}
	var err error
	if s.Scope, err = parseCredential(cred); err != nil {
		return nil, err
	}
	if hdr != nil {
		s.SecurityToken = hdr("X-Amz-Security-Token")
	}
	return s, nil
}

// parseQuery parses presigned-URL parameters.
func parseQuery(q url.Values, hdr func(string) string) (*Signature, error) {
	required := []string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-SignedHeaders", "X-Amz-Date"}
	var missing []string
	for _, p := range required {
		if q.Get(p) == "" {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		return nil, incompleteQuery(missing)
	}
	if q.Get("X-Amz-Algorithm") != Algorithm {
		return nil, incomplete()
	}
	s := &Signature{
		Presigned:     true,
		Signature:     q.Get("X-Amz-Signature"),
		SignedHeaders: strings.Split(q.Get("X-Amz-SignedHeaders"), ";"),
		Date:          q.Get("X-Amz-Date"),
		DateHeader:    "x-amz-date",
		SecurityToken: q.Get("X-Amz-Security-Token"),
	}
	if s.SecurityToken == "" && hdr != nil {
		s.SecurityToken = hdr("X-Amz-Security-Token")
	}
	if e := q.Get("X-Amz-Expires"); e != "" {
		n, err := strconv.Atoi(e)
		if err != nil || n < 0 {
			return nil, incomplete()
		}
		s.Expires = n
	}
	var err error
	if s.Scope, err = parseCredential(q.Get("X-Amz-Credential")); err != nil {
		return nil, err
	}
	return s, nil
}

// requestDate returns the request time in TimeFormat from X-Amz-Date, else
// from the HTTP Date header, and the name of the header it came from.
func requestDate(hdr func(string) string) (date, from string) {
	if hdr == nil {
		return "", ""
	}
	if d := hdr("X-Amz-Date"); d != "" {
		return d, "x-amz-date"
	}
	if d := hdr("Date"); d != "" {
		if t, err := http.ParseTime(d); err == nil {
			return t.UTC().Format(TimeFormat), "date"
		}
		return d, "date" // unparsable: Verify rejects it
	}
	return "", ""
}

// parseCredential splits AKID/date/region/service/aws4_request. Each part
// must be present; the access key may not contain '/'.
func parseCredential(c string) (Scope, error) {
	var parts [4]string
	for i := range parts {
		var ok bool
		parts[i], c, ok = strings.Cut(c, "/")
		if !ok || parts[i] == "" {
			return Scope{}, incomplete()
		}
	}
	if c != "aws4_request" {
		return Scope{}, incomplete()
	}
	return Scope{AccessKey: parts[0], Date: parts[1], Region: parts[2], Service: parts[3]}, nil
}

// parseTime reads a TimeFormat value.
func parseTime(s string) (time.Time, bool) {
	t, err := time.Parse(TimeFormat, s)
	return t, err == nil
}
