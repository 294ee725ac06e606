package server

import (
	"net/http"

	"github.com/petreldb/petrel/internal/httpapi"
	"github.com/petreldb/petrel/internal/tables"
)

// describeEndpointsTarget is the X-Amz-Target of DescribeEndpoints.
const describeEndpointsTarget = httpapi.DynamoDBPrefix + "DescribeEndpoints"

// withRequestHost records the request's Host header in the context of
// DescribeEndpoints requests, which answer it as the endpoint to use (see
// tables.DescribeEndpoints). Other requests pass through untouched.
func withRequestHost(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.Header.Get("X-Amz-Target") == describeEndpointsTarget {
			r = r.WithContext(tables.WithRequestHost(r.Context(), r.Host))
		}
		h.ServeHTTP(w, r)
	})
}
