"""Accounts: signing in, the account page, API tokens, sessions."""
