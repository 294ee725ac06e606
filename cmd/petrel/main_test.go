package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/petreldb/petrel/internal/server/servertest"
)

// binary is the petrel binary built once by TestMain for the process tests.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "petrel-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "petrel")
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

var buildOnce sync.Once

// build compiles the binary the first time a test needs it.
func build(t *testing.T) string {
	t.Helper()
	var err error
	var out []byte
	buildOnce.Do(func() {
		out, err = exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
	})
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	if _, err := os.Stat(binary); err != nil {
		t.Fatalf("binary missing (an earlier build failed): %v", err)
	}
	return binary
}

// proc is a running petrel process.
type proc struct {
	cmd    *exec.Cmd
	url    string
	stderr *servertest.LogBuffer
	done   chan error
}

// freePort asks the kernel for a port that is free right now.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// startPetrel runs the binary with args plus --port and waits until GET /
// answers; it returns the process and the time from exec to first answer.
func startPetrel(t *testing.T, args ...string) (*proc, time.Duration) {
	t.Helper()
	bin := build(t)
	port := freePort(t)
	cmd := exec.Command(bin, append(args, "--port", strconv.Itoa(port))...)
	p := &proc{cmd: cmd, url: "http://127.0.0.1:" + strconv.Itoa(port), stderr: &servertest.LogBuffer{}, done: make(chan error, 1)}
	cmd.Stderr = p.stderr
	cmd.Env = append(os.Environ(), "PETREL_LOG_LEVEL=info")
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- cmd.Wait() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			<-p.done
		}
	})
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := client.Get(p.url + "/")
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || !strings.HasPrefix(string(body), "healthy: ") {
				t.Fatalf("GET / = %d %q", resp.StatusCode, body)
			}
			return p, time.Since(start)
		}
		select {
		case err := <-p.done:
			p.done <- err
			t.Fatalf("petrel exited before answering: %v\n%s", err, p.stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("petrel did not answer within 20s:\n%s", p.stderr.String())
		}
		time.Sleep(time.Millisecond)
	}
}

// wait waits for the process to exit and returns its exit code.
func (p *proc) wait(t *testing.T) int {
	t.Helper()
	select {
	case err := <-p.done:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0
	case <-time.After(30 * time.Second):
		t.Fatalf("petrel did not exit within 30s:\n%s", p.stderr.String())
		return -1
	}
}

func TestBinaryStartsAndStopsCleanly(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run("it serves and exits 0 on "+sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			p, took := startPetrel(t, "--data-dir", dir)
			t.Logf("start to first answer: %v", took)
			resp, err := http.Get(p.url + "/")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if err := p.cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			if code := p.wait(t); code != 0 {
				t.Fatalf("exit code %d\n%s", code, p.stderr.String())
			}
			log := p.stderr.String()
			for _, want := range []string{"petrel listening", "address=127.0.0.1:", "engine=pebble", "data_dir=" + dir, "version=" + version,
				`namespaces="per account and region`, `auth="none (development`, "petrel stopped"} {
				if !strings.Contains(log, want) {
					t.Errorf("log lacks %q:\n%s", want, log)
				}
			}
		})
	}
	t.Run("in memory it says so and writes nothing", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "never")
		p, took := startPetrel(t, "-inMemory", "-dbPath", dir, "-sharedDb")
		t.Logf("start to first answer (in memory): %v", took)
		p.cmd.Process.Signal(syscall.SIGTERM)
		if code := p.wait(t); code != 0 {
			t.Fatalf("exit code %d\n%s", code, p.stderr.String())
		}
		for _, want := range []string{`engine="pebble (in-memory)"`, `namespaces="shared (-sharedDb`} {
			if !strings.Contains(p.stderr.String(), want) {
				t.Errorf("log lacks %q:\n%s", want, p.stderr.String())
			}
		}
		if _, err := os.Stat(dir); err == nil {
			t.Errorf("in-memory server created %s", dir)
		}
	})
}

