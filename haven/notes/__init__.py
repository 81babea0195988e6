"""Notes: image notes, drafts, visibility, hashtags and mentions."""
