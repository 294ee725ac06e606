package server

import (
	"crypto/tls"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/petreldb/petrel/internal/sigv4"
)

// authenticator builds the caller identification of cfg: development mode
// (any signature, namespaces per derived account and region), verified
// SigV4 (--auth sigv4) and shared mode (-sharedDb) on top of either.
func authenticator(cfg Config) (*sigv4.Authenticator, error) {
	var verify bool
	switch cfg.Auth {
	case "", AuthNone:
	case AuthSigV4:
		verify = true
	default:
		return nil, fmt.Errorf("auth mode %q is not %q or %q", cfg.Auth, AuthNone, AuthSigV4)
	}
	text := cfg.Credentials
	if cfg.CredentialsFile != "" {
		b, err := os.ReadFile(cfg.CredentialsFile)
		if err != nil {
			return nil, fmt.Errorf("reading credentials: %w", err)
		}
		text = string(b) + "\n" + text
	}
	creds, err := sigv4.ParseCredentials(text)
	if err != nil {
		return nil, err
	}
	if verify && len(creds) == 0 {
		return nil, errors.New("--auth sigv4 needs credentials (--credentials FILE or PETREL_CREDENTIALS)")
	}
	return sigv4.NewAuthenticator(sigv4.Config{Verify: verify, Credentials: creds, Shared: cfg.SharedDB})
}

// tlsConfig loads cfg's certificate; nil means plain HTTP.
func tlsConfig(cfg Config) (*tls.Config, error) {
	if cfg.TLSCert == "" && cfg.TLSKey == "" {
		return nil, nil
	}
	if cfg.TLSCert == "" || cfg.TLSKey == "" {
		return nil, errors.New("--tls-cert and --tls-key go together")
	}
	cert, err := tls.LoadX509KeyPair(cfg.TLSCert, cfg.TLSKey)
	if err != nil {
		return nil, fmt.Errorf("loading the TLS certificate: %w", err)
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
}

// corsOrigins splits --cors.
func corsOrigins(s string) []string {
	var out []string
	for _, o := range strings.Split(s, ",") {
		if o = strings.TrimSpace(o); o != "" {
			out = append(out, o)
		}
	}
	return out
}

// authMode and namespaceMode describe cfg in the startup log line.
func authMode(cfg Config) string {
	if cfg.Auth == AuthSigV4 {
		return "sigv4 (signatures verified)"
	}
	return "none (development: any signed request is accepted)"
}

func namespaceMode(cfg Config) string {
	if cfg.SharedDB {
		return "shared (-sharedDb: every access key and region sees the same tables)"
	}
	return "per account and region (start with -sharedDb to share tables)"
}
