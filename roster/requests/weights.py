"""What matching's weights mean: score weights, their shape parameters, their defaults, and the
sectors and origins of team balance. Pure: no Flask, no database.

A deployment's overrides are read in `settings.matching_weights()`, the one configurable place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace

COMPONENTS: tuple[str, ...] = ("topic", "language", "region", "availability", "balance", "rotation")


@dataclass(frozen=True, slots=True, kw_only=True)
class MatchingWeights:
    """How much each score component counts, and the knobs that shape the components.

    The total score is the weighted mean of the six components, so it stays in [0, 1] whatever
    the weights; only their ratios matter. Defaults, and why:

    - topic 0.35: expertise is what the request is for, so fit carries most.
    - language 0.15, region 0.10: working language first, then knowledge of the place.
    - availability 0.10: whether the expert's notice fits the lead time (being free is a rule).
    - rotation 0.15, balance 0.15: fairness, enough to reorder near-equal candidates but not to
      put a weak fit above a strong one.
    """

    topic: float = 0.35
    language: float = 0.15
    region: float = 0.10
    availability: float = 0.10
    balance: float = 0.15
    rotation: float = 0.15

    # Topic: the per-topic score is (level / 4) ** 2, so depth counts more than linearly; the
    # component blends the best requested topic (`topic_best_share`) with the mean over all of them.
    topic_best_share: float = 0.6
    # A topic or language held below the requested level counts at this fraction.
    below_min_level: float = 0.5
    # A national of a requested country who does not list it as a region of knowledge.
    nationality_as_region: float = 0.5
    # Availability factor for a non-deployable expert on a deployed request (remote support only).
    not_deployable: float = 0.25
    # Rotation: engagements in the last 12 months that halve the load term, and days since the last
    # engagement after which the recency term is full.
    rotation_half_load: float = 2.0
    rotation_rest_days: float = 180.0
    # Balance: the weight of each dimension inside the balance component (gender counts double: the
    # WPS policy asks for gender-balanced participation).
    balance_gender: float = 2.0
    balance_sector: float = 1.0
    balance_origin: float = 1.0

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if not value >= 0:
                raise ValueError(f"matching weight {name!r} must be a number >= 0, not {value!r}")
        if sum(self.component_weights().values()) <= 0:
            raise ValueError("at least one score component needs a positive weight")
        if sum((self.balance_gender, self.balance_sector, self.balance_origin)) <= 0:
            raise ValueError("at least one balance dimension needs a positive weight")
        for name in (
            "topic_best_share",
            "below_min_level",
            "nationality_as_region",
            "not_deployable",
        ):
            if getattr(self, name) > 1:
                raise ValueError(f"matching weight {name!r} is a fraction and must be <= 1")
        if self.rotation_half_load <= 0 or self.rotation_rest_days <= 0:
            raise ValueError("rotation_half_load and rotation_rest_days must be positive")

    def component_weights(self) -> dict[str, float]:
        """The six component weights by component name, in `COMPONENTS` order."""
        return {name: getattr(self, name) for name in COMPONENTS}

    @classmethod
    def from_mapping(
        cls, values: Mapping[str, float], base: MatchingWeights | None = None
    ) -> MatchingWeights:
        """`base` (the defaults when None) with the given fields replaced; unknown names raise."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"unknown matching weights: {', '.join(unknown)}")
        return replace(base or cls(), **{k: float(v) for k, v in values.items()})


DEFAULT_WEIGHTS = MatchingWeights()

# Sectors for team balance: civil society (everything else) vs the state.
STATE_AFFILIATIONS = frozenset({"government", "military"})

# An illustrative starting set (ISO 3166-1 alpha-2) of countries affected by armed conflict, for the
# origin dimension of team balance. Coordinators should maintain the real list and pass it in.
CONFLICT_AFFECTED = frozenset(
    {
        "AF", "BF", "CD", "CF", "CM", "CO", "ET", "HT", "IQ", "LB", "LY", "ML", "MM", "MZ",
        "NE", "NG", "PS", "SD", "SO", "SS", "SY", "UA", "YE",
    }
)  # fmt: skip
