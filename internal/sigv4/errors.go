package sigv4

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/petreldb/petrel/internal/apierr"
)

// The refusals below carry the codes of errors.md A and the texts AWS's
// SigV4 front end sends (the same front end serves DynamoDB). Where errors.md
// gives a text for the situation (A5, A6, A7) it is used as is.

// incomplete is errors.md A6: a signature that does not have AWS's shape.
func incomplete() *apierr.Error {
	return apierr.New("IncompleteSignatureException", http.StatusBadRequest,
		"The request signature does not conform to AWS standards.")
}

// incompleteHeader lists every missing part of an Authorization header, in
// AWS's words and order, followed by the header itself.
func incompleteHeader(h string, haveCred, haveSig, haveHeaders, haveDate bool) *apierr.Error {
	var b strings.Builder
	if !haveCred {
		b.WriteString("Authorization header requires 'Credential' parameter. ")
	}
	if !haveSig {
		b.WriteString("Authorization header requires 'Signature' parameter. ")
	}
	if !haveHeaders {
		b.WriteString("Authorization header requires 'SignedHeaders' parameter. ")
	}
	if !haveDate {
		b.WriteString("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ")
	}
	b.WriteString("Authorization=")
	b.WriteString(h)
	return apierr.New("IncompleteSignatureException", http.StatusBadRequest, b.String())
}

// incompleteQuery lists the presigned-URL parameters that are missing.
func incompleteQuery(missing []string) *apierr.Error {
	var b strings.Builder
	for _, p := range missing {
		b.WriteString("AWS query-string parameters must include '")
		b.WriteString(p)
		b.WriteString("'. ")
	}
	b.WriteString("Re-examine the query-string parameters.")
	return apierr.New("IncompleteSignatureException", http.StatusBadRequest, b.String())
}

// missingEqualSign answers an Authorization component without '='. AWS
// quotes a hash of the header rather than the header.
func missingEqualSign(h string) *apierr.Error {
	sum := sha256.Sum256([]byte(h))
	return apierr.New("IncompleteSignatureException", http.StatusBadRequest,
		"Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded with Base64): '"+
			base64.StdEncoding.EncodeToString(sum[:])+"'.")
}

// mustSign answers a request whose SignedHeaders omit a header that has to
// be signed. The Host text is AWS's; Petrel applies the same rule, in the
// same words, to the request date and X-Amz-Target (an unsigned target would
// let a captured GetItem be replayed as a DeleteItem).
func mustSign(header string) *apierr.Error {
	if header == "Host" {
		return apierr.New("IncompleteSignatureException", http.StatusBadRequest,
			"'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
	}
	return apierr.New("IncompleteSignatureException", http.StatusBadRequest,
		"'"+header+"' must be a 'SignedHeader' in the AWS Authorization.")
}

// unrecognizedClient is errors.md A7: an access key Petrel does not know.
func unrecognizedClient() *apierr.Error {
	return apierr.New("UnrecognizedClientException", http.StatusBadRequest,
		"The Access Key ID or security token is invalid.")
}

// msgMismatch is AWS's text for a signature that does not verify. DynamoDB,
// unlike some services, does not append the canonical request.
const msgMismatch = "The request signature we calculated does not match the signature you provided. " +
	"Check your AWS Secret Access Key and signing method. Consult the service documentation for details."

// mismatch is InvalidSignatureException for a wrong signature.
func mismatch() *apierr.Error {
	return apierr.New("InvalidSignatureException", http.StatusBadRequest, msgMismatch)
}

// invalidSignature is InvalidSignatureException with a specific text.
func invalidSignature(msg string) *apierr.Error {
	return apierr.New("InvalidSignatureException", http.StatusBadRequest, msg)
}

// expired is AWS's answer to a request signed more than the allowed skew
// before now: "Signature expired: 20260101T000000Z is now earlier than
// 20260101T001500Z (20260101T003000Z - 15 min.)".
func expired(signed, now time.Time, skew time.Duration) *apierr.Error {
	return invalidSignature("Signature expired: " + signed.Format(TimeFormat) + " is now earlier than " +
		now.Add(-skew).Format(TimeFormat) + " (" + now.Format(TimeFormat) + " - " + minutes(skew) + ".)")
}

// notYetCurrent is AWS's answer to a request signed more than the allowed
// skew after now.
func notYetCurrent(signed, now time.Time, skew time.Duration) *apierr.Error {
	return invalidSignature("Signature not yet current: " + signed.Format(TimeFormat) + " is still later than " +
		now.Add(skew).Format(TimeFormat) + " (" + now.Format(TimeFormat) + " + " + minutes(skew) + ".)")
}

// presignExpired answers a presigned URL used after X-Amz-Expires.
func presignExpired(signed, now time.Time, expires time.Duration) *apierr.Error {
	return invalidSignature("Signature expired: " + signed.Format(TimeFormat) + " is now earlier than " +
		now.Add(-expires).Format(TimeFormat) + " (" + now.Format(TimeFormat) + " - " +
		strconv.Itoa(int(expires/time.Second)) + " sec.)")
}

// minutes renders a skew as AWS does: "15 min".
func minutes(d time.Duration) string {
	return strconv.Itoa(int(d/time.Minute)) + " min"
}
