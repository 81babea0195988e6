"""Accounts: members, sign-up and login, sessions, API tokens, profiles and preferences."""
