"""Load and micro benchmarks (see bench/README.md). A package only so that the bench-only
Django settings (`bench.settings`) can add the ceiling reference view and its table."""
