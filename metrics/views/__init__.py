"""Metrics pages: the dashboard (and its recompute, progress and PDF), the CSV imports."""
