"""The Segment-compatible event API: what `segment-analytics-python` sends, stored as
interaction events and customer traits. See README.md, "Event API"."""
