package tables

import (
	"context"

	"github.com/petreldb/petrel/internal/protocol"
)

// Provisioned-capacity quotas DescribeLimits reports: DynamoDB's defaults
// for a new account (limits.md section 5; the per-table values are the ones
// CreateTable and UpdateTable enforce, maxTableThroughput).
const (
	accountMaxCapacityUnits = 80000
	tableMaxCapacityUnits   = maxTableThroughput
)

// DescribeLimits reports DynamoDB's default provisioned-capacity quotas:
// 80,000 read and write capacity units per account and Region, 40,000 per
// table. Petrel enforces the per-table quota only; the account quota is
// informational.
func (s *Service) DescribeLimits(context.Context, *protocol.DescribeLimitsInput) (*protocol.DescribeLimitsOutput, error) {
	return &protocol.DescribeLimitsOutput{
		AccountMaxReadCapacityUnits:  ptr(int64(accountMaxCapacityUnits)),
		AccountMaxWriteCapacityUnits: ptr(int64(accountMaxCapacityUnits)),
		TableMaxReadCapacityUnits:    ptr(int64(tableMaxCapacityUnits)),
		TableMaxWriteCapacityUnits:   ptr(int64(tableMaxCapacityUnits)),
	}, nil
}
