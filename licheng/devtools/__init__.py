"""Demo data and benchmarks. Nothing production imports from here."""
