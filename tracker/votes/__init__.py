"""Roll-call votes, member by member, for both chambers: fetch, store, verify.

* :mod:`tracker.votes.house` - the House vote pages;
* :mod:`tracker.votes.senate` - the Senate journal PDFs;
* :mod:`tracker.votes.storage` - identity, upsert, links to actions;
* :mod:`tracker.votes.verification` - names to people, the verification rule,
  not voting and excused;
* :mod:`tracker.votes.staff` - name mappings, verification by hand;
* :mod:`tracker.votes.run` - ``tracker scrape votes``.

The journal rolls of the days the roll calls were taken are read on the way
(``tracker.journals``), so who was seated comes from the record
(``tracker.roster``, ``tracker.seats``).
"""

from tracker.votes.run import scrape_votes
from tracker.votes.staff import (
    MIN_HAND_REASON,
    VotesError,
    map_name,
    reverify,
    reverify_days,
    verify_by_hand,
)
from tracker.votes.storage import kind_of, outcome_of, store_house_page, store_senate_roll_call
from tracker.votes.verification import Context, apply_votes

__all__ = [
    "MIN_HAND_REASON",
    "Context",
    "VotesError",
    "apply_votes",
    "kind_of",
    "map_name",
    "outcome_of",
    "reverify",
    "reverify_days",
    "scrape_votes",
    "store_house_page",
    "store_senate_roll_call",
    "verify_by_hand",
]
