"""Recommendations: interaction events, trained models and the candidate sources of Discover."""
