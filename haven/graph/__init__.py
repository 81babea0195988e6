"""Graph: follows, follow requests for private accounts, blocks and mutes."""
