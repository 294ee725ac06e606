// Command petrel runs Petrel, a DynamoDB-compatible server: command line and
// environment -> server.Config -> server.Run. Everything else lives in
// internal/server. See README.md or `petrel --help`.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"syscall"

	"github.com/petreldb/petrel/internal/server"
)

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// run executes the command line and returns the exit status.
func run(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cmd, err := parseArgs(args, getenv)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stdout, usage)
		return 0
	case err != nil:
		fmt.Fprintf(stderr, "petrel: %v\n\n%s", err, usage)
		return 2
	case cmd.name == "version":
		fmt.Fprintf(stdout, "petrel %s (%s)\n", version, runtime.Version())
		return 0
	}
	// SIGINT/SIGTERM cancel ctx: server.Run stops accepting, finishes
	// in-flight requests and closes the engine.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := server.Run(ctx, cmd.cfg); err != nil {
		fmt.Fprintf(stderr, "petrel: %v\n", err)
		return 1
	}
	return 0
}
