"""Engagement: likes, comments and replies, saves into collections."""
