package main

import (
	"errors"
	"flag"
	"log/slog"
	"testing"
	"time"

	"github.com/petreldb/petrel/internal/server"
)

func TestParseArgs(t *testing.T) {
	def := server.Config{Host: "127.0.0.1", Port: 8000, DataDir: "./petrel-data", LogLevel: slog.LevelInfo, Version: version, Auth: server.AuthNone, CORS: "*"}
	with := func(f func(*server.Config)) server.Config { c := def; f(&c); return c }
	cases := []struct {
		name    string
		args    []string
		env     map[string]string
		cmd     string
		cfg     server.Config
		wantErr error
	}{
		{name: "no arguments serve on 127.0.0.1:8000 from ./petrel-data", cmd: "serve", cfg: def},
		{name: "serve is the default command", args: []string{"serve"}, cmd: "serve", cfg: def},
		{name: "double-dash flags set every field",
			args: []string{"serve", "--host", "0.0.0.0", "--port", "9000", "--data-dir", "/d", "--in-memory", "--log-level", "debug"},
			cmd:  "serve", cfg: server.Config{Host: "0.0.0.0", Port: 9000, DataDir: "/d", InMemory: true, LogLevel: slog.LevelDebug, Version: version, Auth: server.AuthNone, CORS: "*"}},
		{name: "flags with = work", args: []string{"--port=1234", "--log-level=warn"}, cmd: "serve",
			cfg: with(func(c *server.Config) { c.Port = 1234; c.LogLevel = slog.LevelWarn })},
		{name: "the environment sets every field",
			env: map[string]string{"PETREL_HOST": "::1", "PETREL_PORT": "7000", "PETREL_DATA_DIR": "/e", "PETREL_IN_MEMORY": "true", "PETREL_LOG_LEVEL": "error"},
			cmd: "serve", cfg: server.Config{Host: "::1", Port: 7000, DataDir: "/e", InMemory: true, LogLevel: slog.LevelError, Version: version, Auth: server.AuthNone, CORS: "*"}},
		{name: "flags win over the environment",
			args: []string{"--port", "9001", "--data-dir", "/flag"},
			env:  map[string]string{"PETREL_PORT": "7000", "PETREL_DATA_DIR": "/env", "PETREL_HOST": "10.0.0.1"},
			cmd:  "serve", cfg: with(func(c *server.Config) { c.Port = 9001; c.DataDir = "/flag"; c.Host = "10.0.0.1" })},
		{name: "an explicit --in-memory=false beats PETREL_IN_MEMORY", args: []string{"--in-memory=false"},
			env: map[string]string{"PETREL_IN_MEMORY": "1"}, cmd: "serve", cfg: def},
		{name: "--cors none turns CORS off", args: []string{"--cors", "none"}, cmd: "serve",
			cfg: with(func(c *server.Config) { c.CORS = "" })},
		{name: "DynamoDB Local's command line is accepted",
			args: []string{"-port", "8001", "-inMemory", "-sharedDb", "-cors", "*", "-delayTransientStatuses", "-optimizeDbBeforeStartup", "-disableTelemetry"},
			cmd:  "serve", cfg: with(func(c *server.Config) {
				c.Port, c.InMemory, c.SharedDB, c.CORS, c.TransientStatusDelay = 8001, true, true, "*", server.DefaultTransientStatusDelay
			})},
		{name: "--delay-transient-statuses alone is the default delay", args: []string{"--delay-transient-statuses"}, cmd: "serve",
			cfg: with(func(c *server.Config) { c.TransientStatusDelay = server.DefaultTransientStatusDelay })},
		{name: "--delay-transient-statuses takes a duration", args: []string{"--delay-transient-statuses=200ms"}, cmd: "serve",
			cfg: with(func(c *server.Config) { c.TransientStatusDelay = 200 * time.Millisecond })},
		{name: "PETREL_DELAY_TRANSIENT_STATUSES takes a duration", env: map[string]string{"PETREL_DELAY_TRANSIENT_STATUSES": "2s"}, cmd: "serve",
			cfg: with(func(c *server.Config) { c.TransientStatusDelay = 2 * time.Second })},
		{name: "-delayTransientStatuses=false beats PETREL_DELAY_TRANSIENT_STATUSES", args: []string{"-delayTransientStatuses=false"},
			env: map[string]string{"PETREL_DELAY_TRANSIENT_STATUSES": "true"}, cmd: "serve", cfg: def},
		{name: "a bad PETREL_DELAY_TRANSIENT_STATUSES is a usage error", env: map[string]string{"PETREL_DELAY_TRANSIENT_STATUSES": "soon"}, wantErr: errUsage},
		{name: "a duration after a space is a stray argument", args: []string{"--delay-transient-statuses", "1s"}, wantErr: errUsage},
		{name: "--ttl-interval sets how often the expirer runs", args: []string{"--ttl-interval", "250ms"}, cmd: "serve",
			cfg: with(func(c *server.Config) { c.TTLInterval = 250 * time.Millisecond })},
		{name: "PETREL_TTL_INTERVAL sets it too", env: map[string]string{"PETREL_TTL_INTERVAL": "1m"}, cmd: "serve",
			cfg: with(func(c *server.Config) { c.TTLInterval = time.Minute })},
		{name: "--ttl-interval beats PETREL_TTL_INTERVAL", args: []string{"--ttl-interval=2s"},
			env: map[string]string{"PETREL_TTL_INTERVAL": "1m"}, cmd: "serve", cfg: with(func(c *server.Config) { c.TTLInterval = 2 * time.Second })},
		{name: "a zero --ttl-interval is a usage error", args: []string{"--ttl-interval", "0s"}, wantErr: errUsage},
		{name: "a bad PETREL_TTL_INTERVAL is a usage error", env: map[string]string{"PETREL_TTL_INTERVAL": "often"}, wantErr: errUsage},
		{name: "-dbPath is the data dir", args: []string{"-dbPath", "/ddbl", "-sharedDb"}, cmd: "serve",
			cfg: with(func(c *server.Config) { c.DataDir = "/ddbl"; c.SharedDB = true })},
		{name: "access flags set auth, credentials, shared mode, CORS and TLS",
			args: []string{"--auth", "sigv4", "--credentials", "/etc/petrel/keys", "--shared-db", "--cors", "http://a.test,http://b.test",
				"--tls-cert", "c.pem", "--tls-key", "k.pem"},
			cmd: "serve", cfg: with(func(c *server.Config) {
				c.Auth, c.CredentialsFile, c.SharedDB, c.CORS, c.TLSCert, c.TLSKey = "sigv4", "/etc/petrel/keys", true, "http://a.test,http://b.test", "c.pem", "k.pem"
			})},
		{name: "the environment sets the access flags; PETREL_CREDENTIALS is the text itself",
			env: map[string]string{"PETREL_AUTH": "sigv4", "PETREL_CREDENTIALS": "K S\n", "PETREL_SHARED_DB": "true", "PETREL_CORS": "*",
				"PETREL_TLS_CERT": "c.pem", "PETREL_TLS_KEY": "k.pem"},
			cmd: "serve", cfg: with(func(c *server.Config) {
				c.Auth, c.Credentials, c.SharedDB, c.CORS, c.TLSCert, c.TLSKey = "sigv4", "K S\n", true, "*", "c.pem", "k.pem"
			})},
		{name: "--credentials replaces PETREL_CREDENTIALS", args: []string{"--credentials", "/f"},
			env: map[string]string{"PETREL_CREDENTIALS": "K S"}, cmd: "serve",
			cfg: with(func(c *server.Config) { c.CredentialsFile = "/f" })},
		{name: "--auth sigv4 without credentials is a usage error", args: []string{"--auth", "sigv4"}, wantErr: errUsage},
		{name: "an unknown --auth is a usage error", args: []string{"--auth", "basic"}, wantErr: errUsage},
		{name: "--tls-cert without --tls-key is a usage error", args: []string{"--tls-cert", "c.pem"}, wantErr: errUsage},
		{name: "a bad PETREL_SHARED_DB is a usage error", env: map[string]string{"PETREL_SHARED_DB": "perhaps"}, wantErr: errUsage},
		{name: "-dbPath beats PETREL_DATA_DIR", args: []string{"-dbPath", "/ddbl"}, env: map[string]string{"PETREL_DATA_DIR": "/env"},
			cmd: "serve", cfg: with(func(c *server.Config) { c.DataDir = "/ddbl" })},
		{name: "version is a command", args: []string{"version"}, cmd: "version"},
		{name: "help is a command", args: []string{"help"}, cmd: "help", wantErr: flag.ErrHelp},
		{name: "--help asks for help", args: []string{"--help"}, cmd: "help", wantErr: flag.ErrHelp},
		{name: "-help asks for help", args: []string{"-help"}, cmd: "help", wantErr: flag.ErrHelp},
		{name: "serve -h asks for help", args: []string{"serve", "-h"}, cmd: "help", wantErr: flag.ErrHelp},
		{name: "an unknown flag is a usage error", args: []string{"--bogus"}, wantErr: errUsage},
		{name: "an unknown command is a usage error", args: []string{"frobnicate"}, wantErr: errUsage},
		{name: "a stray argument is a usage error", args: []string{"serve", "extra"}, wantErr: errUsage},
		{name: "a bad log level is a usage error", args: []string{"--log-level", "loud"}, wantErr: errUsage},
		{name: "a bad PETREL_PORT is a usage error", env: map[string]string{"PETREL_PORT": "eighty"}, wantErr: errUsage},
		{name: "a bad PETREL_IN_MEMORY is a usage error", env: map[string]string{"PETREL_IN_MEMORY": "maybe"}, wantErr: errUsage},
		{name: "a port out of range is a usage error", args: []string{"--port", "70000"}, wantErr: errUsage},
		{name: "-dbPath and --data-dir must agree", args: []string{"-dbPath", "/a", "--data-dir", "/b"}, wantErr: errUsage},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cmd, err := parseArgs(tc.args, func(k string) string { return tc.env[k] })
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err = %v, want %v", err, tc.wantErr)
				}
				if tc.cmd != "" && cmd.name != tc.cmd {
					t.Errorf("command = %q, want %q", cmd.name, tc.cmd)
				}
				return
			}
			if err != nil {
				t.Fatalf("err = %v", err)
			}
			if cmd.name != tc.cmd {
				t.Errorf("command = %q, want %q", cmd.name, tc.cmd)
			}
			if tc.cmd == "serve" && cmd.cfg != tc.cfg {
				t.Errorf("config = %+v\nwant     %+v", cmd.cfg, tc.cfg)
			}
		})
	}
}
