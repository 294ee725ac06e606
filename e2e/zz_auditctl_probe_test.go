package e2e

import (
	"testing"

	"github.com/petreldb/petrel/internal/server/servertest"
)

func TestZZAuditCtlProbe(t *testing.T) {
	srv := servertest.Start(t)
	for _, r := range [][2]string{
		{"CreateTable", `{"TableName":"probe",` + auditDefs3 + `,` + auditKey2 + `,"BillingMode":"PAY_PER_REQUEST","LocalSecondaryIndexes":[` + auditLSI("lsi", "x", `{"ProjectionType":"KEYS_ONLY"}`) + `],"GlobalSecondaryIndexes":[` + auditGSI("gsi", `{"ProjectionType":"INCLUDE","NonKeyAttributes":["a"]}`) + `],"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"KEYS_ONLY"}}`},
		{"DescribeTable", `{"TableName":"probe"}`},
		{"CreateTable", `{"TableName":"prov",` + auditDefsPK + `,` + auditKeyPK + `,"ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":6}}`},
		{"DescribeTable", `{"TableName":"prov"}`},
		{"UpdateTable", `{"TableName":"prov","StreamSpecification":{"StreamEnabled":true,"StreamViewType":"KEYS_ONLY"}}`},
		{"UpdateTable", `{"TableName":"prov","StreamSpecification":{"StreamEnabled":false}}`},
		{"DescribeTable", `{"TableName":"prov"}`},
		{"DeleteTable", `{"TableName":"prov"}`},
		{"ListTables", `{}`},
		{"DescribeTimeToLive", `{"TableName":"probe"}`},
		{"UpdateTimeToLive", `{"TableName":"probe","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"exp"}}`},
		{"DescribeTimeToLive", `{"TableName":"probe"}`},
		{"UpdateTimeToLive", `{"TableName":"probe","TimeToLiveSpecification":{"AttributeName":"exp"}}`},
		{"UpdateTimeToLive", `{"TableName":"probe"}`},
		{"UpdateTimeToLive", `{"TableName":"probe","TimeToLiveSpecification":{"Enabled":false,"AttributeName":"exp"}}`},
		{"UpdateTimeToLive", `{"TableName":"probe","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"` + string(make([]byte, 0)) + `aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}}`},
		{"UpdateTimeToLive", `{"TableName":"nope","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"exp"}}`},
		{"CreateTable", `not json`},
		{"CreateTable", ``},
		{"CreateTable", `[]`},
		{"CreateTable", `{"TableName":"probe2",` + auditDefsPK + `,` + auditKeyPK + `,"BillingMode":"PAY_PER_REQUEST","ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":6}}`},
		{"CreateTable", `{"TableName":"probe2",` + auditDefsPK + `,` + auditKeyPK + `,"BillingMode":"FOO"}`},
		{"CreateTable", `{"TableName":"probe2",` + auditDefsPK + `,"KeySchema":[{"AttributeName":"pk","KeyType":"FOO"}],"BillingMode":"PAY_PER_REQUEST"}`},
		{"CreateTable", `{"TableName":"probe2",` + auditDefsPK + `,` + auditKeyPK + `,"BillingMode":"PAY_PER_REQUEST","StreamSpecification":{"StreamEnabled":true,"StreamViewType":"FOO"}}`},
		{"CreateTable", `{"TableName":"probe2",` + auditDefsPK + `,` + auditKeyPK + `,"BillingMode":"PAY_PER_REQUEST","StreamSpecification":{"StreamViewType":"KEYS_ONLY"}}`},
		{"CreateTable", `{"TableName":"probe2",` + auditDefsPK + `,` + auditKeyPK + `,"BillingMode":"PROVISIONED"}`},
		{"CreateTable", `{"TableName":"probe2",` + auditDefsPK + `,` + auditKeyPK + `,"ProvisionedThroughput":{"ReadCapacityUnits":5}}`},
		{"DescribeTable", `{"TableName":"arn:aws:dynamodb:us-east-1:000000000000:table/nope"}`},
		{"DescribeTable", `{"TableName":"Probe"}`},
		{"ListTables", `{"Limit":"5"}`},
		{"ListTables", `{"Limit":5.5}`},
		{"ListTables", `{"ExclusiveStartTableName":"ab"}`},
		{"PutItem", `{"TableName":"probe","Item":{"pk":{"S":"a"},"sk":{"S":"b"},"v":{"BOOL":"true"}}}`},
		{"PutItem", `{"TableName":"probe","Item":{"pk":{"S":"a"},"sk":{"S":"b"},"v":{"B":"!!!"}}}`},
		{"PutItem", `{"TableName":"probe","Item":{"pk":{"S":"a"},"sk":{"S":"b"},"v":{"L":{}}}}`},
		{"PutItem", `{"TableName":"probe","Item":{"pk":{"S":"a"},"sk":{"S":"b"},"v":{"M":[]}}}`},
		{"PutItem", `{"TableName":"probe","Item":{"pk":{"S":"a"},"sk":{"S":"b"},"v":"str"}}`},
		{"PutItem", `{"TableName":"probe","Item":[]}`},
		{"PutItem", `{"TableName":"probe","Item":{"pk":{"S":"a"},"sk":{"S":"b"},"v":{"NULL":true,"S":"x"}}}`},
		{"PutItem", `{"TableName":"probe","Item":{"pk":{"S":"a"},"sk":{"S":"b"},"v":{"SS":[]}}}`},
		{"PutItem", `{"TableName":"probe","Item":{"pk":{"S":"a"},"sk":{"S":"b"},"v":{"N":"abc"}}}`},
		{"PutItem", `{"TableName":"probe","Item":{"pk":{"S":"a"},"sk":{"S":"b"},"v":{"NULL":"true"}}}`},
		{"DeleteTable", `{"TableName":"probe"}`},
	} {
		st, b := srv.Do(t, r[0], r[1])
		t.Logf("%s %.80s\n  -> %d %s", r[0], r[1], st, b)
	}
}
