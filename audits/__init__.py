"""Audit programme, audits, findings and corrective actions (built by a later issue)."""
