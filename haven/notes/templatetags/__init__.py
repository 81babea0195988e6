"""Template helpers of the notes pages."""
