"""A small HTTP client: the bench's browser (session cookie) and API caller (token)."""

from __future__ import annotations

import http.client
import re
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from .middleware import HEADER

CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes
    ms: float

    @property
    def queries(self) -> int | None:
        value = self.headers.get(HEADER.lower())
        return int(value) if value is not None else None


class Client:
    """One fresh connection per request (gunicorn's sync worker closes it after each anyway);
    the time is from connecting to the last byte of the body."""

    def __init__(self, port: int, timeout: float = 300.0):
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, *, headers=None, body: bytes | None = None):
        headers = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        elapsed = (time.perf_counter() - started) * 1000
        for value in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(value).items():
                self.cookies[name] = morsel.value
        lowered = {k.lower(): v for k, v in response.getheaders()}
        return Response(response.status, lowered, data, elapsed)

    def get(self, path: str, token: str | None = None) -> Response:
        headers = {"Authorization": f"Token {token}"} if token else {}
        return self.request("GET", path, headers=headers)

    def login(self, email: str, password: str) -> None:
        """Sign in through the product's own sign-in form, as a person would."""
        page = self.get("/accounts/login/")
        match = CSRF_FIELD.search(page.body)
        if page.status != 200 or not match:
            raise RuntimeError(f"the sign-in page answered {page.status}")
        form = urlencode(
            {"username": email, "password": password, "csrfmiddlewaretoken": match.group(1)}
        ).encode()
        answer = self.request(
            "POST",
            "/accounts/login/",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            body=form,
        )
        if answer.status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"signing in answered {answer.status}, not a redirect")
