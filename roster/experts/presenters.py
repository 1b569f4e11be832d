"""What a viewer reads of an expert profile, for the page and the API alike: whether they may see
it at all, the fields they may read, contact details once shared, and the record of that read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlmodel import Session, col, select

from roster import policy
from roster.accounts import profile_links
from roster.errors import NotFound
from roster.experts import invitations, privacy, profiles
from roster.experts.models import Expert, VettingDecision
from roster.experts.rules import effective_vetting_status
from roster.requests import services as request_services


def visible_expert(session: Session, viewer: Any, expert_id: int, today: date) -> Expert:
    """The expert if the viewer may see them at all; NotFound otherwise (never reveal one)."""
    expert = session.get(Expert, expert_id)
    if expert is None or not policy.can_view_expert(
        viewer, expert_user_id=expert.user_id, listed=profiles.listed_today(expert, today)
    ):
        raise NotFound(_("No such expert."))
    return expert


def readable_fields(session: Session, viewer: Any, expert: Expert) -> frozenset[str]:
    """The expert's fields this viewer reads now. Contact details read by someone other than the
    expert are recorded in the audit trail, here and only here."""
    fields = policy.expert_fields_for(
        viewer,
        expert_user_id=expert.user_id,
        contact_shared=request_services.contact_shared(session, viewer, expert.id),
    )
    if fields & policy.CONTACT_FIELDS and not policy.is_own_profile(viewer, expert.user_id):
        privacy.record_contact_read(session=session, actor=viewer, expert=expert)
    return fields


@dataclass(frozen=True)
class ExpertView:
    """One profile as one viewer may read it, and what that viewer may do with it."""

    loaded: profiles.Loaded
    fields: frozenset[str]
    status: str
    vetting_history: list[VettingDecision]
    can_edit: bool
    can_vet: bool
    can_verify: bool
    can_export: bool
    can_deactivate: bool
    # For those who invite profile owners: the owner's account, and why none can be invited.
    account: invitations.AccountState | None = None
    invite_blocker: str | None = None

    @property
    def expert(self) -> Expert:
        return self.loaded.expert

    @property
    def can_invite(self) -> bool:
        return self.account is not None and self.account.invitable and not self.invite_blocker

    def shows(self, field: str) -> bool:
        return field in self.fields


def present_expert(session: Session, viewer: Any, expert: Expert, today: date) -> ExpertView:
    """The view of an expert the caller already holds (just created, edited or vetted)."""
    fields = readable_fields(session, viewer, expert)
    history: list[VettingDecision] = []
    if "vetting_history" in fields:
        history = list(
            session.exec(
                select(VettingDecision)
                .where(VettingDecision.expert_id == expert.id)
                .order_by(col(VettingDecision.decided_at).desc(), col(VettingDecision.id).desc())
            )
        )
    owner = expert.user_id
    account, blocker = None, None
    if policy.can_invite_profile_owner(viewer):
        account = invitations.account_state(session, expert)
        problem = profile_links.uninvitable(expert)
        blocker = problem.message if problem is not None else None
    return ExpertView(
        loaded=profiles.load(session, expert),
        fields=fields,
        status=effective_vetting_status(expert, today),
        vetting_history=history,
        can_edit=policy.can_edit_expert(viewer, expert_user_id=owner),
        can_vet=policy.can_vet(viewer),
        can_verify=policy.can_verify(viewer),
        can_export=policy.can_export_or_erase_expert(viewer, expert_user_id=owner),
        can_deactivate=policy.can_create_expert(viewer),
        account=account,
        invite_blocker=blocker,
    )


def view_expert(session: Session, viewer: Any, expert_id: int, today: date) -> ExpertView:
    """The profile page and `GET /experts/{id}`: NotFound unless the viewer may see it."""
    return present_expert(session, viewer, visible_expert(session, viewer, expert_id, today), today)
