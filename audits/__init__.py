"""Audit programme, audits, findings and corrective actions. Builds on processes and the core;
certification builds on it."""
