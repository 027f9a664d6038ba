"""Certification project, certificates and their cycle, reminders (built by a later issue)."""
