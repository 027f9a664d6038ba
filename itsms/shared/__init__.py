"""What every domain of the core (and every app above it) builds on: the permissions checkpoint,
the organisation-scoped base page mixin and API viewset, the API error handler, history, hooks,
and the security headers middleware. Imports only ``itsms.models``."""
