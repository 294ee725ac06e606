package httpapi

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/valyala/fasthttp"
)

// Timeouts of the server NewServer builds.
const (
	// ReadTimeout bounds reading one request, headers and body.
	ReadTimeout = 2 * time.Minute
	// IdleTimeout closes a keep-alive connection that sends nothing.
	IdleTimeout = 5 * time.Minute
)

// readBufferSize bounds a request's line and headers: SigV4 headers with a
// session token, or a presigned URL, run to a few KB.
const readBufferSize = 32 << 10

// NewServer returns the fasthttp server for h: bodies up to the cap, no
// Server header and no default content type (every response sets its own),
// unreadable requests answered by h.ServeError, fasthttp's own complaints
// logged at warning level. Serve it on a listener (wrapped by
// tls.NewListener for HTTPS) and stop it with ShutdownWithContext, which
// finishes in-flight requests.
func (h *Handler) NewServer() *fasthttp.Server {
	return &fasthttp.Server{
		Handler:               h.Serve,
		ErrorHandler:          h.ServeError,
		MaxRequestBodySize:    h.maxBody,
		ReadBufferSize:        readBufferSize,
		ReadTimeout:           ReadTimeout,
		IdleTimeout:           IdleTimeout,
		NoDefaultServerHeader: true,
		NoDefaultContentType:  true,
		CloseOnShutdown:       true,
		// Bodies are JSON whatever their Content-Type claims.
		DisablePreParseMultipartForm: true,
		Logger:                       fastLogger{h.log},
	}
}

// fastLogger passes fasthttp's messages to slog.
type fastLogger struct{ log *slog.Logger }

func (l fastLogger) Printf(format string, args ...any) {
	l.log.Warn(fmt.Sprintf(format, args...))
}
