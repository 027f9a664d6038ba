"""Certification project, certificates and their cycle, reminders. The top app: builds on
audits, processes and the core; nothing imports it."""
