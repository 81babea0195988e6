"""Translation: language detection, providers, the translation cache, and language-learning aids."""
