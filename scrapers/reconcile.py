"""The verification rule for one roll call (README: "verification rule").

A roll call is **verified** when, and only when:

1. the page lists exactly ``yeas`` affirmative names and ``nays`` negative names;
2. every printed name resolved to one person seated in that chamber that day
   (:func:`scrapers.names.resolve_names`);
3. no person resolved twice (once in each list, or twice in one list); and
4. every resolved person is among ``seated`` (the members seated that day).

Members seated that day who appear in neither list are **not voting**.  When
``yeas + nays + len(not_voting)`` differs from the number of members seated,
the reason "The tally does not reconcile with the N members seated: ..." is
added, and ``Verification.reconciles`` is False.  That item never blocks by
itself, and it cannot occur on its own: when rules 1-4 hold, every voter is a
distinct seated member and the printed tallies equal the voters, so the sum is
exactly the members seated.  It therefore appears only beside a blocking reason
(a list that disagrees with its tally, or a voter outside ``seated``), as the
arithmetic staff see on the data-quality page.

Pure: no database, no I/O.  Reasons are sentences for the staff data-quality page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scrapers.names import NameResolution, Seat
from scrapers.vote_records import ParsedRollCall

__all__ = ["Verification", "verify"]


@dataclass(frozen=True)
class Verification:
    verified: bool
    reasons: tuple[str, ...]  # every problem found, blocking or not, in a stable order
    not_voting: tuple[str, ...]  # person keys seated that day in neither list, seat order
    reconciles: bool = True  # yeas + nays + not voting == members seated


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def verify(
    roll_call: ParsedRollCall, resolution: NameResolution, seated: Sequence[Seat]
) -> Verification:
    """Apply the verification rule (module docstring) to a parsed roll call.

    ``resolution`` must cover ``roll_call.yes_names + roll_call.no_names``
    resolved for the roll call's chamber and date; ``seated`` is
    :func:`scrapers.names.seated_on` for the same chamber and date.
    """
    blocking: list[str] = []
    yes_count, no_count = len(roll_call.yes_names), len(roll_call.no_names)
    if yes_count != roll_call.yeas:
        blocking.append(
            f"The page lists {_plural(yes_count, 'affirmative name', 'affirmative names')} "
            f"but the tally says {_plural(roll_call.yeas, 'yea', 'yeas')}."
        )
    if no_count != roll_call.nays:
        blocking.append(
            f"The page lists {_plural(no_count, 'negative name', 'negative names')} "
            f"but the tally says {_plural(roll_call.nays, 'nay', 'nays')}."
        )

    seated_keys: list[str] = []
    for seat in seated:
        if seat.person_key not in seated_keys:
            seated_keys.append(seat.person_key)
    seated_set = set(seated_keys)

    voters: set[str] = set()
    reported_unmatched: set[str] = set()
    for name in (*roll_call.yes_names, *roll_call.no_names):
        printed = " ".join(name.split())
        if printed in resolution.matched:
            person = resolution.matched[printed]
            voters.add(person)
            if person not in seated_set:
                blocking.append(
                    f"The printed name {printed!r} resolved to {person}, who is not among "
                    "the members seated that day."
                )
        elif printed not in reported_unmatched:
            reported_unmatched.add(printed)
            reason = resolution.unmatched.get(printed, "it was not looked up")
            blocking.append(f"The printed name {printed!r} is not matched: {reason}.")
    for person, names in resolution.duplicates.items():
        listed = " and ".join(repr(n) for n in names)
        blocking.append(f"{listed} both resolve to the same member ({person}).")

    not_voting = tuple(k for k in seated_keys if k not in voters)
    total = roll_call.yeas + roll_call.nays + len(not_voting)
    reconciles = total == len(seated_keys)
    reasons = list(blocking)
    if not reconciles:
        reasons.append(
            f"The tally does not reconcile with the {len(seated_keys)} members seated: "
            f"{roll_call.yeas} yeas + {roll_call.nays} nays + {len(not_voting)} not voting "
            f"= {total}."
        )
    return Verification(
        verified=not blocking,
        reasons=tuple(reasons),
        not_voting=not_voting,
        reconciles=reconciles,
    )
