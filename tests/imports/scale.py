"""Synthetic expert spreadsheets of any size, for the scale test and the import benchmark."""

from __future__ import annotations

import csv
import io
import random

TOPICS = ("poc", "crsv", "cthb", "caac", "cpp", "wps-participation", "gender-analysis", "tfgbv")
LANGUAGES = ("en", "fr", "ar", "uk", "es", "ru", "pt", "sw")
LEVELS = ("B1", "B2", "C1", "C2", "native")
COUNTRIES = ("UA", "SY", "ML", "IQ", "CO", "NG", "FR", "DE", "BE", "NO", "SO", "AF")
GENDERS = ("woman", "man", "non-binary", "undisclosed")
KINDS = ("cso", "independent", "academia", "think-tank", "international-org")
HEADER = (
    "email", "full_name", "gender", "nationalities", "country_of_residence", "affiliation_name",
    "affiliation_kind", "categories", "topics", "languages", "regions", "phone", "deployable",
    "bio",
)  # fmt: skip


def synthetic_csv(n: int, *, seed: int = 2026) -> bytes:
    """`n` valid, distinct fictional experts as a UTF-8 CSV."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for i in range(n):
        topics = rng.sample(TOPICS, rng.randint(1, 3))
        languages = rng.sample(LANGUAGES, rng.randint(1, 3))
        writer.writerow(
            [
                f"synthetic.expert.{i}@example.org",
                f"Synthetic Expert {i}",
                rng.choice(GENDERS),
                rng.choice(COUNTRIES),
                rng.choice(COUNTRIES),
                f"Organisation {i % 500}",
                rng.choice(KINDS),
                "independent",
                ";".join(f"{t}:{rng.randint(1, 4)}" for t in topics),
                ";".join(f"{lang}:{rng.choice(LEVELS)}" for lang in languages),
                ";".join(rng.sample(COUNTRIES, rng.randint(1, 3))),
                f"+32 555 {i:06d}",
                rng.choice(("yes", "no")),
                "Fictional expert generated for tests and benchmarks.",
            ]
        )
    return out.getvalue().encode("utf-8")
