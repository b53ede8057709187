"""Mend's benchmarks. Run with `make bench`; figures are ratios against a baseline
measured in the same process, because absolute times on shared machines are noise."""
