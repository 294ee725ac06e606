package tables

import (
	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/protocol"
)

// The semantic checks of the control plane, in DynamoDB's order. The model
// constraints (required members, lengths, ranges, enums, the table-name
// pattern) were already checked by the generated Validate; these checks still
// guard against what Validate lets through and keep the methods safe when
// called directly.

// Messages copied byte for byte from DynamoDB (errors.md section D, or AWS's
// own text where it differs from DynamoDB Local's).
const (
	msgTableName          = "Invalid table/index name.  Table/index names must be between 3 and 255 characters long, and may contain only the characters a-z, A-Z, 0-9, '_', '-', and '.'"
	msgNoKeySchema        = "No defined key schema.  A key schema containing at least a hash key must be defined for all tables"
	msgNoAttrSchema       = "No Attribute Schema Defined"
	msgKeySchemaTooBig    = "Key Schema too big.  Key Schema must at most consist of the hash and range key of a table"
	msgTooManyHashKeys    = "Too many hash keys specified.  All Dynamo DB tables must have exactly one hash key"
	msgKeyOrder           = "Invalid key order. Hash Key must be specified first in key schema, Range Key must be specifed second"
	msgNoHashKey          = "No Hash Key specified in schema.  All Dynamo DB tables must have exactly one hash key"
	msgSameKeyName        = "Two keys can not have the same name"
	msgHashNotDefined     = "Hash Key not specified in Attribute Definitions.  Type unknown."
	msgRangeNotDefined    = "Range Key not specified in Attribute Definitions.  Type unknown."
	msgAttrCountMismatch  = "The number of attributes in key schema must match the number of attributes defined in attribute definitions."
	msgDuplicateAttr      = "Cannot have two attributes with the same name"
	msgAttrType           = "Member must satisfy enum value set: [B, N, S]"
	msgKeyNameLength      = "Names of key attributes and attributes projected into an index must be between 1 and 255 characters, inclusive"
	msgNoThroughput       = "No provisioned throughput specified for the table"
	msgThroughputTooLow   = "Table read and write throughput must be at least 1, and cannot be null"
	msgThroughputTooHigh  = "Cannot increase provisioned throughput to more than 40,000 units per table"
	msgPayPerRequestPT    = "One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST"
	msgProvisionedNeedsPT = "One or more parameter values were invalid: ProvisionedThroughput must be specified when BillingMode is PROVISIONED"
	msgStreamNoViewType   = "Invalid StreamViewType: Stream ViewType must not be null or empty when enabling streams."
	msgStreamViewTypeOff  = "Invalid StreamViewType: Stream StreamEnabled was false but a StreamViewType was present."
	msgLSIListEmpty       = msgAttrCountMismatch
	msgGSIListEmpty       = "GSI list is empty/invalid"

	msgReplicasUnsupported = "One or more parameter values were invalid: Global tables (ReplicaUpdates) are not supported"
	msgNothingToUpdate     = "Nothing to update"
	msgStreamAlreadyOn     = "Table already has an enabled stream"
	msgNoStreamToDisable   = "Table has no stream to disable"
	msgDeletionProtected   = "Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first."
	msgListLimitLow        = "Limit must be greater than or equal to 1"
	msgListLimitHigh       = "Limit in ListTables must be <= 100"
)

// maxTableThroughput is the per-table provisioned throughput quota
// (limits.md section 5).
const maxTableThroughput = 40000

