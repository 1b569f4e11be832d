"""What an expert confirms when taking a seat: no conflict of interest, and consent to their
contact details going to the requesting command; and how they confirmed it."""

from __future__ import annotations

from dataclasses import dataclass

from roster.requests.models import ConsentWay


@dataclass(frozen=True)
class Consent:
    """The two answers (None: not asked) and the way they were given."""

    no_conflict: bool | None
    share_contact: bool | None
    via: ConsentWay

    @property
    def complete(self) -> bool:
        return self.no_conflict is True and self.share_contact is True


def confirmed(via: ConsentWay) -> Consent:
    """Both boxes ticked (the page) or both answers true (the API)."""
    return Consent(no_conflict=True, share_contact=True, via=via)


# An API client written before the confirmations existed: the accept still works (the contract
# keeps it), and the offer says the expert was never asked, so nobody mistakes it for a yes.
LEGACY_API = Consent(no_conflict=None, share_contact=None, via="api-legacy")
