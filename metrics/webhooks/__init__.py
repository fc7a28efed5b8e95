"""Outgoing webhooks without the ORM: signatures (signing.py), when to try again
(retries.py) and the HTTP POST that refuses internal addresses (transport.py)."""
