"""CSV files of customers, surveys, purchases, events and mentions: reading and checking rows."""
