"""Single sign-on per organisation: its identity provider (OpenID Connect or SAML 2.0), the email
domains it vouches for, who it lets in and with which role."""
