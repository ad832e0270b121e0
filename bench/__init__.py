"""Benchmarks of the service, each printed as a ratio against a baseline measured in the same run.

Run with `make bench` (or `.venv/bin/python -m bench [scenario ...]`); see bench/README.md.
Benchmarks are never run as tests.
"""
