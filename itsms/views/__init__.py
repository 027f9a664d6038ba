"""Pages of the core. Organisation pages inherit ``base.OrganizationMixin``."""
