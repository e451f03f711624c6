"""Base URLs of the Minnesota Legislature sources, and rebasing of links onto them.

Source documents carry absolute links to the production hosts, often without a
scheme (``api.revisor.mn.gov/bills/v1/94/2025/0/HF/1/``).  :meth:`Sources.rebase`
points such links at the configured hosts, so that tests and mirrors can serve
the whole site from ``http://127.0.0.1:5123/...``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final
from urllib.parse import urljoin, urlsplit

REVISOR: Final = "revisor"
REVISOR_API: Final = "revisor_api"
HOUSE: Final = "house"
SENATE: Final = "senate"
LEG: Final = "leg"
LRL: Final = "lrl"

# Production host name -> the ``Sources`` field that replaces it.
PRODUCTION_HOSTS: Final[Mapping[str, str]] = {
    "www.revisor.mn.gov": REVISOR,
    "revisor.mn.gov": REVISOR,
    "api.revisor.mn.gov": REVISOR_API,
    "www.house.mn.gov": HOUSE,
    "house.mn.gov": HOUSE,
    "www.house.leg.state.mn.us": HOUSE,
    "house.leg.state.mn.us": HOUSE,
    "www.senate.mn": SENATE,
    "senate.mn": SENATE,
    "www.senate.leg.state.mn.us": SENATE,
    "www.leg.mn.gov": LEG,
    "leg.mn.gov": LEG,
    "www.lrl.mn.gov": LRL,
    "lrl.mn.gov": LRL,
}

_SCHEME_RE: Final = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
# A leading "host[:port]" with at least one dot and an alphabetic last label.
_HOST_RE: Final = re.compile(
    r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}(?::\d+)?$"
)


def add_scheme(url: str) -> str:
    """Return ``url`` with ``https://`` added when it has no scheme.

    ``//host/x`` becomes ``https://host/x``; ``host/x`` becomes ``https://host/x``;
    a URL that already has a scheme is returned unchanged (whitespace stripped).
    """
    url = url.strip()
    if _SCHEME_RE.match(url):
        return url
    if url.startswith("//"):
        return "https:" + url
    return "https://" + url


# Last labels that name a file rather than a top-level domain (``status.php``).
_FILE_SUFFIXES: Final = frozenset(
    "asp aspx cfm csv doc docx htm html jsp json pdf php rtf txt xml zip".split()
)


def _leading_host(url: str) -> str | None:
    """The host of a scheme-less URL such as ``www.house.mn.gov/x``, if it has one.

    A first segment that looks like a file name (``status.php``) is not a host.
    """
    head = re.split(r"[/?#]", url, maxsplit=1)[0]
    host = head.lower().split(":")[0]
    if host in PRODUCTION_HOSTS:
        return head
    if _HOST_RE.match(head) and host.rsplit(".", 1)[-1] not in _FILE_SUFFIXES:
        return head
    return None


@dataclass(frozen=True)
class Sources:
    """Base URLs (scheme, host and optional path, no trailing slash) of each source."""

    revisor: str = "https://www.revisor.mn.gov"
    revisor_api: str = "https://api.revisor.mn.gov"
    house: str = "https://www.house.mn.gov"
    senate: str = "https://www.senate.mn"
    leg: str = "https://www.leg.mn.gov"
    lrl: str = "https://www.lrl.mn.gov"

    def __post_init__(self) -> None:
        for name in (REVISOR, REVISOR_API, HOUSE, SENATE, LEG, LRL):
            value = getattr(self, name).strip().rstrip("/")
            if not _SCHEME_RE.match(value):
                raise ValueError(f"source base URL for {name} needs a scheme: {value!r}")
            object.__setattr__(self, name, value)

    def base_for(self, host: str) -> str | None:
        """The configured base URL replacing production ``host``, or None if unknown."""
        field = PRODUCTION_HOSTS.get(host.lower().rstrip(".").split(":")[0])
        return getattr(self, field) if field else None

    def _to_production(self, url: str) -> str:
        """Map a URL under a configured base back onto its production host.

        Joining a relative link onto the production form keeps any base path of
        the configured host (``http://127.0.0.1:5123/api``) when the link starts
        with ``/``.
        """
        url = url.strip()
        if not _SCHEME_RE.match(url) and (url.startswith("//") or _leading_host(url)):
            url = add_scheme(url)
        defaults = Sources()
        best: tuple[int, str] | None = None
        for name in (REVISOR, REVISOR_API, HOUSE, SENATE, LEG, LRL):
            configured = getattr(self, name)
            if url == configured or url.startswith((configured + "/", configured + "?")):
                if best is None or len(configured) > best[0]:
                    best = (len(configured), getattr(defaults, name) + url[len(configured) :])
        return best[1] if best else url

    def rebase(self, url: str, base: str | None = None) -> str:
        """Point a link found in a source document at the configured hosts.

        * a link (with or without scheme) to a known production host gets the
          configured base, keeping its own path, query and fragment;
        * a link to any other host gets ``https://`` if it has no scheme;
        * a relative path is joined onto ``base`` when given (``base`` may be a
          production URL or one already rebased), and returned unchanged otherwise.
        """
        url = url.strip()
        if _SCHEME_RE.match(url) or url.startswith("//"):
            absolute = add_scheme(url)
        elif not url.startswith(("/", ".", "?", "#")) and _leading_host(url):
            absolute = add_scheme(url)
        elif base and base.strip():
            absolute = urljoin(self._to_production(base), url)
            if not _SCHEME_RE.match(absolute):
                return absolute
        else:
            return url

        parts = urlsplit(absolute)
        if parts.scheme.lower() not in ("http", "https"):
            return absolute
        configured = self.base_for(parts.hostname or "")
        if configured is None:
            return absolute
        rebased = configured + parts.path
        if parts.query:
            rebased += "?" + parts.query
        if parts.fragment:
            rebased += "#" + parts.fragment
        return rebased


# The production sites, where the tracker scrapes unless configured otherwise
# (config.py's TRACKER_*_URL defaults are these).
PRODUCTION: Final = Sources()
