package items

import (
	"context"

	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/expr"
	"github.com/petreldb/petrel/internal/protocol"
)

// What PutItem, UpdateItem and DeleteItem share once prepared: run the one
// write, then answer with its consumed capacity, item collection metrics
// and the ReturnValues attributes.

// writeOutput holds the output members the three single-item writes share.
type writeOutput struct {
	attributes attr.Item
	capacity   *protocol.ConsumedCapacity
	metrics    *protocol.ItemCollectionMetrics
}

// writeItem runs w and assembles its output: capacity per
// ReturnConsumedCapacity mode (the larger of the old and new item sizes,
// behaviours.md §6), item collection metrics per
// ReturnItemCollectionMetrics mode ricm, and the attributes that rv
// (validated by returnValues) asks for. upd is UpdateItem's update, whose
// projection selects the UPDATED_OLD and UPDATED_NEW attributes; nil for
// PutItem and DeleteItem, which allow only NONE and ALL_OLD.
func (s *Service) writeItem(ctx context.Context, w *writeReq, rv string, upd *expr.Update, rcc, ricm *string) (writeOutput, error) {
	res, err := s.write(ctx, w)
	if err != nil {
		return writeOutput{}, err
	}
	out := writeOutput{
		capacity: writeCapacity(rcc, w.table, res.old, res.new, writeUnits(max(res.oldSize, res.newSize))),
	}
	if out.metrics, err = s.itemCollectionMetrics(ricm, w.table, w.key); err != nil {
		return writeOutput{}, err
	}
	switch rv {
	case rvAllOld:
		out.attributes = res.old
	case rvAllNew:
		out.attributes = res.new
	case rvUpdatedOld:
		if upd != nil {
			out.attributes = upd.Projection().Apply(res.old)
		}
	case rvUpdatedNew:
		if upd != nil {
			out.attributes = upd.Projection().Apply(res.new)
		}
	}
	return out, nil
}
