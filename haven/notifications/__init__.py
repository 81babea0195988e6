"""Notifications: the in-app inbox, grouping and unread counts."""
