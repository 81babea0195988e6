"""People: former handles (TikTok, Instagram), imported contact lists, matching, and join alerts."""
