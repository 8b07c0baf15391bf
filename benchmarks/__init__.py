"""Benchmarks at archive scale: a synthetic corpus, our build and search, and the peers beside them."""
