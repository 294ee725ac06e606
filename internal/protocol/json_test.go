package protocol

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/petreldb/petrel/internal/attr"
)

func TestPutItemInputJSONRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		body string
	}{
		{"a simple S attribute survives", `{"TableName":"tbl","Item":{"pk":{"S":"a"}},"ReturnValues":"ALL_OLD"}`},
		{"condition members survive", `{"TableName":"tbl","Item":{"pk":{"S":"a"}},"ConditionExpression":"#n = :v",` +
			`"ExpressionAttributeNames":{"#n":"x"},"ExpressionAttributeValues":{":v":{"S":"b"}}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var in PutItemInput
			if err := json.Unmarshal([]byte(tt.body), &in); err != nil {
				t.Fatalf("Unmarshal: %v", err)
			}
			if got := in.Item["pk"]; got.Type != attr.S || got.Str != "a" {
				t.Fatalf("Item[pk] = %+v, want S a", got)
			}
			out, err := json.Marshal(&in)
			if err != nil {
				t.Fatalf("Marshal: %v", err)
			}
			var want, got any
			_ = json.Unmarshal([]byte(tt.body), &want)
			_ = json.Unmarshal(out, &got)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("round trip = %s\nwant        %s", out, tt.body)
			}
		})
	}
}

func TestAbsentMembersAreNil(t *testing.T) {
	var in ScanInput
	if err := json.Unmarshal([]byte(`{"TableName":"t","Limit":0}`), &in); err != nil {
		t.Fatal(err)
	}
	if in.Limit == nil || *in.Limit != 0 {
		t.Errorf("Limit = %v, want pointer to 0", in.Limit)
	}
	if in.Segment != nil || in.ConsistentRead != nil || in.ExclusiveStartKey != nil {
		t.Errorf("absent members are not nil: %+v", in)
	}
}
