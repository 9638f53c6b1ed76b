"""Sign-in throttle: too many wrong passwords for one e-mail, or from one client address,
and sign-in answers 429 for a while, known e-mail or not.

Counters live in the `limits` library's storage (Flask-Limiter's backend): in memory by
default, in Redis when REDIS_URL is set, so several app servers share them.
"""

from __future__ import annotations

import logging
import math
import time
from datetime import timedelta

from flask import current_app
from flask_babel import format_timedelta, gettext
from limits import RateLimitItemPerMinute
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

log = logging.getLogger(__name__)

EXTENSION = "storefront.login_throttle"


class LoginThrottle:
    def __init__(self, storage_uri: str, per_email: int, per_client: int, minutes: int):
        self.storage = storage_from_string(storage_uri)
        self.limiter = MovingWindowRateLimiter(self.storage)
        self.per_email = RateLimitItemPerMinute(per_email, minutes)
        self.per_client = RateLimitItemPerMinute(per_client, minutes)

    def _counters(self, email: str, client: str | None):
        # at most an e-mail's length: a megabyte "e-mail" is not a megabyte key
        yield self.per_email, ("login-email", (email or "").strip().lower()[:254])
        yield self.per_client, ("login-client", (client or "unknown")[:64])

    def wait(self, email: str, client: str | None) -> int:
        """Seconds before this e-mail may be tried again from this client; 0: now."""
        longest = 0
        for item, keys in self._counters(email, client):
            if not self.limiter.test(item, *keys):
                reset_at, _ = self.limiter.get_window_stats(item, *keys)
                longest = max(longest, math.ceil(reset_at - time.time()), 1)
        if longest:  # who is guessing, not which account: no e-mail address in the log
            log.warning("sign-in refused for %s s: too many wrong passwords from %s", longest,
                        client or "unknown")  # fmt: skip
        return longest

    def failed(self, email: str, client: str | None) -> None:
        for item, keys in self._counters(email, client):
            self.limiter.hit(item, *keys)

    def succeeded(self, email: str) -> None:
        """The account's own count starts afresh; the client's stays."""
        item, keys = next(self._counters(email, None))
        self.limiter.clear(item, *keys)

    def reset(self) -> None:
        self.storage.reset()


def too_many_tries(wait: int) -> str:
    """What the sign-in page says while it answers 429, in the visitor's language."""
    return gettext(
        "Too many wrong passwords. Try again in %(wait)s.",
        wait=format_timedelta(timedelta(seconds=wait), threshold=1),
    )


def init_throttle(app, settings) -> None:
    app.extensions[EXTENSION] = LoginThrottle(
        settings.get("REDIS_URL") or "memory://",
        settings["LOGIN_FAILURES_PER_EMAIL"],
        settings["LOGIN_FAILURES_PER_CLIENT"],
        settings["LOGIN_FAILURE_MINUTES"],
    )


def login_throttle() -> LoginThrottle:
    return current_app.extensions[EXTENSION]
