"""Crisis lines by locale. Shown on every client page, rendered by the server so they
work without JavaScript. Numbers are configuration, checked against
shared/reference/INSTRUMENTS.md ("Crisis resources"); re-verify them at release time.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CrisisLine:
    name: str
    how: str  # what to do, in plain words
    href: str  # tel: or sms: link so a phone can act on it in one tap
    link_text: str


@dataclass(frozen=True)
class CrisisResources:
    locale: str
    country: str
    lines: tuple[CrisisLine, ...]
    emergency_number: str

    @property
    def emergency_href(self) -> str:
        return f"tel:{self.emergency_number}"


RESOURCES: dict[str, CrisisResources] = {
    "US": CrisisResources(
        locale="US",
        country="United States",
        lines=(
            CrisisLine(
                "988 Suicide & Crisis Lifeline",
                "Call or text 988, any time.",
                "tel:988",
                "Call 988",
            ),
            CrisisLine("988 by text", "Text 988.", "sms:988", "Text 988"),
            CrisisLine(
                "Crisis Text Line",
                "Text HOME to 741741.",
                "sms:741741?body=HOME",
                "Text HOME to 741741",
            ),
        ),
        emergency_number="911",
    ),
    "GB": CrisisResources(
        locale="GB",
        country="United Kingdom",
        lines=(
            CrisisLine("Samaritans", "Call 116 123, free, any time.", "tel:116123", "Call 116 123"),
            CrisisLine(
                "Shout", "Text SHOUT to 85258.", "sms:85258?body=SHOUT", "Text SHOUT to 85258"
            ),
            CrisisLine(
                "NHS 111", "Call 111 and choose the mental health option.", "tel:111", "Call 111"
            ),
        ),
        emergency_number="999",
    ),
    "CA": CrisisResources(
        locale="CA",
        country="Canada",
        lines=(
            CrisisLine(
                "9-8-8 Suicide Crisis Helpline",
                "Call or text 988, any time.",
                "tel:988",
                "Call 988",
            ),
            CrisisLine(
                "Kids Help Phone",
                "Call 1-800-668-6868 or text CONNECT to 686868.",
                "tel:18006686868",
                "Call 1-800-668-6868",
            ),
        ),
        emergency_number="911",
    ),
    "AU": CrisisResources(
        locale="AU",
        country="Australia",
        lines=(
            CrisisLine(
                "Lifeline",
                "Call 13 11 14 or text 0477 13 11 14, any time.",
                "tel:131114",
                "Call 13 11 14",
            ),
            CrisisLine(
                "Suicide Call Back Service",
                "Call 1300 659 467, any time.",
                "tel:1300659467",
                "Call 1300 659 467",
            ),
            CrisisLine(
                "Beyond Blue", "Call 1300 22 4636, any time.", "tel:1300224636", "Call 1300 22 4636"
            ),
        ),
        emergency_number="000",
    ),
}

DEFAULT_LOCALE = "US"
LOCALE_CHOICES = tuple((code, r.country) for code, r in RESOURCES.items())


def resources_for(locale: str | None) -> CrisisResources:
    """Always returns something: an unknown locale falls back to the default, never to nothing."""
    return RESOURCES.get((locale or "").upper(), RESOURCES[DEFAULT_LOCALE])
