// Package server wires Petrel together and runs it: it opens the storage
// engine, the catalog and the services, registers the operations with the
// HTTP front end and owns the listener's lifecycle (start, graceful
// shutdown, engine close). It is the only importer of concrete engines.
package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/httpapi"
	"github.com/petreldb/petrel/internal/storage"
	"github.com/petreldb/petrel/internal/storage/pebblestore"
	"github.com/petreldb/petrel/internal/tables"
)

// Config is everything the binary can configure.
type Config struct {
	Host     string // listen host; "" means all interfaces
	Port     int    // listen port; 0 picks a free one
	DataDir  string // engine directory (ignored when InMemory)
	InMemory bool   // keep everything in memory: nothing is written to disk
	// LogLevel is the minimum level of the default logger (ignored when
	// Logger is set).
	LogLevel slog.Level
	// Logger receives every log line; nil means a text logger on stderr at
	// LogLevel.
	Logger  *slog.Logger
	Version string // reported in the startup line

	// Auth is AuthNone ("" too: development mode, any signed request is
	// accepted, as DynamoDB Local does) or AuthSigV4 (every signature is
	// verified against the credentials).
	Auth string
	// CredentialsFile names a credentials file and Credentials holds
	// credentials text (PETREL_CREDENTIALS); the format is one
	// "ACCESS_KEY SECRET [ACCOUNT_ID]" per line (sigv4.ParseCredentials).
	// Both may be given. They assign accounts under AuthSigV4.
	CredentialsFile string
	Credentials     string
	// SharedDB puts every caller in one namespace (DynamoDB Local's
	// -sharedDb); otherwise each account and region has its own tables.
	SharedDB bool
	// CORS is a comma-separated list of origins browsers may call from
	// ("*" for any); "" turns CORS off.
	CORS string
	// TLSCert and TLSKey are PEM files; with both set Petrel serves HTTPS.
	TLSCert, TLSKey string
	// TransientStatusDelay is how long tables stay CREATING, UPDATING and
	// DELETING (DynamoDB Local's -delayTransientStatuses); 0 makes every
	// change instant. See internal/tables/status.go.
	TransientStatusDelay time.Duration
	// TTLInterval is how often the TTL expirer runs (0: DefaultTTLInterval;
	// negative: never on its own, tests call Sweep). Stream records are
	// sequenced and trimmed every second when it is not negative.
	TTLInterval time.Duration
	// Clock is the time source of TTL expiry, stream records and table
	// timestamps; nil means the system clock. Tests inject a controllable
	// one (servertest.Clock).
	Clock Clock
}

// Clock is a time source (an interface rather than a func so that Config
// stays comparable).
type Clock interface{ Now() time.Time }

// DefaultTransientStatusDelay is the delay -delayTransientStatuses turns on.
const DefaultTransientStatusDelay = tables.DefaultTransientDelay

// Values of Config.Auth.
const (
	AuthNone  = "none"
	AuthSigV4 = "sigv4"
)

// ShutdownTimeout bounds how long Run waits for in-flight requests after its
// context is cancelled.
const ShutdownTimeout = 30 * time.Second

// Server is a running Petrel.
type Server struct {
	cfg  Config
	log  *slog.Logger
	ln   net.Listener
	http *fasthttp.Server
	// conns is what http serves from: it tells when Serve has started and
	// can drop every connection if Shutdown runs out of time.
	conns    *listener
	stopOnce sync.Once
	eng      *pebblestore.Engine
	cat      *catalog.Catalog
	bg       *background // TTL expirer and stream maintenance
	tls      bool
	done     chan struct{} // closed when Serve returns
	err      error         // Serve's error, valid after done
}

