"""The store: validated records written to SQLite or PostgreSQL in one transaction, and read back as frames.

Enters: `Record`s. Leaves: the `Facts` frames every later stage reads.
"""
