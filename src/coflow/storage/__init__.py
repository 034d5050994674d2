"""Stores of the event log: the Store protocol, SQLite (default) and PostgreSQL."""
