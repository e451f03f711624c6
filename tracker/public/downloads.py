"""Public downloads: spreadsheets, PDFs, charts and share images of published
scorecards.  Only published versions are served; unknown ids and drafts are
404, out-of-range chart sizes 400, both before any export work is done.
Outputs are cached (``tracker.exports.cache``) until the next publish.

PDFs, charts, maps and share images are in the request's language (``?lang=es``, else
the remembered choice or the browser's: ``tracker.i18n``) and cached per language;
the spreadsheets are one format, in English, whatever the language."""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, abort, request, url_for
from flask_babel import gettext
from sqlalchemy import select

from tracker import charts, headline, i18n, maps, snapshots
from tracker.exports import MEDIA_TYPES, ExportData, cache, export_data, shown, slug
from tracker.extensions import db
from tracker.models import LegislativeSession, Person
from tracker.public import bp
from tracker.settings import current
from tracker.snapshots import Row, Snapshot

MAX_AGE = 300
CHART_FORMATS = {"png": "image/png", "svg": "image/svg+xml"}
CHART_KINDS = ("distribution", "house", "senate")


# ---------------------------------------------------------------- lookups


def version_or_404(public_id: str) -> Snapshot:
    """The published version named in the URL (``?version=N`` or the latest)."""
    number = request.args.get("version")
    if len(public_id) > 64 or (number is not None and (not number.isdigit() or len(number) > 6)):
        abort(404, description=gettext("There is no such published scorecard."))
    snap = snapshots.published(public_id, int(number) if number else None)
    if snap is None:
        abort(404, description=gettext("There is no such published scorecard."))
    return snap


def person_or_404(public_id: str) -> Person:
    if len(public_id) > 64:
        abort(404, description=gettext("No legislator has that id."))
    person: Person | None = db.session.scalar(select(Person).where(Person.public_id == public_id))
    if person is None:
        abort(404, description=gettext("No legislator has that id."))
    return person


def legislator_version(person: Person) -> Snapshot:
    """``?scorecard=<id>`` (published, and including this legislator) or the
    latest published scorecard that includes them."""
    wanted = request.args.get("scorecard")
    if wanted is not None:
        snap = version_or_404(wanted)
        if snap.row(person.id) is not None:
            return snap
        abort(404, description=gettext("That scorecard does not include this legislator."))
    for snap, _ in headline.ordered(person.id):
        return snap
    abort(404, description=gettext("No published scorecard includes this legislator yet."))


def legislator_data(person: Person) -> tuple[ExportData, Row]:
    data = export_data(legislator_version(person), person_ids=[person.id])
    return data, data.rows[0]


def chart_size(default: tuple[float, float | None]) -> tuple[float, float | None]:
    """``?width=&height=`` in pixels, checked before anything is drawn (400)."""
    values: list[int | None] = []
    for name in ("width", "height"):
        raw = request.args.get(name)
        if raw is None or raw == "":
            values.append(None)
        elif not raw.isdigit() or len(raw) > 5:
            abort(400, description=f"{name} must be a whole number of pixels.")
        else:
            values.append(int(raw))
    try:
        return charts.size_in_inches(values[0], values[1], default=default)
    except charts.ChartSizeError as exc:
        abort(400, description=str(exc))


def send(
    data: bytes,
    fmt: str,
    filename: str | None = None,
    *,
    inline: bool = False,
    localized: bool = False,
) -> Response:
    """``localized``: the words are in the request's language, which a shared cache
    must tell apart (the language can come from the cookie or the browser)."""
    response = Response(data, mimetype=MEDIA_TYPES[fmt])
    if filename:
        disposition = "inline" if inline else "attachment"
        response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    if localized:
        response.vary.update(("Accept-Language", "Cookie"))
    return response


def in_language(name: str) -> str:
    """A cache key for an output in the request's language: English keeps its old
    key, another language gets its own (``es-share.png``)."""
    code = i18n.current()
    return name if code == i18n.DEFAULT else f"{code}-{name}"


def _key(snap: Snapshot, name: str) -> str:
    return f"{snap.card.public_id}-v{snap.version.number}-{name}"


