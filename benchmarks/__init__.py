"""Benchmarks, run by `make bench`. Each prints its figures as ratios against a baseline measured in the same run,
so that results compare across machines; none is a pass/fail test."""
