package main

import (
	"fmt"
	"strconv"
	"time"

	"github.com/petreldb/petrel/internal/server"
)

// delayFlag is the value of --delay-transient-statuses and DynamoDB Local's
// -delayTransientStatuses (and of PETREL_DELAY_TRANSIENT_STATUSES): a boolean
// flag, as in DynamoDB Local, whose "on" is server.DefaultTransientStatusDelay,
// that also takes a duration (--delay-transient-statuses=200ms). false or 0
// keep table changes instant.
type delayFlag struct{ d time.Duration }

// String implements flag.Value.
func (f *delayFlag) String() string {
	if f == nil {
		return "0s"
	}
	return f.d.String()
}

// IsBoolFlag lets the flag stand alone (-delayTransientStatuses); a duration
// must then be attached with '='.
func (f *delayFlag) IsBoolFlag() bool { return true }

// Set implements flag.Value: a boolean or a non-negative duration.
func (f *delayFlag) Set(v string) error {
	if on, err := strconv.ParseBool(v); err == nil {
		f.d = 0
		if on {
			f.d = server.DefaultTransientStatusDelay
		}
		return nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return fmt.Errorf("%q is not true, false or a duration such as 500ms", v)
	}
	f.d = d
	return nil
}