def _file(snap: Snapshot, suffix: str) -> str:
    return f"{slug(snap.version.title)}-v{snap.version.number}{suffix}"


def _whole(
    snap: Snapshot, build: Callable[[ExportData], bytes], name: str, *, with_maps: bool = False
) -> bytes:
    return cache.cached(_key(snap, name), lambda: build(export_data(snap, with_maps=with_maps)))


# ---------------------------------------------------------------- scorecards


@bp.get("/scorecards/<public_id>/scorecard.csv")
def scorecard_csv(public_id: str) -> Response:
    from tracker.exports.spreadsheets import wide_csv

    version = version_or_404(public_id)
    return send(_whole(version, wide_csv, "wide.csv"), "csv", _file(version, ".csv"))


@bp.get("/scorecards/<public_id>/votes.csv")
def scorecard_votes_csv(public_id: str) -> Response:
    from tracker.exports.spreadsheets import long_csv

    version = version_or_404(public_id)
    return send(_whole(version, long_csv, "long.csv"), "csv", _file(version, "-votes.csv"))


@bp.get("/scorecards/<public_id>/scorecard.xlsx")
def scorecard_xlsx(public_id: str) -> Response:
    from tracker.exports.spreadsheets import to_xlsx

    version = version_or_404(public_id)
    return send(_whole(version, to_xlsx, "book.xlsx"), "xlsx", _file(version, ".xlsx"))


@bp.get("/scorecards/<public_id>/scorecard.pdf")
def scorecard_pdf(public_id: str) -> Response:
    from tracker.exports.pdf import scorecard_pdf as build

    version = version_or_404(public_id)
    return send(
        _whole(version, build, in_language("scorecard.pdf"), with_maps=True),
        "pdf",
        _file(version, ".pdf"),
        localized=True,
    )


@bp.get("/scorecards/<public_id>/share.png")
def scorecard_share_image(public_id: str) -> Response:
    from tracker.exports.cards import scorecard_image

    version = version_or_404(public_id)
    data = cache.cached(
        _key(version, in_language("share.png")),
        lambda: scorecard_image(export_data(version, with_lifetime=False)),
    )
    return send(data, "png", localized=True)


@bp.get("/scorecards/<public_id>/charts/<kind>.<fmt>")
def scorecard_chart(public_id: str, kind: str, fmt: str) -> Response:
    if kind not in CHART_KINDS or fmt not in CHART_FORMATS:
        abort(404, description=gettext("There is no such chart."))
    default = (7.0, 3.6) if kind == "distribution" else (7.0, None)
    width, height = chart_size(default)
    version = version_or_404(public_id)

    def build() -> bytes:
        view = version
        if kind == "distribution":
            return charts.score_distribution(
                view.scores_by_party(),
                title=gettext("%(title)s: score distribution", title=version.version.title),
                fmt=fmt,
                width=width,
                height=height or 3.6,
            )
        rows = [r for r in view.rows if r.chamber == kind]
        if not rows:
            abort(404, description=gettext("This scorecard has no such chamber."))
        title = (
            gettext("%(title)s: House scores", title=version.version.title)
            if kind == "house"
            else gettext("%(title)s: Senate scores", title=version.version.title)
        )
        return charts.ranked_bars(
            [(f"{r.person.name} ({r.district})", r.display, r.party) for r in rows],
            title=title,
            fmt=fmt,
            width=width,
            height=height,
        )

    data = cache.cached(_key(version, in_language(f"chart-{kind}-{width}x{height}.{fmt}")), build)
    return send(data, fmt, localized=True)


