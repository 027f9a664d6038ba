"""Clause-8 service management processes and the service portfolio (built by a later issue)."""
