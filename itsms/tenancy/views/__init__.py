"""Pages of tenancy: organisations, members, accepting an invitation."""
