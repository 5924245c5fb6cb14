// Package catalog is a catalogue of real applications written as specs (package
// apps/spec): SockShop, the other eight applications ECLYPSE bundles, DeathStarBench's
// hotel-reservation and social-network call graphs, and a uqSim-style fan-out. Each file
// says where its facts come from and under which licence; they are restated in our own
// words. The files are embedded: Names lists them, Spec and App read one.
package catalog
