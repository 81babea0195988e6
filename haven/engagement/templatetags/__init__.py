"""Template helpers of the engagement widgets (likes, saves, comments) shown on other apps' pages."""
