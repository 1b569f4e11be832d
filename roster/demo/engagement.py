"""The demo's engagements: log entries while the work runs (deliverables, consultations, exercises
where experts served as mentors) and feedback both ways once a request is completed."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlmodel import Session, SQLModel

from roster.accounts.models import User
from roster.demo.stories import Story
from roster.demo.timeline import at_hour
from roster.experts.models import Expert
from roster.requests.models import CrisisRequest, EngagementEntry, Feedback, Offer

LNO_COMMENTS = (
    "Clear, practical advice the staff could use at once.",
    "Knew the context well and worked closely with the planners.",
    "Very responsive; the deliverable arrived on time.",
)
EXPERT_COMMENTS = (
    "The tasking was clear and the team made time for us.",
    "A well-prepared request; access to the right people helped.",
    "Useful engagement; earlier sharing of documents would help.",
)


def engagement(
    request: CrisisRequest,
    story: Story,
    offers: list[Offer],
    experts: dict[int, Expert],
    lno: User,
    rng: random.Random,
    now: datetime,
) -> list[SQLModel]:
    """Log entries while the work runs, and feedback both ways once it is completed."""
    if request.state not in ("active", "completed"):
        return []
    team = [experts[o.expert_id] for o in offers if o.state == "accepted"]
    first = at_hour(request.starts_on, 10)
    last = min(at_hour(request.ends_on, 15), now - timedelta(hours=2))
    span = max(last - first, timedelta(hours=1))
    kind = {"exercise": "exercise", "consultation": "consultation"}.get(story.kind, "note")
    rows: list[SQLModel] = []
    for i, expert in enumerate(team):
        author = expert.user_id or lno.id
        summary = {
            "exercise": f"Served as mentor to the training audience during {story.title.lower()}.",
            "consultation": "Consultation held with the staff; points of advice recorded.",
            "note": "Met the command's staff and agreed the work plan.",
        }[kind]
        rows.append(
            EngagementEntry(
                request_id=request.id,
                author_id=author,
                kind=kind,
                summary=summary,
                at=first + span * (0.2 + 0.1 * i),
            )
        )
    if request.state == "completed":
        rows.append(
            EngagementEntry(
                request_id=request.id,
                author_id=team[0].user_id or lno.id,
                kind="deliverable",
                summary="Final report delivered to the command, with recommendations.",
                at=last,
            )
        )
        done = at_hour(request.ends_on, 17)
        for expert in team:
            rows.append(
                Feedback(
                    request_id=request.id,
                    expert_id=expert.id,
                    author_id=lno.id,
                    direction="lno_on_expert",
                    rating=rng.choice((3, 4, 4, 5, 5, 5)),
                    comment=rng.choice(LNO_COMMENTS),
                    at=min(done + timedelta(days=rng.randint(1, 5)), now - timedelta(hours=1)),
                )
            )
            if expert.user_id is not None:
                rows.append(
                    Feedback(
                        request_id=request.id,
                        expert_id=expert.id,
                        author_id=expert.user_id,
                        direction="expert_on_request",
                        clarity=rng.choice((3, 4, 5, 5)),
                        usefulness=rng.choice((4, 4, 5)),
                        comment=rng.choice(EXPERT_COMMENTS),
                        at=min(done + timedelta(days=rng.randint(1, 7)), now - timedelta(hours=1)),
                    )
                )
    return rows


def mark_engaged(
    session: Session, done: list[tuple[CrisisRequest, list[Offer]]], experts: dict[int, Expert]
) -> None:
    """As completing a request does: each expert's last engagement is the latest one ended."""
    for request, offers in done:
        if request.state != "completed":
            continue
        for offer in offers:
            expert = experts[offer.expert_id]
            if offer.state == "accepted" and (
                expert.last_engaged_on is None or expert.last_engaged_on < request.ends_on
            ):
                expert.last_engaged_on = request.ends_on
                session.add(expert)
