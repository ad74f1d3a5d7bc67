"""Benchmarks that print tables (not tests): each figure beside a baseline measured in the same run."""
