package sigv4

import (
	"errors"
	"sync"
	"time"

	"github.com/petreldb/petrel/internal/caller"
)

// SharedNamespace is the one namespace of shared mode (-sharedDb). It is the
// namespace every table lived in before per-key namespaces existed, so data
// created then is visible in shared mode.
//
// Persisted: catalog keys embed namespaces.
const SharedNamespace = "shared"

// Namespace is the namespace of account in region outside shared mode:
// "<account>/<region>", e.g. "123456789012/us-east-1".
//
// Persisted: catalog keys embed namespaces.
func Namespace(account, region string) string { return account + "/" + region }

// Config chooses how an Authenticator identifies callers.
type Config struct {
	// Verify turns on --auth sigv4: every signature is checked against
	// Credentials. Without it (development mode) any well-formed SigV4
	// signature is accepted unchecked, as DynamoDB Local does.
	Verify      bool
	Credentials []Credential
	// Shared puts every caller into SharedNamespace (-sharedDb); otherwise
	// each account and region has its own namespace.
	Shared bool
	// Now is the clock for the skew check; nil means time.Now.
	Now func() time.Time
}

// Authenticator identifies the caller of a request from its signature. It
// satisfies httpapi.Authenticator.
//
// The identity's access key and region come from the credential scope. Its
// account is the credentials file's account for the key under Verify, and
// DevAccount(key) otherwise; its namespace is Namespace(account, region),
// or SharedNamespace in shared mode.
type Authenticator struct {
	shared bool
	v      *Verifier // nil in development mode
	dev    devAccounts
}

// devAccounts remembers DevAccount of the access keys seen in development
// mode: a SHA-256 per request was 1.5% of server CPU. At most maxDevAccounts
// keys are kept, so a stream of made-up keys cannot grow it without bound.
type devAccounts struct {
	mu sync.RWMutex
	m  map[string]string
}

const maxDevAccounts = 4096

func (d *devAccounts) get(key string) string {
	d.mu.RLock()
	acc, ok := d.m[key]
	d.mu.RUnlock()
	if ok {
		return acc
	}
	acc = DevAccount(key)
	d.mu.Lock()
	if d.m == nil {
		d.m = make(map[string]string)
	}
	if len(d.m) < maxDevAccounts {
		d.m[key] = acc
	}
	d.mu.Unlock()
	return acc
}

// NewAuthenticator returns an Authenticator for cfg. Verify without
// credentials is an error: nobody could ever get in.
func NewAuthenticator(cfg Config) (*Authenticator, error) {
	a := &Authenticator{shared: cfg.Shared}
	if cfg.Verify {
		if len(cfg.Credentials) == 0 {
			return nil, errors.New("sigv4: signature verification needs at least one credential")
		}
		a.v = NewVerifier(cfg.Credentials, cfg.Now)
	}
	return a, nil
}

// Verifying reports whether signatures are checked.
func (a *Authenticator) Verifying() bool { return a.v != nil }

// Shared reports whether every caller shares one namespace.
func (a *Authenticator) Shared() bool { return a.shared }

// Authenticate implements httpapi.Authenticator. body is the request
// payload as sent (the payload hash covers those bytes).
func (a *Authenticator) Authenticate(r Request, body []byte) (caller.Identity, error) {
	sig, err := Parse(r)
	if err != nil {
		return caller.Identity{}, err
	}
	var account string
	if a.v != nil {
		cred, err := a.v.Verify(r, body, sig)
		if err != nil {
			return caller.Identity{}, err
		}
		account = cred.Account
	} else {
		account = a.dev.get(sig.Scope.AccessKey)
	}
	id := caller.Identity{AccessKey: sig.Scope.AccessKey, Account: account, Region: sig.Scope.Region}
	if a.shared {
		id.Namespace = SharedNamespace
	} else {
		id.Namespace = Namespace(account, id.Region)
	}
	return id, nil
}
