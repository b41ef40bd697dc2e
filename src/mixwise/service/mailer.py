"""Outgoing mail (password resets, invitations) behind one small interface.

The default :class:`LogMailer` writes the message to the ``mixwise.mail`` log, which is enough
for a single operator (who reads the log and passes the link on). A real mail service is a class
with the same ``send`` method, set with :func:`set_mailer` at start-up.
"""

from __future__ import annotations

import logging
from typing import Protocol

log = logging.getLogger("mixwise.mail")


class Mailer(Protocol):
    def send(self, to: str, subject: str, body: str) -> None: ...


class LogMailer:
    """Writes each message to the log instead of sending it."""

    def send(self, to: str, subject: str, body: str) -> None:
        log.info("mail to %s: %s\n%s", to, subject, body)


_mailer: Mailer = LogMailer()


def set_mailer(mailer: Mailer) -> None:
    """Use ``mailer`` for every message from now on."""
    global _mailer
    _mailer = mailer


def mailer() -> Mailer:
    return _mailer
