package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/petreldb/petrel/internal/server"
)

// version is Petrel's release, reported by `petrel version` and the startup
// log line.
const version = "0.1.0-dev"

// command is what the command line asks for.
type command struct {
	name string // "serve", "version" or "help"
	cfg  server.Config
}

// usage documents every flag, its environment variable and the DynamoDB Local
// spellings Petrel accepts.
const usage = `Petrel: a DynamoDB-compatible server.

Usage:
  petrel [serve] [flags]    serve the DynamoDB API (the default command)
  petrel version            print the version
  petrel help               print this help (also -help, --help, -h)

Flags (--flag and -flag are the same; each flag also reads an environment
variable; a flag on the command line wins over the environment):
  --host HOST         listen address (PETREL_HOST; default 127.0.0.1)
  --port N            listen port (PETREL_PORT; default 8000)
  --data-dir DIR      where the embedded engine keeps its data
                      (PETREL_DATA_DIR; default ./petrel-data)
  --in-memory         keep everything in memory; nothing is written to disk
                      (PETREL_IN_MEMORY=true)
  --log-level LEVEL   debug, info, warn or error (PETREL_LOG_LEVEL; default info)
  --delay-transient-statuses[=DURATION]
                      tables stay CREATING, UPDATING and DELETING for
                      DURATION (500ms when none is given; attach it with =)
                      instead of changing at once, so code that waits for
                      ACTIVE is exercised (PETREL_DELAY_TRANSIENT_STATUSES:
                      true, false or a duration; default off)
  --ttl-interval DURATION
                      how often the time-to-live expirer deletes expired
                      items (PETREL_TTL_INTERVAL; default 5s; DynamoDB
                      itself takes up to a few days)

Who sees what:
  --shared-db         one database for every caller (PETREL_SHARED_DB=true).
                      Without it (the default, as in DynamoDB Local) each
                      access key and region has its own tables: the account
                      is derived from the access key, the region comes from
                      the signature. The startup line says which mode is on.
  --auth MODE         none or sigv4 (PETREL_AUTH; default none). none: any
                      signed request is accepted, signatures are not checked
                      (development). sigv4: every request must carry a valid
                      AWS Signature Version 4 from a key in the credentials.
  --credentials FILE  one "ACCESS_KEY SECRET [ACCOUNT_ID]" per line, '#'
                      comments; the account (12 digits) names the key's
                      tables and ARNs (PETREL_CREDENTIALS holds the same
                      text itself, not a file name)
  --cors ORIGINS      let browsers call from these origins, comma-separated,
                      * for any, none to turn CORS off (PETREL_CORS;
                      default *, as in DynamoDB Local)
  --tls-cert FILE     serve HTTPS with this PEM certificate chain
                      (PETREL_TLS_CERT)
  --tls-key FILE      and this PEM private key (PETREL_TLS_KEY)

DynamoDB Local compatibility (same meaning as in DynamoDB Local):
  -port N                     as --port
  -inMemory                   as --in-memory
  -dbPath DIR                 as --data-dir
  -sharedDb                   as --shared-db
  -cors ORIGINS               as --cors (default * in both)
  -delayTransientStatuses     as --delay-transient-statuses (500ms)
  -optimizeDbBeforeStartup    accepted; nothing to optimize (no-op)
  -disableTelemetry           accepted; Petrel sends no telemetry
  -help                       print this help
`

// errUsage marks a command-line error (exit status 2).
var errUsage = errors.New("usage error")

