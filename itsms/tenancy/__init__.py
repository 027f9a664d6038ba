"""Tenancy: organisations, memberships and roles, invitations, the organisation switcher."""
