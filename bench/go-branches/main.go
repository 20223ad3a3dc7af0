// Command go-branches is the branch service of `make bench-dtm` (bench/dtm-bench.ts): a gRPC
// server on 127.0.0.1 that answers every method of every service at once with an empty message,
// whatever the request bytes. Concord's branch calls (opaque payload bytes) and dtm's (its
// serialized BinPayloads) both reach it, so both coordinators call the same Go server.
//
//	go-branches -port 0
//
// When ready it prints `go-branches listening on 127.0.0.1:PORT`; on SIGTERM or SIGINT it prints
// `go-branches calls=N` (the calls it answered) and exits.
package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"

	"google.golang.org/grpc"
	"google.golang.org/grpc/encoding"
)

// rawCodec passes message bytes through untouched: requests are read as raw bytes (never
// parsed), answers are written as given. Named "proto" so every caller's content-type fits.
type rawCodec struct{}

func (rawCodec) Marshal(v any) ([]byte, error) {
	if b, ok := v.(*[]byte); ok {
		return *b, nil
	}
	return nil, fmt.Errorf("rawCodec: cannot marshal %T", v)
}

func (rawCodec) Unmarshal(data []byte, v any) error {
	if b, ok := v.(*[]byte); ok {
		*b = data
		return nil
	}
	return fmt.Errorf("rawCodec: cannot unmarshal into %T", v)
}

func (rawCodec) Name() string { return "proto" }

var _ encoding.Codec = rawCodec{}

func main() {
	port := flag.Int("port", 0, "TCP port on 127.0.0.1 (0: a free one)")
	flag.Parse()

	lis, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", *port))
	if err != nil {
		fmt.Fprintf(os.Stderr, "go-branches: %v\n", err)
		os.Exit(1)
	}
	var calls atomic.Int64
	empty := []byte{}
	// Every method, unary or not: read one request, answer one empty message.
	answer := func(_ any, stream grpc.ServerStream) error {
		var in []byte
		if err := stream.RecvMsg(&in); err != nil {
			return err
		}
		calls.Add(1)
		return stream.SendMsg(&empty)
	}
	server := grpc.NewServer(grpc.ForceServerCodec(rawCodec{}), grpc.UnknownServiceHandler(answer))

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-stop
		server.Stop()
	}()

	fmt.Printf("go-branches listening on %s\n", lis.Addr())
	if err := server.Serve(lis); err != nil {
		fmt.Fprintf(os.Stderr, "go-branches: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("go-branches calls=%d\n", calls.Load())
}
