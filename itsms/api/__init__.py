"""REST API of the core (``/api/v1/``)."""
