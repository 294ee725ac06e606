// Package protocol owns the wire structs of every DynamoDB operation
// (<Op>Input / <Op>Output and the nested shapes, named as in the AWS service
// model) and their model-constraint validation (Validate), both GENERATED
// from the AWS service model by ./gen. The Streams API lives in the
// subpackage streams, whose shape names collide with these.
//
// Mapping (awsJson 1.0): structures are structs with one field per member
// (json:"Member,omitempty"); optional scalars are pointers so that absent can
// be told from zero (*string, *int32 integer, *int64 long, *bool, *float64
// double and timestamp in epoch seconds); blobs are []byte; lists []T; maps
// map[string]T; nested structures *Shape (Shape values inside lists and
// maps); the AttributeValue union is attr.Value and every
// map<string, AttributeValue> is attr.Item. Enums are *string; their values
// are the <Enum><Value> constants.
//
// Validate implements DynamoDB's "N validation error(s) detected" checks of
// the model's required/length/range/pattern/enum constraints, with these
// deliberate departures from the 2022 model, which predates them:
//   - TableName-typed members (and BatchGetItem/BatchWriteItem map keys)
//     accept a table ARN: values starting with "arn:" are only checked for
//     the 1024-character maximum; everything else keeps 3-255 characters of
//     [a-zA-Z0-9_.-]+. The operation resolves the ARN.
//   - KeySchema's max of 2 is not applied (multi-attribute GSI keys allow up
//     to 4 HASH + 4 RANGE elements); the tables package checks the real
//     limits.
//
// JSON (json_gen.go, also generated): every structure reachable from an
// output has AppendJSON, writing exactly the bytes encoding/json writes
// (httpapi's form, HTML escaping off); every input has DecodeJSON, a
// single-pass reflection-free decoder that yields exactly what
// encoding/json's Unmarshal yields or declines, so that httpapi falls back to
// encoding/json for errors and rare constructs (see internal/jsonwire).
// AttributeValues go through attr's own codec in both directions, as with
// their MarshalJSON/UnmarshalJSON.
//
// Semantic checks (e.g. Scan's Segment < TotalSegments) belong to the
// operations, not here. This package must not import anything above attr
// and apierr.
package protocol

//go:generate go run ./gen -model ../../../shared/aws-models/dynamodb-2012-08-10.service.json -overlay gen/overlay-dynamodb.json -pkg protocol -ops DynamoDBOperations -out .
//go:generate go run ./gen -model ../../../shared/aws-models/dynamodbstreams-2012-08-10.service.json -pkg streams -ops Operations -out streams
