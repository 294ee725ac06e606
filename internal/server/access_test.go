package server_test

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/petreldb/petrel/internal/server"
)

func TestAccessConfig(t *testing.T) {
	dir := t.TempDir()
	credsFile := filepath.Join(dir, "keys")
	if err := os.WriteFile(credsFile, []byte("AKIDFILE secret 123456789012\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		cfg  func(*server.Config)
		err  string   // "" means Start succeeds
		log  []string // in the startup line
	}{
		{name: "the default is development mode with per-account namespaces", cfg: func(*server.Config) {},
			log: []string{`auth="none (development`, `namespaces="per account and region (start with -sharedDb`}},
		{name: "shared mode says so", cfg: func(c *server.Config) { c.SharedDB = true },
			log: []string{`namespaces="shared (-sharedDb`}},
		{name: "sigv4 with a credentials file starts", cfg: func(c *server.Config) { c.Auth, c.CredentialsFile = server.AuthSigV4, credsFile },
			log: []string{`auth="sigv4 (signatures verified)"`}},
		{name: "sigv4 with inline credentials starts", cfg: func(c *server.Config) { c.Auth, c.Credentials = server.AuthSigV4, "K S\n" }},
		{name: "CORS origins are logged", cfg: func(c *server.Config) { c.CORS = "http://a.test" }, log: []string{"cors=http://a.test"}},
		{name: "sigv4 without credentials is refused", cfg: func(c *server.Config) { c.Auth = server.AuthSigV4 }, err: "needs credentials"},
		{name: "an unknown auth mode is refused", cfg: func(c *server.Config) { c.Auth = "basic" }, err: `auth mode "basic"`},
		{name: "a missing credentials file is refused", cfg: func(c *server.Config) { c.CredentialsFile = filepath.Join(dir, "nope") }, err: "reading credentials"},
		{name: "malformed credentials are refused", cfg: func(c *server.Config) { c.Credentials = "lonely\n" }, err: "credentials line 1"},
		{name: "a certificate without key is refused", cfg: func(c *server.Config) { c.TLSCert = credsFile }, err: "go together"},
		{name: "an unreadable certificate is refused", cfg: func(c *server.Config) { c.TLSCert, c.TLSKey = credsFile, credsFile }, err: "loading the TLS certificate"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var logs strings.Builder
			cfg := server.Config{Host: "127.0.0.1", InMemory: true, Logger: slog.New(slog.NewTextHandler(&logs, nil))}
			tc.cfg(&cfg)
			srv, err := server.Start(cfg)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := srv.Shutdown(ctx); err != nil {
				t.Fatal(err)
			}
			for _, want := range tc.log {
				if !strings.Contains(logs.String(), want) {
					t.Errorf("log lacks %q:\n%s", want, logs.String())
				}
			}
		})
	}
}
