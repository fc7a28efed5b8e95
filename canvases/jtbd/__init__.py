"""The JTBD canvases' own parts: the forces balance, the filter table, prioritization."""