// Start opens the engine and the services and starts serving on
// cfg.Host:cfg.Port. It returns once the listener accepts connections.
func Start(cfg Config) (*Server, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	}
	if !cfg.InMemory && cfg.DataDir == "" {
		return nil, errors.New("server: a data directory is required unless in memory")
	}
	auth, err := authenticator(cfg)
	if err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	tlsCfg, err := tlsConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	eng, err := pebblestore.Open(cfg.DataDir, pebblestore.Options{InMemory: cfg.InMemory, Logger: log})
	if err != nil {
		return nil, fmt.Errorf("server: opening the engine: %w", err)
	}
	cat, err := catalog.Open(eng)
	if err != nil {
		eng.Close()
		return nil, fmt.Errorf("server: opening the catalog: %w", err)
	}
	if cfg.Clock != nil {
		cat.WithClock(cfg.Clock.Now)
	}
	bg := newBackground(cfg, log)
	dynamoOps, streamsOps := operations(cat, eng, cfg.TransientStatusDelay, bg)
	h := httpapi.New(httpapi.Config{
		Authenticator: auth,
		CORSOrigins:   corsOrigins(cfg.CORS),
		NotFound:      namespaceHint(cat, log, cfg.SharedDB),
	}, dynamoOps, streamsOps, log)

	ln, err := net.Listen("tcp", net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port)))
	if err != nil {
		eng.Close()
		return nil, fmt.Errorf("server: %w", err)
	}
	s := &Server{
		cfg:  cfg,
		log:  log,
		ln:   ln,
		eng:  eng,
		cat:  cat,
		bg:   bg,
		http: h.NewServer(),
		tls:  tlsCfg != nil,
		done: make(chan struct{}),
	}
	bg.start()
	tracked := newListener(ln)
	s.conns = tracked
	s.http.ConnState = connState
	go func() {
		defer close(s.done)
		var l net.Listener = tracked
		if tlsCfg != nil {
			l = tls.NewListener(tracked, tlsCfg)
		}
		s.err = s.http.Serve(l)
	}()
	<-tracked.serving
	engine, dir := "pebble", cfg.DataDir
	if cfg.InMemory {
		engine, dir = "pebble (in-memory)", ""
	}
	log.Info("petrel listening", "address", s.Addr(), "url", s.URL(), "engine", engine, "data_dir", dir,
		"version", cfg.Version, "auth", authMode(cfg), "namespaces", namespaceMode(cfg), "cors", cfg.CORS)
	return s, nil
}

// Addr is the listener's address, e.g. "127.0.0.1:8000".
func (s *Server) Addr() string { return s.ln.Addr().String() }

// URL is the server's base URL, e.g. "http://127.0.0.1:8000" (https with
// TLS).
func (s *Server) URL() string {
	if s.tls {
		return "https://" + s.Addr()
	}
	return "http://" + s.Addr()
}

// Shutdown stops accepting connections, waits for in-flight requests (until
// ctx ends) and closes the engine. It is safe to call more than once.
func (s *Server) Shutdown(ctx context.Context) error {
	var herr error
	s.stopOnce.Do(func() {
		// fasthttp waits for connections to go away but leaves idle
		// keep-alive ones open: close them as they become idle, as
		// net/http's Shutdown does.
		res := make(chan error, 1)
		go func() { res <- s.http.ShutdownWithContext(ctx) }()
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for done := false; !done; {
			s.conns.closeIdle()
			select {
			case herr = <-res:
				done = true
			case <-tick.C:
			}
		}
		if herr != nil {
			s.conns.closeAll() // out of time
		}
	})
	<-s.done
	s.bg.stop()
	eerr := s.eng.Close()
	if errors.Is(eerr, storage.ErrClosed) {
		eerr = nil
	}
	if herr == nil && eerr == nil {
		s.log.Info("petrel stopped")
	}
	return errors.Join(herr, eerr)
}

// Run serves until ctx is cancelled (main cancels it on SIGINT/SIGTERM),
// then shuts down gracefully.
func Run(ctx context.Context, cfg Config) error {
	s, err := Start(cfg)
	if err != nil {
		return err
	}
	select {
	case <-ctx.Done():
		s.log.Info("petrel shutting down")
	case <-s.done:
		s.log.Error("listener failed", "error", s.err)
	}
	sctx, cancel := context.WithTimeout(context.Background(), ShutdownTimeout)
	defer cancel()
	return errors.Join(s.err, s.Shutdown(sctx))
}
