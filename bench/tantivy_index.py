"""The same roster in Tantivy (benchmark only): the same documents, the same filters and facets.

Visibility and the filters are computed from Roster's own read model at the benchmark's day and
indexed as terms (a topic at level 3 is indexed as `crsv:1`, `crsv:2`, `crsv:3`, so a minimum is
one term), so both engines answer the same question and must report the same totals and facets.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import tantivy
from sqlmodel import Session

from roster.policy import CLEARANCE_RANK
from roster.reference.codes import CEFR_LEVELS
from roster.search.criteria import SearchCriteria
from roster.search.fast import valid_clearance, visible_mask
from roster.search.fulltext import BM25_WEIGHTS
from roster.search.readmodel import ABSENT, RosterModel, day

TEXT_FIELDS = ("name", "affiliation", "topics", "bio")
FACETS = {"topic": "topic", "language": "language", "region": "region", "category": "category"}


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("id", stored=True, indexed=True, fast=True)
    builder.add_unsigned_field("name_rank", fast=True)
    for field in TEXT_FIELDS:
        builder.add_text_field(field)
    for field in (
        "scope",
        "topic",
        "topic_level",
        "language",
        "language_level",
        "region",
        "nationality",
        "category",
        "clearance",
        "clearance_min",
        "deployable",
    ):
        builder.add_text_field(field, tokenizer_name="raw", fast=True)
    return builder.build()


def build_index(
    session: Session, model: RosterModel, documents: dict[int, tuple[str, ...]], today: Any
) -> tuple[tantivy.Index, tantivy.Schema]:
    """Index every expert of the model in memory (one commit)."""
    schema = _schema()
    index = tantivy.Index(schema)
    writer = index.writer(heap_size=100_000_000, num_threads=1)
    t = day(today)
    scopes = {"all": visible_mask(model, "all", t), "vetted": visible_mask(model, "vetted", t)}
    cleared = valid_clearance(model, t)
    links = model.links
    for row in range(model.size):
        eid = int(model.ids[row])
        fields: dict[str, Any] = {}
        for name, text in zip(TEXT_FIELDS, documents.get(eid, ("",) * 4), strict=True):
            fields[name] = text
        fields["scope"] = [s for s, mask in scopes.items() if mask[row]]
        for name in ("topic", "language", "region", "nationality", "category"):
            held = links[name]
            values = held.values[:, row]
            present = np.flatnonzero(values != ABSENT)
            fields[name] = [held.codes[c] for c in present]
            if name == "topic":
                fields["topic_level"] = [
                    f"{held.codes[c]}:{lv}" for c in present for lv in range(1, int(values[c]) + 1)
                ]
            if name == "language":
                fields["language_level"] = [
                    f"{held.codes[c]}:{CEFR_LEVELS[r]}"
                    for c in present
                    for r in range(int(values[c]) + 1)
                ]
        if cleared[row]:
            fields["clearance"] = [model.clearance_codes[model.clearance[row]]]
            fields["clearance_min"] = [
                code for code, rank in CLEARANCE_RANK.items() if rank <= model.clearance_rank[row]
            ]
        fields["deployable"] = ["true" if model.deployable[row] else "false"]
        document = tantivy.Document(**fields)
        document.add_unsigned("id", eid)
        document.add_unsigned("name_rank", int(model.name_rank[row]))
        writer.add_document(document)
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    return index, schema


def _term(schema: tantivy.Schema, field: str, value: str) -> tantivy.Query:
    return tantivy.Query.term_query(schema, field, value)


def _any(schema: tantivy.Schema, field: str, values: tuple[str, ...]) -> tantivy.Query:
    return tantivy.Query.boolean_query(
        [(tantivy.Occur.Should, _term(schema, field, v)) for v in values]
    )


def query_of(schema: tantivy.Schema, criteria: SearchCriteria, scope: str) -> tantivy.Query:
    """The search as one boolean query: words scored (same column weights), filters as terms."""
    must = tantivy.Occur.Must
    parts: list[tuple[tantivy.Occur, tantivy.Query]] = [(must, _term(schema, "scope", scope))]
    for word in criteria.terms:
        per_field = [
            (
                tantivy.Occur.Should,
                tantivy.Query.boost_query(_term(schema, field, word), weight),
            )
            for field, weight in zip(TEXT_FIELDS, BM25_WEIGHTS, strict=True)
        ]
        parts.append((must, tantivy.Query.boolean_query(per_field)))
    needs = [_term(schema, "topic_level", f"{n.code}:{n.min_level}") for n in criteria.topics]
    if needs and criteria.topic_mode == "any":
        parts.append(
            (must, tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in needs]))
        )
    else:
        parts += [(must, q) for q in needs]
    for lang in criteria.languages:
        parts.append((must, _term(schema, "language_level", f"{lang.code}:{lang.min_level}")))
    for field, values in (
        ("region", criteria.regions),
        ("nationality", criteria.nationalities),
        ("category", criteria.categories),
    ):
        if values:
            parts.append((must, _any(schema, field, values)))
    if criteria.clearance:
        parts.append((must, _term(schema, "clearance_min", criteria.clearance)))
    if criteria.deployable is not None:
        parts.append((must, _term(schema, "deployable", str(criteria.deployable).lower())))
    return tantivy.Query.boolean_query(parts)


AGGREGATIONS = {
    name: {"terms": {"field": field, "size": 1000}}
    for name, field in {**FACETS, "clearance": "clearance"}.items()
}


def search(
    index: tantivy.Index, schema: tantivy.Schema, criteria: SearchCriteria, scope: str
) -> tuple[list[int], int, dict[str, dict[str, int]]]:
    """The page's ids, the total and the facets, as Roster reports them."""
    searcher = index.searcher()
    query = query_of(schema, criteria, scope)
    if criteria.terms and criteria.sort == "relevance":
        found = searcher.search(query, limit=criteria.per_page, offset=criteria.offset)
    else:
        found = searcher.search(
            query,
            limit=criteria.per_page,
            offset=criteria.offset,
            order_by_field="name_rank",
            order=tantivy.Order.Asc,
        )
    ids = [searcher.doc(address)["id"][0] for _, address in found.hits]
    aggregated = searcher.aggregate(query, AGGREGATIONS)
    facets = {
        name: {b["key"]: int(b["doc_count"]) for b in aggregated[name]["buckets"]}
        for name in AGGREGATIONS
    }
    return ids, int(found.count or 0), facets