// parseArgs turns the arguments (without the program name) and the
// environment into a command. It returns flag.ErrHelp for a help request.
func parseArgs(args []string, getenv func(string) string) (command, error) {
	cmd := command{name: "serve"}
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		switch args[0] {
		case "serve":
			args = args[1:]
		case "version":
			if len(args) > 1 {
				return cmd, fmt.Errorf("%w: version takes no arguments", errUsage)
			}
			return command{name: "version"}, nil
		case "help":
			return command{name: "help"}, flag.ErrHelp
		default:
			return cmd, fmt.Errorf("%w: unknown command %q", errUsage, args[0])
		}
	}

	fs := flag.NewFlagSet("petrel", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	host := fs.String("host", "127.0.0.1", "")
	port := fs.Int("port", 8000, "")
	dataDir := fs.String("data-dir", "./petrel-data", "")
	inMemory := fs.Bool("in-memory", false, "")
	logLevel := fs.String("log-level", "info", "")
	// DynamoDB Local spellings.
	dbPath := fs.String("dbPath", "", "")
	inMemoryDDBL := fs.Bool("inMemory", false, "")
	sharedDB := fs.Bool("shared-db", false, "")
	sharedDBDDBL := fs.Bool("sharedDb", false, "")
	auth := fs.String("auth", server.AuthNone, "")
	credsFile := fs.String("credentials", "", "")
	cors := fs.String("cors", "*", "")
	tlsCert := fs.String("tls-cert", "", "")
	tlsKey := fs.String("tls-key", "", "")
	var delay delayFlag
	fs.Var(&delay, "delay-transient-statuses", "")
	fs.Var(&delay, "delayTransientStatuses", "")
	ttlInterval := fs.Duration("ttl-interval", 0, "")
	fs.Bool("optimizeDbBeforeStartup", false, "") // no-op
	fs.Bool("disableTelemetry", false, "")        // Petrel sends no telemetry.
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return command{name: "help"}, err
		}
		return cmd, fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() > 0 {
		return cmd, fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	set["delay-transient-statuses"] = set["delay-transient-statuses"] || set["delayTransientStatuses"]

	// The environment fills in what the command line did not say.
	env := func(flagName, envName string, apply func(string) error) error {
		if set[flagName] {
			return nil
		}
		if v := getenv(envName); v != "" {
			if err := apply(v); err != nil {
				return fmt.Errorf("%w: %s=%q: %v", errUsage, envName, v, err)
			}
		}
		return nil
	}
	parseBool := func(dst *bool) func(string) error {
		return func(v string) (err error) { *dst, err = strconv.ParseBool(v); return err }
	}
	errs := errors.Join(
		env("host", "PETREL_HOST", func(v string) error { *host = v; return nil }),
		env("port", "PETREL_PORT", func(v string) (err error) { *port, err = strconv.Atoi(v); return err }),
		env("data-dir", "PETREL_DATA_DIR", func(v string) error { *dataDir = v; return nil }),
		env("in-memory", "PETREL_IN_MEMORY", parseBool(inMemory)),
		env("log-level", "PETREL_LOG_LEVEL", func(v string) error { *logLevel = v; return nil }),
		env("shared-db", "PETREL_SHARED_DB", parseBool(sharedDB)),
		env("auth", "PETREL_AUTH", func(v string) error { *auth = v; return nil }),
		env("cors", "PETREL_CORS", func(v string) error { *cors = v; return nil }),
		env("tls-cert", "PETREL_TLS_CERT", func(v string) error { *tlsCert = v; return nil }),
		env("tls-key", "PETREL_TLS_KEY", func(v string) error { *tlsKey = v; return nil }),
		env("delay-transient-statuses", "PETREL_DELAY_TRANSIENT_STATUSES", delay.Set),
		env("ttl-interval", "PETREL_TTL_INTERVAL", func(v string) (err error) { *ttlInterval, err = time.ParseDuration(v); return err }),
	)
	if errs != nil {
		return cmd, errs
	}

	if set["dbPath"] {
		if set["data-dir"] && *dataDir != *dbPath {
			return cmd, fmt.Errorf("%w: -dbPath and --data-dir disagree", errUsage)
		}
		*dataDir = *dbPath
	}
	level, err := parseLevel(*logLevel)
	if err != nil {
		return cmd, err
	}
	if *port < 0 || *port > 65535 {
		return cmd, fmt.Errorf("%w: port %d out of range", errUsage, *port)
	}
	if (set["ttl-interval"] || getenv("PETREL_TTL_INTERVAL") != "") && *ttlInterval <= 0 {
		return cmd, fmt.Errorf("%w: --ttl-interval %v is not a positive duration", errUsage, *ttlInterval)
	}
	if *auth != server.AuthNone && *auth != server.AuthSigV4 {
		return cmd, fmt.Errorf("%w: --auth %q is not none or sigv4", errUsage, *auth)
	}
	if (*tlsCert == "") != (*tlsKey == "") {
		return cmd, fmt.Errorf("%w: --tls-cert and --tls-key go together", errUsage)
	}
	// PETREL_CREDENTIALS is the credentials text itself; --credentials a
	// file. A file on the command line replaces the environment's text.
	var credsText string
	if !set["credentials"] {
		credsText = getenv("PETREL_CREDENTIALS")
	}
	if *auth == server.AuthSigV4 && *credsFile == "" && credsText == "" {
		return cmd, fmt.Errorf("%w: --auth sigv4 needs --credentials FILE or PETREL_CREDENTIALS", errUsage)
	}
	cmd.cfg = server.Config{
		Host:     *host,
		Port:     *port,
		DataDir:  *dataDir,
		InMemory: *inMemory || *inMemoryDDBL,
		LogLevel: level,
		Version:  version,

		Auth:            *auth,
		CredentialsFile: *credsFile,
		Credentials:     credsText,
		SharedDB:        *sharedDB || *sharedDBDDBL,
		CORS:            corsSetting(*cors),
		TLSCert:         *tlsCert,
		TLSKey:          *tlsKey,
	}
	cmd.cfg.TransientStatusDelay = delay.d
	cmd.cfg.TTLInterval = *ttlInterval // 0: server.DefaultTTLInterval
	return cmd, nil
}

// parseLevel reads --log-level.
func parseLevel(s string) (slog.Level, error) {
	switch strings.ToLower(s) {
	case "debug":
		return slog.LevelDebug, nil
	case "info":
		return slog.LevelInfo, nil
	case "warn", "warning":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return 0, fmt.Errorf("%w: log level %q is not one of debug, info, warn, error", errUsage, s)
}

// corsSetting maps the --cors value to server.Config.CORS: "none" turns
// CORS off; anything else is the list of allowed origins. The default "*"
// is DynamoDB Local's.
func corsSetting(v string) string {
	if strings.EqualFold(v, "none") {
		return ""
	}
	return v
}
