"""A readable console for the embedded mode: emails as a person reads them, and client errors
(403, 404) as one line instead of a traceback each."""

from __future__ import annotations

import logging

from django.core.mail.backends.console import EmailBackend as DjangoConsoleBackend


class ReadableConsoleBackend(DjangoConsoleBackend):
    """Prints each email decoded (Django's console backend prints the MIME source, where a
    Chinese subject reads ``=?utf-8?b?…?=``): who it is to, the subject, the text."""

    def write_message(self, message):
        rule = "─" * 72
        lines = [
            "── Email " + "─" * 63,
            f"To: {', '.join(message.recipients())}",
            f"From: {message.from_email}",
            f"Subject: {message.subject}",
            "",
            message.body.rstrip(),
            rule,
            "",
        ]
        self.stream.write("\n".join(lines) + "\n")


class ClientErrorsWithoutTraceback(logging.Filter):
    """A 4xx answer is logged (``Forbidden (Permission denied): /o/…``) but without the
    traceback Django attaches to it: it is the product working, not a failure."""

    def filter(self, record):
        status = getattr(record, "status_code", None)
        if status is not None and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