func TestBinaryCommands(t *testing.T) {
	bin := build(t)
	for _, tc := range []struct {
		name string
		args []string
		code int
		want []string
	}{
		{name: "version prints the version", args: []string{"version"}, want: []string{"petrel " + version}},
		{name: "--help documents every flag", args: []string{"--help"}, want: []string{
			"--host", "--port", "--data-dir", "--in-memory", "--log-level",
			"--shared-db", "--auth", "--credentials", "--cors", "--tls-cert", "--tls-key",
			"PETREL_HOST", "PETREL_PORT", "PETREL_DATA_DIR", "PETREL_IN_MEMORY", "PETREL_LOG_LEVEL",
			"PETREL_SHARED_DB", "PETREL_AUTH", "PETREL_CREDENTIALS", "PETREL_CORS", "PETREL_TLS_CERT", "PETREL_TLS_KEY",
			"--delay-transient-statuses", "PETREL_DELAY_TRANSIENT_STATUSES",
			"-inMemory", "-dbPath", "-sharedDb", "-cors", "-delayTransientStatuses", "-optimizeDbBeforeStartup", "-disableTelemetry", "-help"}},
		{name: "a bad flag exits 2", args: []string{"--nope"}, code: 2, want: []string{"flag provided but not defined"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := exec.Command(bin, tc.args...).CombinedOutput()
			code := 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tc.code {
				t.Errorf("exit code %d, want %d\n%s", code, tc.code, out)
			}
			for _, w := range tc.want {
				if !strings.Contains(string(out), w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

// TestRestartKeepsAcknowledgedItems writes items while the server runs,
// SIGKILLs it mid-stream, restarts it on the same data dir and checks that
// every acknowledged write survived.
func TestRestartKeepsAcknowledgedItems(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	p, _ := startPetrel(t, "--data-dir", dir)
	db := servertest.NewClient(p.url)
	table := aws.String("restart")
	if _, err := db.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            table,
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
		BillingMode:          types.BillingModePayPerRequest,
	}); err != nil {
		t.Fatalf("CreateTable: %v", err)
	}
	waitActive(t, db, table)

	put := func(i int) error {
		_, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: table, Item: map[string]types.AttributeValue{
			"pk":  &types.AttributeValueMemberS{Value: fmt.Sprintf("item-%05d", i)},
			"n":   &types.AttributeValueMemberN{Value: strconv.Itoa(i)},
			"pad": &types.AttributeValueMemberS{Value: strings.Repeat("x", 100)},
		}})
		return err
	}
	if err := put(0); err != nil {
		var ae smithy.APIError
		if errors.As(err, &ae) && ae.ErrorCode() == "UnknownOperationException" {
			t.Skip("PutItem is not wired yet (UnknownOperationException); the restart test runs once it is")
		}
		t.Fatalf("PutItem: %v", err)
	}

	// Two writers run until the kill; each remembers what was acknowledged.
	const writers = 2
	var mu sync.Mutex
	acked := []int{0}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	next := make(chan int)
	go func() {
		for i := 1; ; i++ {
			select {
			case next <- i:
			case <-stop:
				close(next)
				return
			}
		}
	}()
	for range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if put(i) != nil {
					return // the server is gone
				}
				mu.Lock()
				acked = append(acked, i)
				mu.Unlock()
			}
		}()
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d puts acknowledged in 20s", n)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	p.wait(t)
	close(stop)
	for range next {
	}
	wg.Wait()

	p2, took := startPetrel(t, "--data-dir", dir)
	t.Logf("%d acknowledged puts before SIGKILL; restart to first answer: %v", len(acked), took)
	db2 := servertest.NewClient(p2.url)
	for _, i := range acked {
		out, err := db2.GetItem(ctx, &dynamodb.GetItemInput{TableName: table, ConsistentRead: aws.Bool(true),
			Key: map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: fmt.Sprintf("item-%05d", i)}}})
		if err != nil {
			t.Fatalf("GetItem %d: %v", i, err)
		}
		n, ok := out.Item["n"].(*types.AttributeValueMemberN)
		if !ok || n.Value != strconv.Itoa(i) {
			t.Errorf("acknowledged item %d after restart: %v", i, out.Item)
		}
	}
	p2.cmd.Process.Signal(syscall.SIGTERM)
	if code := p2.wait(t); code != 0 {
		t.Errorf("exit code %d after restart\n%s", code, p2.stderr.String())
	}
}

// waitActive polls DescribeTable until the table is ACTIVE.
func waitActive(t *testing.T, db *dynamodb.Client, table *string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		out, err := db.DescribeTable(context.Background(), &dynamodb.DescribeTableInput{TableName: table})
		if err != nil {
			t.Fatalf("DescribeTable: %v", err)
		}
		if out.Table.TableStatus == types.TableStatusActive {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("table still %s after 20s", out.Table.TableStatus)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
