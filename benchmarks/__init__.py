"""Benchmarks: scripts that measure the project on its production stack (see README.md)."""
