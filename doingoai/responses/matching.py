"""Does an alert rule fire for an item? Plain functions over dataclasses (no database access).

Every condition a rule sets must hold; a rule with no condition never fires. The answer is the
list of reasons, in the active language, to be stored with the alert.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Conditions:
    """What a rule asks for (see ``AlertRule``)."""

    min_risk: float | None = None
    min_relevance: float | None = None
    topic: str = ""
    growth_mentions: int | None = None
    growth_hours: int = 6
    terms: frozenset[str] = frozenset()
    watch_people: bool = False

    @property
    def is_empty(self) -> bool:
        return (
            self.min_risk is None
            and self.min_relevance is None
            and not self.topic
            and self.growth_mentions is None
            and not self.terms
            and not self.watch_people
        )


@dataclass(frozen=True)
class Candidate:
    """An item seen with its story: the highest of the two scores, both topics, its terms."""

    risk: float
    relevance: float
    topics: frozenset[str]
    terms: tuple[str, ...]


def _number(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def _watched(conditions: Conditions, candidate: Candidate, people: frozenset[str]) -> list[str]:
    wanted = set(conditions.terms) | (set(people) if conditions.watch_people else set())
    return [term for term in candidate.terms if term in wanted]


def rule_reasons(
    conditions: Conditions,
    candidate: Candidate,
    *,
    recent_mentions: int = 0,
    people_terms: Iterable[str] = (),
) -> list[str] | None:
    """The reasons the rule fires for ``candidate``, or None when it does not.

    ``recent_mentions``: the story's mentions in the rule's last ``growth_hours`` hours.
    ``people_terms``: the watched names and officials' titles (for ``watch_people``).
    """
    if conditions.is_empty:
        return None
    reasons: list[str] = []
    if conditions.min_risk is not None:
        if candidate.risk < conditions.min_risk:
            return None
        reasons.append(
            _("risk %(value)s ≥ %(threshold)s")
            % {"value": _number(candidate.risk), "threshold": _number(conditions.min_risk)}
        )
    if conditions.min_relevance is not None:
        if candidate.relevance < conditions.min_relevance:
            return None
        reasons.append(
            _("relevance %(value)s ≥ %(threshold)s")
            % {
                "value": _number(candidate.relevance),
                "threshold": _number(conditions.min_relevance),
            }
        )
    if conditions.topic:
        if conditions.topic not in candidate.topics:
            return None
        reasons.append(_("topic %(topic)s") % {"topic": conditions.topic})
    if conditions.growth_mentions is not None:
        if recent_mentions < conditions.growth_mentions:
            return None
        reasons.append(
            _("%(count)d mentions in the last %(hours)d hours")
            % {"count": recent_mentions, "hours": conditions.growth_hours}
        )
    if conditions.terms or conditions.watch_people:
        watched = _watched(conditions, candidate, frozenset(people_terms))
        if not watched:
            return None
        reasons.append(_("mentions %(terms)s") % {"terms": ", ".join(watched)})
    return reasons
