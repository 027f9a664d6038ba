"""Pages of the processes app; every organisation page goes through ``OrganizationMixin``."""
