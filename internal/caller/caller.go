// Package caller carries who made a request — access key, account and region,
// taken from the request's signature — through a context.Context, so that the
// control and data planes can build ARNs and pick the caller's namespace
// without knowing about HTTP.
package caller

import "context"

// Identity is the caller of one request.
type Identity struct {
	AccessKey string
	Account   string // 12-digit AWS account id
	Region    string // from the credential scope, e.g. "us-east-1"
	// Namespace isolates data: tables are looked up by (Namespace, name).
	// Development mode derives it from access key and region; shared mode
	// uses one constant namespace.
	Namespace string
	// Host is the request's Host header (e.g. "localhost:8000"): the
	// address the client used, which DescribeEndpoints answers.
	Host string
}

type ctxKey struct{}

// With returns a context carrying id.
func With(ctx context.Context, id Identity) context.Context {
	return context.WithValue(ctx, ctxKey{}, id)
}

// From returns the identity in ctx, or a default one (account
// 000000000000, region us-east-1, shared namespace) if there is none.
func From(ctx context.Context) Identity {
	if id, ok := ctx.Value(ctxKey{}).(Identity); ok {
		return id
	}
	return Identity{Account: "000000000000", Region: "us-east-1", Namespace: "shared"}
}
