"""What the mounted shop shares with its features: its state in the app, the setup each
feature's `init_app` gets, and URLs and pages built inside the shop's own blueprint and
Jinja environment (so a host's templates, filters and endpoints never meet the shop's)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

import flask
from flask import Blueprint, Config, Flask, current_app
from flask.cli import AppGroup
from flask.signals import before_render_template, template_rendered
from jinja2 import Environment, FileSystemLoader
from sqlalchemy.engine import Engine

BLUEPRINT = "storefront"
HERE = os.path.dirname(__file__)


@dataclass
class ShopState:
    """What the shop keeps in `app.extensions["storefront"]`."""

    settings: Config
    engine: Engine
    url_prefix: str
    jinja_env: Environment
    user_loader: Callable | None
    standalone: bool  # the shop's own app (create_app), not mounted in a host
    jobs: dict[str, Job] = field(default_factory=dict)  # what `storefront.worker` runs
    urls: dict[tuple, str] = field(default_factory=dict)  # see url_for

    def add_job(
        self,
        name: str,
        func: Callable[[], int],
        every: float | None = None,
        *,
        lease: float | None = None,
    ) -> Job:
        """Give the worker a job: `every=None` a drain job, run on every round by every
        worker (it claims its own work and returns how many items it handled, 0 when idle);
        `every=<seconds>` a periodic job, run at most once per interval across all workers.
        `lease`: how long a periodic run may take before another worker may start it again
        (default: the WORKER_LEASE_SECONDS setting)."""
        if name in self.jobs:
            raise ValueError(f"There is a job {name!r} already.")
        for label, value in (("every", every), ("lease", lease)):
            if value is not None and (isinstance(value, bool) or not value > 0):
                raise ValueError(f"Job {name!r}: {label} must be a positive number of seconds.")
        self.jobs[name] = job = Job(name, func, every, lease)
        return job


@dataclass(frozen=True)
class Job:
    """Deferred work the worker runs: a drain job (`every` None) or a periodic one."""

    name: str
    func: Callable[[], int]
    every: float | None = None
    lease: float | None = None

    @property
    def periodic(self) -> bool:
        return self.every is not None


class ShopSetup:
    """What each feature's `init_app` gets: the shop's part of the app, so a feature
    registers its blueprint, commands, settings and template helpers in the shop's rooms."""

    def __init__(self, app: Flask, blueprint: Blueprint, state: ShopState, cli: AppGroup):
        self.app = app
        self.blueprint = blueprint
        self.config = state.settings
        self.jinja_env = state.jinja_env
        self.extensions = app.extensions
        self.cli = cli
        self.standalone = state.standalone
        self._state = state

    def register_blueprint(self, blueprint: Blueprint) -> None:
        self.blueprint.register_blueprint(blueprint)

    def errorhandler(self, error: type[Exception] | int) -> Callable:
        def decorator(handler: Callable) -> Callable:
            self.blueprint.register_error_handler(error, handler)
            return handler

        return decorator

    def get(self, rule: str) -> Callable:
        return self.blueprint.get(rule)

    def add_job(
        self,
        name: str,
        func: Callable[[], int],
        every: float | None = None,
        *,
        lease: float | None = None,
    ) -> Job:
        """Deferred work for the worker (`flask worker`): see `ShopState.add_job`."""
        return self._state.add_job(name, func, every, lease=lease)


def url_for(endpoint: str, **values) -> str:
    """`flask.url_for` for the shop's endpoints: `catalog.home` is the shop's, wherever
    and under whatever prefix it is mounted.

    A page links to the same few dozen URLs on every request (a listing: 24 products, the
    categories, the static files), and building one costs Werkzeug some microseconds, so
    URLs built during a request are kept per app: the URL map does not change once the app
    serves, and the key holds all a URL depends on (the request's scheme and host, its
    script root, the endpoint, the values and options such as `_external`). Not kept:
    blueprint-relative endpoints, values that cannot be a key, and any app whose
    `url_defaults` functions could add values from the request."""
    if not endpoint.startswith((".", BLUEPRINT + ".")):
        endpoint = f"{BLUEPRINT}.{endpoint}"
    if endpoint[0] == "." or not flask.has_request_context():
        return flask.url_for(endpoint, **values)
    try:
        request = flask.request
        key = (request.host_url, request.script_root, endpoint, *sorted(values.items()))
        urls = state().urls
        url = urls.get(key)
    except TypeError:  # a list of values, say
        return flask.url_for(endpoint, **values)
    if url is None:
        url = flask.url_for(endpoint, **values)
        if fixed_urls(endpoint):
            if len(urls) >= MAX_KEPT_URLS:
                urls.clear()
            urls[key] = url
    return url


MAX_KEPT_URLS = 50_000


def fixed_urls(endpoint: str = "") -> bool:
    """No `url_defaults` function of the app or of the endpoint's blueprints (nested:
    storefront, storefront.catalog) runs for `endpoint`, or for any shop endpoint without
    one: the URLs built for it depend on nothing but their values and the script root."""
    functions = current_app.url_default_functions
    if not endpoint:
        return not any(functions.values())
    parts = endpoint.split(".")[:-1]
    names = [None] + [".".join(parts[: i + 1]) for i in range(len(parts))]
    return not any(functions.get(name) for name in names)


def render_template(template_name: str, /, **context) -> str:
    """A page from the shop's own templates, rendered in the shop's Jinja environment."""
    app = current_app._get_current_object()
    template = state().jinja_env.get_template(template_name)
    app.update_template_context(context)
    before_render_template.send(
        app, _async_wrapper=app.ensure_sync, template=template, context=context
    )
    page = template.render(context)
    template_rendered.send(app, _async_wrapper=app.ensure_sync, template=template, context=context)
    return page


def state() -> ShopState:
    return current_app.extensions["storefront"]


def shop_path() -> str:
    """The request's path inside the shop (without the mount prefix)."""
    return flask.request.path.removeprefix(state().url_prefix)


def jinja_env(app: Flask, settings: Config) -> Environment:
    env = app.create_jinja_environment()
    env.loader = FileSystemLoader(os.path.join(HERE, "templates"))
    env.globals.update(url_for=url_for, config=settings)
    return env