@bp.get("/scorecards/<public_id>/map.<fmt>")
def scorecard_map(public_id: str, fmt: str) -> Response:
    """The districts coloured by score: ``?chamber=house|senate`` (the scorecard's
    first chamber by default); 404 when no boundaries are loaded for it."""
    if fmt not in CHART_FORMATS:
        abort(404, description=gettext("There is no such map."))
    version = version_or_404(public_id)
    chambers = [c for c in ("house", "senate") if any(r.chamber == c for r in version.rows)]
    chamber = request.args.get("chamber") or (chambers[0] if chambers else "house")
    if chamber not in chambers:
        abort(404, description=gettext("This scorecard has no such chamber."))

    def build() -> bytes:
        try:
            data = maps.MapData.of(version, chamber, current().org_colors[0])
        except maps.MapError as exc:
            abort(404, description=gettext("No map: %(reason)s.", reason=exc))
        if fmt == "png":
            return maps.png(data)
        return maps.svg(
            data, link=lambda row: url_for("public.legislator", public_id=row.person.public_id)
        ).encode()

    data = cache.cached(_key(version, in_language(f"map-{chamber}.{fmt}")), build)
    return send(data, fmt, localized=True)


# ---------------------------------------------------------------- legislators


@bp.get("/legislators/<public_id>/share.png")
def legislator_share_image(public_id: str) -> Response:
    from tracker.exports.cards import share_image

    person = person_or_404(public_id)
    version = legislator_version(person)

    def build() -> bytes:
        data = export_data(version, person_ids=[person.id], with_lifetime=False)
        return share_image(data, data.rows[0])

    return send(
        cache.cached(_key(version, in_language(f"share-{person.public_id}.png")), build),
        "png",
        localized=True,
    )


@bp.get("/legislators/<public_id>/scorecard.pdf")
def legislator_pdf(public_id: str) -> Response:
    import hashlib

    from tracker.exports.pdf import legislator_asks
    from tracker.exports.pdf import legislator_pdf as build_pdf

    person = person_or_404(public_id)
    version = legislator_version(person)
    # The current ask: open alerts end at their deadline without a data change, so
    # the cached file is keyed on the ask itself too.
    ask = legislator_asks([person.id]).get(person.id)
    asked = f"-ask-{hashlib.sha256(ask.encode()).hexdigest()[:12]}" if ask else ""

    def build() -> bytes:
        data = export_data(version, person_ids=[person.id])
        data.ask = ask
        return build_pdf(data, data.rows[0])

    data = cache.cached(
        _key(version, in_language(f"legislator-{person.public_id}{asked}.pdf")), build
    )
    return send(
        data,
        "pdf",
        f"{slug(person.name)}-{slug(version.version.title)}-v{version.version.number}.pdf",
        localized=True,
    )


@bp.get("/legislators/<public_id>/record.<fmt>")
def legislator_record_chart(public_id: str, fmt: str) -> Response:
    if fmt not in CHART_FORMATS:
        abort(404, description=gettext("There is no such chart."))
    width, height = chart_size((7.0, 3.2))
    person = person_or_404(public_id)

    def build() -> bytes:
        return charts.record_over_time(
            record_points(person),
            title=gettext("%(name)s: scores", name=person.name),
            fmt=fmt,
            width=width,
            height=height or 3.2,
        )

    data = cache.cached(in_language(f"record-{person.public_id}-{width}x{height}.{fmt}"), build)
    return send(data, fmt, localized=True)


def record_points(person: Person) -> list[tuple[str, float | None]]:
    """The legislator's displayed score on each published scorecard, oldest first."""
    points: list[tuple[str, float | None]] = []
    for snap, row in sorted(
        snapshots.for_person(person.id),
        key=lambda pair: (
            sorted(pair[0].methodology.get("sessions") or []),
            pair[0].version.published_at,
        ),
    ):
        points.append((snap.version.title, shown(row.score)))
    return points


# ---------------------------------------------------------------- sessions


@bp.get("/sessions/<identifier>/votes.csv")
def session_votes_csv(identifier: str) -> Response:
    """Every roll call and member vote of a session (bulk CSV)."""
    from tracker.exports.spreadsheets import session_csv

    session = db.session.scalar(
        select(LegislativeSession).where(LegislativeSession.identifier == identifier[:20])
    )
    if session is None:
        abort(404, description=gettext("There is no such session."))
    data = cache.cached(
        f"session-{session.identifier}.csv",
        lambda: session_csv(session),
        namespace=f"session-{session.identifier}",
    )
    return send(data, "csv", f"votes-{slug(session.identifier)}.csv")
