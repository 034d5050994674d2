"""Notifications: [[notify]] entries in coflow.toml, the built-in notifiers and the outbox.

Every notification goes through the store's outbox, written in the same transaction as the
event, so a change is never lost for want of a message and a failing notifier never undoes
a change. See docs/notifications.md.
"""
