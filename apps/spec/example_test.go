package spec_test

import (
	"fmt"

	"github.com/edgesim/edgesim/apps/spec"
	"github.com/edgesim/edgesim/engine"
	"github.com/edgesim/edgesim/network"
	"github.com/edgesim/edgesim/scenario"
)

const shop = `
name: Shop
services:
  - name: Front
    requirements: {cpu: 1, processing_time_ms: 5}
    endpoints:
      - name: buy
        steps:
          - parallel:
              - {to: Stock/check, request: {body: {item: 42}}}
              - {to: Pay/charge, request: {size: 120}}
  - name: Stock
    requirements: {cpu: 1, processing_time_ms: 2}
    endpoints: [{name: check, response: {body: {in_stock: true}}}]
  - name: Pay
    requirements: {cpu: 1, processing_time_ms: 8}
    endpoints:
      - name: charge
        steps: [{forward: {to: Bank/debit, request: {size: 80}}}]
  - name: Bank
    requirements: {cpu: 1, processing_time_ms: 3}
    endpoints: [{name: debit, response: {size: 64}}]
entry: {service: Front, mix: [{endpoint: buy, p: 1}]}
`

// Parse reads a spec; the application graph lists the interactions the calls make, in
// order (Pay forwards to Bank, so in MPI Bank answers Front directly; in REST Bank answers
// Pay, which relays the answer).
func ExampleParse() {
	s, err := spec.Parse("shop.yaml", []byte(shop))
	if err != nil {
		fmt.Println(err)
		return
	}
	a, err := spec.New(s)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, in := range a.Application().Interactions {
		fmt.Printf("%s -> %s\n", in.From, in.To)
	}
	for _, v := range scenario.Variants {
		n, _ := a.MessagesPerRequest(v)
		fmt.Printf("%s: %v messages per request\n", v, n)
	}
	// Output:
	// Front -> Stock
	// Stock -> Front
	// Front -> Pay
	// Pay -> Front
	// Bank -> Front
	// Pay -> Bank
	// Bank -> Pay
	// mpi: 5 messages per request
	// rest: 6 messages per request
}

// A spec runs through scenario.Run like any application. Here every service is on its own
// node, 10 ms from the Front's (so Pay and Bank are 20 ms apart); the workflow waits for the
// slower branch of its fan-out, through Pay to Bank: in MPI Front -> Pay -> Bank -> Front,
// 10 + 20 + 10 = 40 ms; in REST the answer goes back through Pay, 60 ms. In one second of
// virtual time: 24 and 16 workflows (the next would end at exactly 1 s, outside the run).
func ExampleNew() {
	s, err := spec.Parse("shop.yaml", []byte(shop))
	if err != nil {
		fmt.Println(err)
		return
	}
	a, err := spec.New(s)
	if err != nil {
		fmt.Println(err)
		return
	}
	g := network.NewGraph()
	for _, n := range []string{"f", "s", "p", "b"} {
		_ = g.AddNode(n, network.NodeAssets{CPU: 4, RAM: 4, Storage: 4, Availability: 1})
	}
	for _, n := range []string{"s", "p", "b"} {
		_ = g.AddSymmetricLink("f", n, network.LinkAssets{LatencyMS: 10, BandwidthMbps: 100})
	}
	for _, v := range scenario.Variants {
		res, err := scenario.Run(scenario.Config{Variant: v, Seed: 1, Steps: 1, StepLength: engine.Second,
			Infra: g, Strategy: "static", Static: map[string]string{"Front": "f", "Stock": "s", "Pay": "p", "Bank": "b"},
			Model: "latency", Timeout: engine.Second}, a)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s: %d workflows of %v ms\n", v, res.Workflows, res.Latency.Mean)
	}
	// Output:
	// mpi: 24 workflows of 40 ms
	// rest: 16 workflows of 60 ms
}