// validTableName reports whether name is 3..255 characters of [a-zA-Z0-9_.-].
func validTableName(name string) bool {
	if len(name) < 3 || len(name) > 255 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func i64(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// checkTableName is D1 for a required table name.
func checkTableName(name *string) error {
	if name == nil || !validTableName(*name) {
		return apierr.Validation(msgTableName)
	}
	return nil
}

// checkKeyNameLength is D13: key attribute names are 1..255 bytes.
func checkKeyNameLength(name string) error {
	if len(name) < 1 || len(name) > 255 {
		return apierr.Validation(msgKeyNameLength)
	}
	return nil
}

// keySchema checks a table key schema (D2, D4-D8, D13) and returns it.
func keySchema(ks []protocol.KeySchemaElement) ([]catalog.KeyElement, error) {
	if len(ks) == 0 {
		return nil, apierr.Validation(msgNoKeySchema)
	}
	if len(ks) > 2 {
		return nil, apierr.Validation(msgKeySchemaTooBig)
	}
	out := make([]catalog.KeyElement, len(ks))
	for i, k := range ks {
		if err := checkKeyNameLength(str(k.AttributeName)); err != nil {
			return nil, err
		}
		out[i] = catalog.KeyElement{AttributeName: str(k.AttributeName), KeyType: string(str(k.KeyType))}
	}
	hashes := 0
	for _, k := range out {
		if k.KeyType == catalog.KeyTypeHash {
			hashes++
		}
	}
	switch {
	case hashes > 1:
		return nil, apierr.Validation(msgTooManyHashKeys)
	case hashes == 0:
		return nil, apierr.Validation(msgNoHashKey)
	case out[0].KeyType != catalog.KeyTypeHash:
		return nil, apierr.Validation(msgKeyOrder)
	case len(out) == 2 && out[1].KeyType != catalog.KeyTypeRange:
		return nil, apierr.Validation(msgNoHashKey)
	case len(out) == 2 && out[0].AttributeName == out[1].AttributeName:
		return nil, apierr.Validation(msgSameKeyName)
	}
	return out, nil
}

// attributeDefinitions checks D3, D11, D12, D13 and returns the definitions.
func attributeDefinitions(defs []protocol.AttributeDefinition) ([]catalog.AttributeDefinition, error) {
	if len(defs) == 0 {
		return nil, apierr.Validation(msgNoAttrSchema)
	}
	out := make([]catalog.AttributeDefinition, 0, len(defs))
	seen := make(map[string]bool, len(defs))
	for _, d := range defs {
		name, typ := str(d.AttributeName), string(str(d.AttributeType))
		if err := checkKeyNameLength(name); err != nil {
			return nil, err
		}
		if typ != "S" && typ != "N" && typ != "B" {
			return nil, apierr.Validation(msgAttrType)
		}
		if seen[name] {
			return nil, apierr.Validation(msgDuplicateAttr)
		}
		seen[name] = true
		out = append(out, catalog.AttributeDefinition{AttributeName: name, AttributeType: typ})
	}
	return out, nil
}

// keysDefined checks D9: every key attribute has a definition.
func keysDefined(ks []catalog.KeyElement, defs []catalog.AttributeDefinition) error {
	for _, k := range ks {
		found := false
		for _, d := range defs {
			if d.AttributeName == k.AttributeName {
				found = true
				break
			}
		}
		if !found {
			if k.KeyType == catalog.KeyTypeHash {
				return apierr.Validation(msgHashNotDefined)
			}
			return apierr.Validation(msgRangeNotDefined)
		}
	}
	return nil
}

// throughputValues checks D15 and D16 on a requested ProvisionedThroughput.
func throughputValues(pt *protocol.ProvisionedThroughput) error {
	r, w := pt.ReadCapacityUnits, pt.WriteCapacityUnits
	if r == nil || w == nil || *r < 1 || *w < 1 {
		return apierr.Validation(msgThroughputTooLow)
	}
	if *r > maxTableThroughput || *w > maxTableThroughput {
		return apierr.Validation(msgThroughputTooHigh)
	}
	return nil
}

// streamSpec checks D33 and D34 and returns the stream to store (nil when
// disabled).
func streamSpec(s *protocol.StreamSpecification) (*catalog.Stream, error) {
	enabled := s.StreamEnabled != nil && *s.StreamEnabled
	vt := string(str(s.StreamViewType))
	switch {
	case enabled && vt == "":
		return nil, apierr.Validation(msgStreamNoViewType)
	case !enabled && vt != "":
		return nil, apierr.Validation(msgStreamViewTypeOff)
	case !enabled:
		return nil, nil
	}
	return &catalog.Stream{ViewType: vt}, nil
}

// sseSpec converts an SSESpecification into what the catalog stores (nil
// when SSE with the AWS-owned key, the default, is requested).
func sseSpec(s *protocol.SSESpecification) *catalog.SSE {
	if s == nil || s.Enabled == nil || !*s.Enabled {
		return nil
	}
	return &catalog.SSE{Enabled: true, SSEType: string(str(s.SSEType)), KMSMasterKeyArn: str(s.KMSMasterKeyId)}
}
