"""Storage: what the bot keeps about conversations, in SQLite or PostgreSQL (see tables.py)."""
