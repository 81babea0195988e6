"""Demo content: a believable bilingual community, its pictures, and the command that seeds it."""
