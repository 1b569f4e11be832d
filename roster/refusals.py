"""How a page answers a refused change: one rule, applied by the app's handler for `DomainError`.

A view never catches a service's refusal. It says beforehand what its page answers to one (its
form again, or back to another page with the message) and lets the error fly; the handler
rolls the request's work back first, then answers 403 and 404 with their status page and
anything else as the view said (a status page when it said nothing). A form page that comes
back after a refusal, or after its own validation failed, answers 422 (or the refusal's own
status), so the end-of-request commit never keeps the refused work either."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import flash, g, redirect
from flask.typing import ResponseReturnValue

from roster import db
from roster.errors import DomainError, ValidationFailed

REFUSED = 422
# Not yours to see or not there: the status page, whatever the view would show.
STATUS_PAGE_ONLY = frozenset({401, 403, 404})

Answer = Callable[[DomainError], ResponseReturnValue]
Problems = dict[str, list[str]]
Attach = Callable[[Any, DomainError], Problems]


def beside_fields(form: Any, exc: DomainError) -> Problems:
    """Each message beside the field it names ("a.b" goes to field "a"); a refusal that names
    no field on the form is flashed."""
    unplaced = [] if exc.fields else [exc.message]
    for name, messages in exc.fields.items():
        target = getattr(form, name.split(".")[0], None)
        if target is None or not hasattr(target, "errors"):
            unplaced.extend(messages)
        else:
            target.errors = [*target.errors, *messages]
    for message in dict.fromkeys(unplaced):
        flash(message, "error")
    return {}


def onto(name: str, message: str | None = None) -> Attach:
    """Put the refusal's message (or `message`) beside the field `name`, whatever it names."""

    def attach(form: Any, exc: DomainError) -> Problems:
        target = getattr(form, name)
        target.errors = [*target.errors, message or exc.message]
        return {}

    return attach


def refused_status(exc: DomainError) -> int:
    """A refused form answers the refusal's status, 422 for a refusal that names none better."""
    return REFUSED if exc.status == 400 else exc.status


def on_refusal(answer: Answer) -> None:
    """What this request's page answers to a refused change (after the rollback)."""
    g.refusal_answer = answer


def back_with_message(url: str, code: int = 302) -> None:
    """A refused action returns to `url` and shows the refusal's message there."""
    on_refusal(lambda exc: _back(exc, url, code))


def _back(exc: DomainError, url: str, code: int) -> ResponseReturnValue:
    flash(exc.message, "error")
    return redirect(url, code)


@dataclass
class FormPage:
    """A page with a form: `render(problems)` draws it with what the form holds (the typed
    values, the errors beside the fields) and the messages `attach` did not place on a field."""

    form: Any
    render: Callable[[Problems], str]
    attach: Attach = beside_fields
    back_to: str | None = None
    status: int | None = None

    def submitted(self) -> bool:
        """The form was posted and passed its own validation."""
        return bool(self.form.validate_on_submit())

    def again(self) -> tuple[str, int]:
        """The page with its form: 200 when opened, 422 when a posted form is shown again."""
        if not self.form.is_submitted():
            return self.render({}), 200
        return self.render({}), self.status or REFUSED

    def refuse(self, exc: DomainError) -> ResponseReturnValue:
        if self.back_to is not None and not isinstance(exc, ValidationFailed):
            return _back(exc, self.back_to, 302)
        return self.render(self.attach(self.form, exc)), self.status or refused_status(exc)


def form_page(
    form: Any,
    render: Callable[[Problems], str],
    *,
    attach: Attach = beside_fields,
    back_to: str | None = None,
    status: int | None = None,
) -> FormPage:
    """Declare the form page of this request: a refusal re-renders it with the messages beside
    the fields. `back_to`: where a refusal that is not about the input goes, with its message.
    `status`: what the page answers when shown again, for a page whose drawing records a read
    (of contact details) in the request's transaction, which only a status below 400 keeps; the
    refused work is rolled back before the drawing all the same."""
    page = FormPage(form, render, attach, back_to, status)
    on_refusal(page.refuse)
    return page


def answer(exc: DomainError) -> ResponseReturnValue | None:
    """Roll the request's work back, then the page's answer; None means the status page."""
    db.rollback()
    registered: Answer | None = g.get("refusal_answer")
    if exc.status in STATUS_PAGE_ONLY or registered is None:
        return None
    return registered(exc)
