"""Maple's edges: Telegram handlers, the SQLite store, configuration, entry points."""
