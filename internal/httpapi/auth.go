package httpapi

import (
	"net/http"
	"strings"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/caller"
)

// Authenticator decides who sent a request. It runs after the body has been
// read (signature verification needs the payload hash) and before routing.
// It returns an *apierr.Error for a request that must be refused.
type Authenticator interface {
	Authenticate(r *http.Request, body []byte) (caller.Identity, error)
}

// ScopeAuthenticator trusts the SigV4 credential scope without checking the
// signature: the access key and region come from the Authorization header
// (or the presigned X-Amz-Credential query parameter); every caller gets
// Account and Namespace. It is New's default, for tests of this package;
// the server uses sigv4.Authenticator (per-key namespaces, shared mode and
// signature verification).
type ScopeAuthenticator struct {
	Account   string // e.g. "000000000000"
	Namespace string // e.g. "shared"
}

// Authenticate implements Authenticator.
func (a ScopeAuthenticator) Authenticate(r *http.Request, _ []byte) (caller.Identity, error) {
	scope, err := CredentialScope(r)
	if err != nil {
		return caller.Identity{}, err
	}
	return caller.Identity{
		AccessKey: scope.AccessKey,
		Region:    scope.Region,
		Account:   a.Account,
		Namespace: a.Namespace,
	}, nil
}

// Scope is the credential scope of a SigV4 signature:
// AKID/20260101/us-east-1/dynamodb/aws4_request.
type Scope struct {
	AccessKey string
	Date      string // yyyymmdd
	Region    string
	Service   string
}

// Authentication failures (errors.md A5, A6). A5's text is AWS's documented
// one; DynamoDB Local's wording (A2) differs, and SDK users of the real
// service see AWS's.
func missingAuthToken() *apierr.Error { return apierr.MissingAuthenticationToken() }

func incompleteSignature() *apierr.Error {
	return apierr.New("IncompleteSignatureException", http.StatusBadRequest,
		"The request signature does not conform to AWS standards.")
}

const sigV4Algorithm = "AWS4-HMAC-SHA256"

// CredentialScope extracts the credential scope from r's SigV4 Authorization
// header, or from a presigned URL's X-Amz-Credential. A missing or non-SigV4
// header is MissingAuthenticationTokenException; a SigV4 header lacking a
// component is IncompleteSignatureException.
func CredentialScope(r *http.Request) (Scope, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		if r.URL != nil && r.URL.RawQuery != "" {
			q := r.URL.Query()
			if q.Get("X-Amz-Algorithm") == sigV4Algorithm && q.Get("X-Amz-Signature") != "" {
				if s, ok := parseCredential(q.Get("X-Amz-Credential")); ok {
					return s, nil
				}
				return Scope{}, incompleteSignature()
			}
		}
		return Scope{}, missingAuthToken()
	}
	return ParseAuthorization(h)
}

// ParseAuthorization parses a SigV4 Authorization header value:
//
//	AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=abcd
func ParseAuthorization(h string) (Scope, error) {
	alg, rest, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || alg != sigV4Algorithm {
		return Scope{}, missingAuthToken()
	}
	var cred string
	var haveHeaders, haveSig bool
	for rest != "" {
		var part string
		part, rest, _ = strings.Cut(rest, ",")
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "Credential":
			cred = v
		case "SignedHeaders":
			haveHeaders = v != ""
		case "Signature":
			haveSig = v != ""
		}
	}
	if !haveHeaders || !haveSig {
		return Scope{}, incompleteSignature()
	}
	s, ok := parseCredential(cred)
	if !ok {
		return Scope{}, incompleteSignature()
	}
	return s, nil
}

// parseCredential splits AKID/date/region/service/aws4_request.
func parseCredential(c string) (Scope, bool) {
	var s Scope
	var term string
	var ok bool
	if s.AccessKey, c, ok = strings.Cut(c, "/"); !ok || s.AccessKey == "" {
		return Scope{}, false
	}
	if s.Date, c, ok = strings.Cut(c, "/"); !ok || s.Date == "" {
		return Scope{}, false
	}
	if s.Region, c, ok = strings.Cut(c, "/"); !ok || s.Region == "" {
		return Scope{}, false
	}
	if s.Service, term, ok = strings.Cut(c, "/"); !ok || s.Service == "" || term != "aws4_request" {
		return Scope{}, false
	}
	return s, true
}
