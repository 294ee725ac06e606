package items

import (
	"github.com/petreldb/petrel/internal/expr"
	"github.com/petreldb/petrel/internal/protocol"
)

// prepareCondition returns the write's condition: the parsed
// ConditionExpression, or the legacy Expected (combined with
// ConditionalOperator) converted to the same form, or nil for none. The
// caller has already rejected mixing the two kinds (params.check).
func (s *Service) prepareCondition(ce *string, expected map[string]protocol.ExpectedAttributeValue, condOp *string, ph *expr.Placeholders) (*expr.Condition, error) {
	if ce != nil {
		return s.exprs.ParseCondition(*ce, ph)
	}
	if len(expected) > 0 {
		return legacyCondition(expected, condOp)
	}
	return nil, nil
}
