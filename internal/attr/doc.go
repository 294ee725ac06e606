// Package attr owns DynamoDB attribute values: the Value model, exact 38-digit
// decimal numbers (cockroachdb/apd), sets, DynamoDB's size rules, the
// DynamoDB-JSON codec with its validation errors, the binary item codec used
// in storage, and the order-preserving key encoding used for item keys.
//
// It knows nothing about tables, expressions or storage; it may import only
// apierr and the leaf jsontext (JSON string escaping and unescaping, shared
// with the protocol codecs).
package attr
