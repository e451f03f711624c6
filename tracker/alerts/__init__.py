"""Vote pressure: action alerts before scored votes, and the follow-up after.

Import from here (``from tracker import alerts``); the modules, by job:

* ``lifecycle``      create, edit, review, publish and close alerts; their targets,
                     stale-edit refusals, the audit trail; the roll call an alert is
                     about; whether an alert is open
* ``placeholders``   ``{legislator}``, ``{district}``, ``{bill}``, ``{position}`` in
                     call scripts and email templates; ``mailto:`` links
* ``tally``          "I called" / "I emailed" counts, the browser receipt
* ``subscriptions``  sign-up with double opt-in, confirmation and unsubscribe
                     tokens, unsubscribing, bounces
* ``outbox``         queueing alert and follow-up emails, claiming, at-most-once
                     sending, recovery of interrupted sends (the ``mail`` job)
* ``smtp``           the SMTP transport and its failure classes
* ``standing``       where each targeted legislator stands; what the vote does to
                     the score
* ``report``         the pressure report, its CSV and chart
* ``demo``           demo alerts
* ``common``         the refusal error, public links, outbox rows
"""

from tracker.alerts.common import PressureError, external, public_urls
from tracker.alerts.demo import DEMO_EMAIL, DEMO_SCRIPT, load_demo_alerts, remove_demo_alerts
from tracker.alerts.lifecycle import (
    TRANSLATED_FIELDS,
    AlertInput,
    alert_state,
    auto_link_roll_calls,
    close_alert,
    committee_roll_call,
    committee_voters,
    create_alert,
    link_roll_call,
    mark_reviewed,
    publish_alert,
    refuse_unless_open,
    roll_call_candidates,
    seat,
    seated,
    update_alert,
)
from tracker.alerts.mailstate import MailState, mail_state
from tracker.alerts.outbox import (
    IN_DOUBT,
    MAX_ATTEMPTS,
    STALE_SENDING_SECONDS,
    BatchResult,
    build_email,
    outbox_counts,
    queue_alert_messages,
    queue_followups,
    queue_pending,
    recover_interrupted,
    run_mail_job,
    send_batch,
    worker_name,
)
from tracker.alerts.placeholders import (
    ASK_LABELS,
    PLACEHOLDER,
    PLACEHOLDERS,
    alert_ask,
    check_template,
    fill,
    localized_fill,
    mailto,
    position_text,
)
from tracker.alerts.report import (
    CSV_COLUMNS,
    Report,
    ReportRow,
    pressure_report,
    report_chart,
    report_csv,
)
from tracker.alerts.standing import Stance, score_effect, stances
from tracker.alerts.subscriptions import (
    CONFIRM_MAX_AGE,
    CONFIRM_RESEND_SECONDS,
    confirm,
    confirm_token,
    normalize_email,
    queue_confirmation,
    read_confirm_token,
    read_unsubscribe_token,
    record_bounce,
    subscribe,
    unsubscribe,
    unsubscribe_token,
)
from tracker.alerts.tally import (
    ADDRESS_CAP,
    ALREADY,
    COUNTED,
    TALLY_COOKIE,
    TALLY_COOKIE_MAX_AGE,
    action_token,
    browser_from_cookie,
    browser_key,
    new_browser_cookie,
    record_action,
    tallies,
)

__all__ = [
    "MailState",
    "mail_state",
    "ADDRESS_CAP",
    "ALREADY",
    "COUNTED",
    "action_token",
    "ASK_LABELS",
    "CONFIRM_MAX_AGE",
    "CONFIRM_RESEND_SECONDS",
    "CSV_COLUMNS",
    "DEMO_EMAIL",
    "DEMO_SCRIPT",
    "IN_DOUBT",
    "MAX_ATTEMPTS",
    "PLACEHOLDER",
    "PLACEHOLDERS",
    "STALE_SENDING_SECONDS",
    "TALLY_COOKIE",
    "TALLY_COOKIE_MAX_AGE",
    "TRANSLATED_FIELDS",
    "AlertInput",
    "BatchResult",
    "PressureError",
    "Report",
    "ReportRow",
    "Stance",
    "alert_ask",
    "alert_state",
    "auto_link_roll_calls",
    "committee_roll_call",
    "committee_voters",
    "browser_from_cookie",
    "browser_key",
    "build_email",
    "check_template",
    "close_alert",
    "confirm",
    "confirm_token",
    "create_alert",
    "external",
    "fill",
    "link_roll_call",
    "load_demo_alerts",
    "localized_fill",
    "mailto",
    "mark_reviewed",
    "new_browser_cookie",
    "normalize_email",
    "outbox_counts",
    "position_text",
    "pressure_report",
    "public_urls",
    "publish_alert",
    "queue_alert_messages",
    "queue_confirmation",
    "queue_followups",
    "queue_pending",
    "read_confirm_token",
    "read_unsubscribe_token",
    "record_action",
    "record_bounce",
    "recover_interrupted",
    "refuse_unless_open",
    "remove_demo_alerts",
    "report_chart",
    "report_csv",
    "roll_call_candidates",
    "run_mail_job",
    "score_effect",
    "seat",
    "seated",
    "send_batch",
    "stances",
    "subscribe",
    "tallies",
    "unsubscribe",
    "unsubscribe_token",
    "update_alert",
    "worker_name",
]
