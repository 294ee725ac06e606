// Package streams owns the wire structs and model-constraint validation of
// the DynamoDB Streams API (DescribeStream, GetRecords, GetShardIterator,
// ListStreams), GENERATED from the Streams service model by
// internal/protocol/gen with the same mapping and rules as package protocol
// (AttributeValue is attr.Value, map<string, AttributeValue> is attr.Item,
// TableName also accepts a table ARN).
package streams
