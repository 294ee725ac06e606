package tables

import (
	"context"

	"github.com/petreldb/petrel/internal/caller"
	"github.com/petreldb/petrel/internal/protocol"
)

// endpointCachePeriod is DescribeEndpoints' CachePeriodInMinutes, DynamoDB's
// value (one day).
const endpointCachePeriod = 1440

// DescribeEndpoints answers endpoint discovery with one endpoint: the host
// (and port) the request was sent to, caller.Identity.Host, cached for a
// day.
//
// DynamoDB answers its regional endpoint, dynamodb.<region>.amazonaws.com.
// Petrel answers its own address instead: an SDK that uses endpoint
// discovery replaces its endpoint with the answer, and must keep talking to
// Petrel rather than to AWS. Like DynamoDB's, the address carries no scheme
// (SDKs add https://, or http:// when TLS is disabled in the client). Called
// without a recorded host (outside the HTTP server), it answers DynamoDB's
// regional name.
func (s *Service) DescribeEndpoints(ctx context.Context, _ *protocol.DescribeEndpointsInput) (*protocol.DescribeEndpointsOutput, error) {
	id := caller.From(ctx)
	addr := id.Host
	if addr == "" {
		addr = "dynamodb." + id.Region + ".amazonaws.com"
	}
	return &protocol.DescribeEndpointsOutput{
		Endpoints: []protocol.Endpoint{{Address: ptr(addr), CachePeriodInMinutes: ptr(int64(endpointCachePeriod))}},
	}, nil
}
