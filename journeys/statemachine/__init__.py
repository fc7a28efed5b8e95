"""Job state machines (../shared/DOMAIN.md §4): checks, writes, drawing, reads and the demo."""
