"""Clause-8 service management processes and the service portfolio. Builds on the core
(``itsms``) only; audits and certification build on it."""
