"""In-app notifications: written by ``services.notify``, read on their page and in the API."""
