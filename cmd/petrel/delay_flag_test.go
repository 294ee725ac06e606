package main

import (
	"testing"
	"time"

	"github.com/petreldb/petrel/internal/server"
)

func TestDelayFlagSet(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Duration
		wantErr bool
	}{
		{in: "true", want: server.DefaultTransientStatusDelay},
		{in: "1", want: server.DefaultTransientStatusDelay},
		{in: "false", want: 0},
		{in: "0", want: 0},
		{in: "0s", want: 0},
		{in: "200ms", want: 200 * time.Millisecond},
		{in: "1m30s", want: 90 * time.Second},
		{in: "-1s", wantErr: true},
		{in: "soon", wantErr: true},
		{in: "", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			f := delayFlag{d: time.Hour}
			err := f.Set(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Set(%q) error %v, want error %v", tt.in, err, tt.wantErr)
			}
			if !tt.wantErr && f.d != tt.want {
				t.Fatalf("Set(%q) = %v, want %v", tt.in, f.d, tt.want)
			}
		})
	}
	if got := (*delayFlag)(nil).String(); got != "0s" {
		t.Fatalf("nil String() = %q", got)
	}
	if !(&delayFlag{}).IsBoolFlag() {
		t.Fatal("the flag must stand alone like DynamoDB Local's")
	}
}
