package attr

import (
	"slices"

	"github.com/petreldb/petrel/internal/apierr"
)

// Where the AttributeValue checks happen
//
// DynamoDB reports a malformed wire shape (a number where a string belongs,
// an array where a structure belongs, bad base64) as a SerializationException
// before anything else, and the value rules (empty AttributeValue, two
// datatypes, NULL false, bad numbers, empty or duplicate sets, nesting depth,
// empty attribute names) as ValidationExceptions only after the request's
// model constraints ("N validation errors detected"). Some of them also need
// context the decoder does not have: ExpressionAttributeValues wraps the text
// as "ExpressionAttributeValues contains invalid value: <msg> for key :v".
//
// So decoding (Value.UnmarshalJSON, Item.UnmarshalJSON) fails only with
// SerializationExceptions. A value that is well-formed JSON but breaks a value
// rule decodes into an invalid placeholder (Type == TypeInvalid, the message
// in Str; the zero Value stands for "Supplied AttributeValue is empty"), and
// every operation must call ValidateItem / ValidateValue on the values it
// received, after model validation and before using them. Numbers are
// canonicalized and sets sorted during decoding.

// DynamoDB's AttributeValue messages (errors.md B and F), byte for byte.
const (
	msgEmptyAV   = "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
	msgMultiAV   = "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"
	msgNullFalse = "One or more parameter values were invalid: Null attribute value types must have the value of true"
	msgEmptySS   = "One or more parameter values were invalid: An string set  may not be empty"
	msgEmptyNS   = "One or more parameter values were invalid: An number set  may not be empty"
	msgEmptyBS   = "One or more parameter values were invalid: Binary sets should not be empty"
	msgDupNS     = "Input collection contains duplicates"
	msgDupBS     = "One or more parameter values were invalid: Input collection of type BS contains duplicates."
	msgNesting   = "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit"
	msgEmptyName = "Empty attribute name"
)

// MaxNestingLevels is the number of L/M layers one attribute value may have
// (limits.md §2: 31 nested layers around a scalar are accepted, 32 are not).
const MaxNestingLevels = 31

// invalid is the placeholder for a decoded value that breaks a value rule.
func invalid(msg string) Value { return Value{Type: TypeInvalid, Str: msg} }

// ValidateValue reports the first value rule v breaks, as DynamoDB's
// ValidationException (nil if v is valid). It checks decoded placeholders,
// nesting depth and, for values built in code, empty sets.
func ValidateValue(v Value) error {
	if msg := valueMessage(v, 0); msg != "" {
		return apierr.Validation(msg)
	}
	return nil
}

// ValidateItem checks every attribute of it: names must not be empty and
// values must pass ValidateValue. When several attributes are bad the one
// with the smallest name is reported, so the answer is deterministic.
func ValidateItem(it Item) error {
	bad := false
	for k, v := range it {
		if k == "" || valueMessage(v, 0) != "" {
			bad = true
			break
		}
	}
	if !bad {
		return nil
	}
	names := make([]string, 0, len(it))
	for k := range it {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		if k == "" {
			return apierr.Validation(msgEmptyName)
		}
		if msg := valueMessage(it[k], 0); msg != "" {
			return apierr.Validation(msg)
		}
	}
	return nil
}

// valueMessage returns the message of the first rule v breaks, or "".
// depth is the number of L/M layers around v.
func valueMessage(v Value, depth int) string {
	switch v.Type {
	case TypeInvalid:
		if v.Str == "" {
			return msgEmptyAV
		}
		return v.Str
	case M:
		if depth >= MaxNestingLevels {
			return msgNesting
		}
		for _, e := range v.Map {
			if msg := valueMessage(e, depth+1); msg != "" {
				return msg
			}
		}
	case L:
		if depth >= MaxNestingLevels {
			return msgNesting
		}
		for _, e := range v.List {
			if msg := valueMessage(e, depth+1); msg != "" {
				return msg
			}
		}
	case SS:
		if len(v.Strs) == 0 {
			return msgEmptySS
		}
	case NS:
		if len(v.Strs) == 0 {
			return msgEmptyNS
		}
	case BS:
		if len(v.BytesSet) == 0 {
			return msgEmptyBS
		}
	}
	if v.Type > BS {
		return msgEmptyAV
	}
	return ""
}

// IsValid reports whether v passes ValidateValue.
func IsValid(v Value) bool { return valueMessage(v, 0) == "" }
