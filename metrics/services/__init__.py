"""Writes to metrics: imports, later the computation of snapshots."""
