"""Onboarding: the first hour after sign-up (languages, interests, people, saying hello)."""
