"""The search page's GET form: the same parameters as the API, read from the URL."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Field, IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.fields import DateField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from roster.experts.forms import CATEGORY_LABELS, VETTING_LABELS
from roster.experts.models import CATEGORIES
from roster.forms import PlainForm
from roster.policy import CLEARANCE_RANK
from roster.reference.codes import by_name, countries
from roster.search import criteria as c


class ParsedListField(Field):
    """Every value given for the name, parsed (`crsv:3`); blanks are skipped."""

    parser: Any = None

    def process_formdata(self, valuelist: list[str]) -> None:
        self.raw = [v for v in valuelist if v.strip()]
        self.data = []
        self.bad: list[str] = []
        for value in self.raw:
            try:
                self.data.append(type(self).parser(value))
            except ValueError as exc:
                self.bad.append(str(exc))

    def pre_validate(self, form: PlainForm) -> None:
        if getattr(self, "bad", None):
            raise ValidationError(" ".join(self.bad))


class TopicsField(ParsedListField):
    parser = staticmethod(c.parse_topic)


class LanguagesField(ParsedListField):
    parser = staticmethod(c.parse_language)


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _choices(pairs: Any) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def _country_choices() -> list[SelectChoice]:
    return _choices(by_name(countries()))


class SearchForm(PlainForm):
    """Read from request.args; no CSRF token, because searching changes nothing."""

    q = StringField(
        _l("Words"), validators=[Optional()], description=_l("Name, bio, affiliation or topic.")
    )
    topic = TopicsField(_l("Topics"))
    topic_mode = SelectField(
        _l("Match topics"),
        choices=_choices([("all", _l("All chosen topics")), ("any", _l("Any chosen topic"))]),
        default="all",
    )
    language = LanguagesField(_l("Languages"))
    region = SelectMultipleField(_l("Regions known"), validate_choice=True)
    nationality = SelectMultipleField(_l("Nationality"), validate_choice=True)
    category = CheckboxesField(
        _l("Category"), choices=_choices([(v, CATEGORY_LABELS.get(v, v)) for v in CATEGORIES])
    )
    clearance = SelectField(
        _l("Minimum verified clearance"),
        choices=_choices([("", _l("Any"))] + [(code, code) for code in CLEARANCE_RANK]),
        default="",
    )
    available_from = DateField(_l("Available from"), validators=[Optional()])
    available_to = DateField(_l("Available to"), validators=[Optional()])
    deployable = SelectField(
        _l("Deployable"),
        choices=_choices([("", _l("Either")), ("true", _l("Yes")), ("false", _l("No"))]),
        default="",
    )
    vetting = CheckboxesField(
        _l("Vetting status"),
        choices=_choices([(v, VETTING_LABELS.get(v, v)) for v in c.VETTING_FILTERS]),
    )
    sort = SelectField(
        _l("Sort by"),
        choices=_choices(
            [
                ("relevance", _l("Relevance")),
                ("name", _l("Name")),
                ("last_engaged", _l("Least recently engaged")),
            ]
        ),
        default="relevance",
    )
    page = IntegerField(_l("Page"), validators=[Optional(), NumberRange(1, c.MAX_PAGE)], default=1)
    per_page = IntegerField(
        _l("Results per page"),
        validators=[Optional(), NumberRange(1, c.MAX_PER_PAGE)],
        default=c.DEFAULT_PER_PAGE,
    )

    def __init__(self, formdata: Any, *, topics: dict[str, str], may_vet: bool) -> None:
        super().__init__(formdata)
        self.topic_names = topics
        self.region.choices = self.nationality.choices = _country_choices()
        self.may_vet = may_vet
        if not may_vet:
            del self.vetting

    def validate_topic(self, field: Field) -> None:
        unknown = sorted({need.code for need in field.data} - set(self.topic_names))
        if unknown:
            raise ValidationError(_l("Unknown topic: %(codes)s.", codes=", ".join(unknown)))

    def validate_available_to(self, field: Field) -> None:
        start, end = self.available_from.data, field.data
        if (start is None) != (end is None):
            raise ValidationError(_l("Give both dates of the window."))
        if start and end and end < start:
            raise ValidationError(_l("The window ends before it starts."))

    def chosen_levels(self) -> dict[str, int]:
        return {need.code: need.min_level for need in self.topic.data or []}

    def criteria(self) -> c.SearchCriteria:
        """The validated form as search criteria."""
        deployable = {"true": True, "false": False}.get(self.deployable.data or "")
        return c.SearchCriteria(
            q=self.q.data or "",
            topics=tuple(self.topic.data or ()),
            topic_mode=self.topic_mode.data or "all",
            languages=tuple(self.language.data or ()),
            regions=tuple(self.region.data or ()),
            nationalities=tuple(self.nationality.data or ()),
            categories=tuple(self.category.data or ()),
            clearance=self.clearance.data or None,
            available_from=self.available_from.data,
            available_to=self.available_to.data,
            deployable=deployable,
            vetting=tuple(self.vetting.data or ()) if self.may_vet else (),
            sort=self.sort.data or "relevance",
            page=self.page.data or 1,
            per_page=self.per_page.data or c.DEFAULT_PER_PAGE,
        )
