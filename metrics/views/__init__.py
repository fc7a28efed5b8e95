"""The metrics pages: the dashboard, its recompute button and progress, its PDF."""
