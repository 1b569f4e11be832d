"""The demo's request history: the stories of `stories` written as rows, dated from the seeding
moment, deterministic (one seeded random source) and keyed on the request titles, so a second
load adds nothing.

Rows go in through the models in bulk (the services would mail every offer and take a lock per
step), but they keep the services' rules: each state reached through the transition table with a
history row per step, filled seats equal to accepted offers with one assignment each, no expert
booked twice at once, experts cleared and vetted as the request needs, feedback only after
completion. The audit trail gets one event for the load, chained like any other."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlmodel import Session, SQLModel, col, select

from roster import audit, policy
from roster.accounts.models import User
from roster.demo.engagement import engagement, mark_engaged
from roster.demo.stories import Story
from roster.demo.timeline import Timeline, timeline
from roster.experts.models import CsapMembership, Expert, ExpertLanguage, ExpertTopic
from roster.requests.models import (
    Assignment,
    CrisisRequest,
    EngagementEntry,
    Feedback,
    Offer,
    RequestEvent,
    RequestLanguage,
    RequestRegion,
    RequestTopic,
)
from roster.requests.workflow import TRANSITIONS

SEED = 13
COORDINATOR = "coordinator@roster.example"
LNO_DOMAIN = "@roster.example"
HISTORY_KINDS = (
    "requests",
    "request_events",
    "offers",
    "assignments",
    "engagement_entries",
    "feedback",
)
DECLINE_REASONS = (
    "Not available on those dates.",
    "Already committed to another engagement.",
    "Outside my area of expertise.",
    "Family commitments.",
    "The notice is too short for me.",
)


@dataclass
class Pool:
    """Who may be offered a seat, and when each expert is already booked."""

    experts: list[Expert]
    topics: dict[int, set[str]]
    languages: dict[int, set[str]]
    csap: set[int]
    booked: dict[int, list[tuple[date, date]]] = field(default_factory=dict)

    def free(self, expert_id: int, starts: date, ends: date) -> bool:
        return all(e < starts or s > ends for s, e in self.booked.get(expert_id, []))


@dataclass
class Built:
    story: Story
    line: Timeline
    request: CrisisRequest
    offers: list[Offer] = field(default_factory=list)


def load_history(session: Session, stories: tuple[Story, ...], *, now: datetime) -> dict[str, int]:
    """Add the requests of the demo history not yet present (by title); returns rows added."""
    counts = dict.fromkeys(HISTORY_KINDS, 0)
    users = {
        u.email.lower(): u
        for u in session.exec(select(User)).all()
        if u.email.lower().endswith(LNO_DOMAIN)
    }
    lnos = {story.lno: users.get(f"{story.lno}{LNO_DOMAIN}") for story in stories}
    missing = sorted(key for key, user in lnos.items() if user is None)
    if missing or COORDINATOR not in users:
        raise ValueError(f"demo accounts missing for the history: {missing or [COORDINATOR]}")
    present = set(session.exec(select(CrisisRequest.title)).all())
    now = now.replace(minute=0, second=0, microsecond=0)
    rng = random.Random(SEED)
    lines = [(story, timeline(story, rng, now)) for story in stories]
    todo = [(story, line) for story, line in lines if story.title not in present]
    if not todo:
        return counts
    coordinator = users[COORDINATOR]
    built = [
        Built(story, line, _request(story, line, lnos[story.lno]))  # type: ignore[arg-type]
        for story, line in todo
    ]
    session.add_all([b.request for b in built])
    session.flush()
    pool = _pool(session)
    rows: list[SQLModel] = []
    for b in built:
        rows += _needs(b)
        rows += _events(b, lnos[b.story.lno], coordinator)  # type: ignore[arg-type]
        b.offers = _offers(b, pool, rng, coordinator, now)
        rows += b.offers
    session.add_all(rows)
    session.flush()
    later: list[SQLModel] = []
    experts = {e.id: e for e in pool.experts}
    for b in built:
        later += _assignments(b)
        later += engagement(b.request, b.story, b.offers, experts, lnos[b.story.lno], rng, now)  # type: ignore[arg-type]
    session.add_all(later)
    mark_engaged(session, [(b.request, b.offers) for b in built], experts)
    session.flush()
    for b in built:
        b.request.filled = sum(1 for o in b.offers if o.state == "accepted")
        session.add(b.request)
    counts["requests"] = len(built)
    counts["offers"] = sum(len(b.offers) for b in built)
    for row in rows + later:
        kind = {
            RequestEvent: "request_events",
            Assignment: "assignments",
            EngagementEntry: "engagement_entries",
            Feedback: "feedback",
        }.get(type(row))
        if kind:
            counts[kind] += 1
    session.flush()
    audit.record(session, actor="system", action="demo.history", subject="", **counts)
    return counts


def _request(story: Story, line: Timeline, lno: User) -> CrisisRequest:
    for step in line.steps[1:]:
        move = TRANSITIONS.get((step.from_state or "", step.action))
        if move is None or move.to_state != step.to_state:
            raise ValueError(f"demo story {story.title!r}: {step.action} is not a legal move")
    rank = policy.CLEARANCE_RANK
    if rank[story.classification] > rank[lno.clearance_level or "NU"]:
        raise ValueError(f"demo story {story.title!r} is above its LNO's clearance")
    return CrisisRequest(
        title=story.title,
        description=f"{story.title}. Demo request: fictional, for demonstrations only.",
        kind=story.kind,  # type: ignore[arg-type]
        classification=story.classification,
        required_clearance=story.classification,
        urgency=story.urgency,  # type: ignore[arg-type]
        starts_on=line.starts_on,
        ends_on=line.ends_on,
        mode="remote" if story.kind in ("consultation", "training") else "deployed",
        seats=story.seats,
        filled=0,
        state=line.steps[-1].to_state,  # type: ignore[arg-type]
        requested_by_id=lno.id,
        command_id=lno.command_id,
        created_at=line.created,
        submitted_at=line.submitted,
        staffed_at=line.staffed,
        updated_at=line.last,
        version=len(line.steps),
    )


def _needs(b: Built) -> list[SQLModel]:
    rid = b.request.id
    rows: list[SQLModel] = [
        RequestTopic(request_id=rid, topic_code=code, min_level=3 if i == 0 else 2)
        for i, code in enumerate(b.story.topics)
    ]
    rows += [RequestRegion(request_id=rid, country_code=cc) for cc in b.story.regions]
    if b.story.language:
        rows.append(RequestLanguage(request_id=rid, language_code=b.story.language, min_level="B2"))
    return rows


def _events(b: Built, lno: User, coordinator: User) -> list[SQLModel]:
    actors = {"lno": lno.id, "coordinator": coordinator.id, "system": None}
    return [
        RequestEvent(
            request_id=b.request.id,
            at=step.at,
            actor_id=actors[step.by],
            action=step.action,
            from_state=step.from_state,
            to_state=step.to_state,
            note=step.note,
        )
        for step in b.line.steps
    ]


def _pool(session: Session) -> Pool:
    experts = sorted(
        session.exec(select(Expert).where(Expert.vetting_status == "vetted", Expert.active)).all(),
        key=lambda e: (e.email or "").lower(),
    )
    ids = [e.id for e in experts]
    topics: dict[int, set[str]] = {}
    for eid, code in session.exec(
        select(ExpertTopic.expert_id, ExpertTopic.topic_code).where(
            col(ExpertTopic.expert_id).in_(ids)
        )
    ).all():
        topics.setdefault(eid, set()).add(code)
    languages: dict[int, set[str]] = {}
    for eid, code in session.exec(
        select(ExpertLanguage.expert_id, ExpertLanguage.language_code).where(
            col(ExpertLanguage.expert_id).in_(ids)
        )
    ).all():
        languages.setdefault(eid, set()).add(code)
    csap = set(session.exec(select(CsapMembership.expert_id)).all())
    booked: dict[int, list[tuple[date, date]]] = {}
    for eid, starts, ends in session.exec(
        select(col(Assignment.expert_id), col(Assignment.starts_on), col(Assignment.ends_on))
    ).all():
        booked.setdefault(eid, []).append((starts, ends))
    return Pool(experts, topics, languages, csap, booked)


def _candidates(b: Built, pool: Pool, rng: random.Random) -> list[Expert]:
    """Experts who pass the hard rules for this request, the best fitting first."""
    story, request = b.story, b.request
    need = policy.CLEARANCE_RANK[request.required_clearance]
    fit: list[Expert] = []
    rest: list[Expert] = []
    for e in pool.experts:
        if story.csap and e.id not in pool.csap:
            continue
        if request.mode == "deployed" and not e.deployable:
            continue
        if need > 0:
            rank = policy.CLEARANCE_RANK.get(e.clearance_level or "", -1)
            expires = e.clearance_expires_on
            if e.clearance_verified_at is None or rank < need:
                continue
            if expires is not None and expires < request.ends_on:
                continue
        if not pool.free(e.id, request.starts_on, request.ends_on):
            continue
        (fit if pool.topics.get(e.id, set()) & set(story.topics) else rest).append(e)
    rng.shuffle(fit)
    rng.shuffle(rest)
    return fit + rest


def _offers(
    b: Built, pool: Pool, rng: random.Random, coordinator: User, now: datetime
) -> list[Offer]:
    line, story = b.line, b.story
    if line.offers_from is None or line.offers_until is None:
        return []
    staffed = line.staffed is not None
    accepted = story.seats if staffed else rng.randint(0, story.seats - 1)
    if story.state == "cancelled":
        accepted = 0
    plan = ["accepted"] * accepted + ["declined"] * rng.choice((0, 1, 1, 2))
    plan += ["expired"] * rng.choice((0, 0, 1))
    if staffed:
        plan += ["withdrawn"] * rng.choice((0, 1))
    elif story.state == "cancelled":
        plan += ["withdrawn"] * rng.randint(1, 2)
    else:
        plan += ["open"] * (story.seats - accepted + rng.choice((0, 1)))
    chosen = _candidates(b, pool, rng)[: len(plan)]
    if len(chosen) < len(plan):
        raise ValueError(f"demo story {story.title!r}: too few eligible experts")
    start, until = line.offers_from, line.offers_until
    span = until - start
    offers: list[Offer] = []
    for n, (state, expert) in enumerate(zip(plan, chosen, strict=True)):
        offer = Offer(
            request_id=b.request.id,
            expert_id=expert.id,
            state=state,  # type: ignore[arg-type]
            created_at=start,
            created_by_id=coordinator.id,
            respond_by=max(start + timedelta(hours=48), until + timedelta(hours=1)),
        )
        if state == "accepted":
            last = n == accepted - 1 and staffed
            offer.responded_at = until if last else start + span * rng.uniform(0.3, 0.9)
            pool.booked.setdefault(expert.id, []).append((b.request.starts_on, b.request.ends_on))
        elif state == "declined":
            offer.responded_at = start + span * rng.uniform(0.1, 0.9)
            offer.decline_reason = rng.choice(DECLINE_REASONS)
        elif state == "expired":
            offer.respond_by = start + span * 0.4
        elif state == "withdrawn":
            offer.responded_at = until
        else:  # open: the first one lapses within the day
            lapsing = not any(o.state == "open" for o in offers)
            hours = rng.uniform(6, 20) if lapsing else rng.uniform(40, 72)
            offer.respond_by = now + timedelta(hours=hours)
        offers.append(offer)
    return offers


def _assignments(b: Built) -> list[SQLModel]:
    request = b.request
    return [
        Assignment(
            request_id=request.id,
            expert_id=o.expert_id,
            offer_id=o.id,
            starts_on=request.starts_on,
            ends_on=request.ends_on,
            mode=request.mode,
            created_at=o.responded_at or o.created_at,
        )
        for o in b.offers
        if o.state == "accepted"
    ]
