"""Errors the use cases raise; the web edge turns them into answers."""


class NotFound(Exception):
    """The record does not exist, or the person asking may not know that it does."""


class Invalid(ValueError):
    """Input that cannot be used; the message is written for the person who sent it."""
