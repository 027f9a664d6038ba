"""The gap assessment and readiness: the assessed clause tree, my work, the dashboard, the
portfolio, the readiness report and its daily snapshots."""
