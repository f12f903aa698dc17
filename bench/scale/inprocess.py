"""The API's own cost per request, beside wrk's figures: its test client in the bench's process.

The same app (`create_app` with the served API's settings) on the same database, no server and
no network: a median over a few hundred requests moves far less than wrk on a busy machine.
An HTML page is served as a server serves it, kept once rendered (api/http/page_cache.py), and
is measured rendered each time too, by an app keeping none: that is what the page's code costs,
and what its profile shows.
"""

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from flask.testing import FlaskClient

from api import create_app
from api.storage import database
from bench.scale.profiles import PROFILE_REQUESTS, profile_text
from bench.scale.run import Run, database_urls, log
from bench.scale.scenarios import HTML, Scenario, profile_name
from bench.scale.systems import api_config

REQUESTS = 300
WARMUP_REQUESTS = 30
MAX_SECONDS = 20  # fewer requests for a scenario slower than REQUESTS in this time


@dataclass
class InProcess:
    median_ms: float
    requests: int


class UnexpectedStatus(Exception):
    pass


def measure_in_process(run: Run) -> None:
    """Every API scenario of each database through the test client; with cProfile if wanted."""
    for database_name, url in database_urls(run).items():
        config = api_config(url, run.folder)
        served = create_app(config)
        rendering = create_app({**config, "PAGE_CACHE_BYTES": 0})
        try:
            for scenario in run.scenarios.get(database_name, []):
                clients = [served.test_client()]
                if scenario.kind == HTML:
                    clients.append(rendering.test_client())
                measure_scenario(run, database_name, scenario, *clients)
        finally:
            for app in (served, rendering):
                with app.app_context():
                    database.engine().dispose()


def measure_scenario(
    run: Run,
    database_name: str,
    scenario: Scenario,
    client: FlaskClient,
    rendering: FlaskClient | None = None,
) -> None:
    """Warm-up, the timed requests (rendered each time too, for a page), then (when profiles
    are written) the cProfile'd ones, of the page rendered."""
    log(run, f"in-process {database_name}: {scenario.label}")
    send = partial(send_request, client, scenario)
    try:
        for _ in range(WARMUP_REQUESTS):
            send()
        run.in_process[database_name, scenario.key] = time_requests(send)
        if rendering is not None:
            send = partial(send_request, rendering, scenario)
            for _ in range(WARMUP_REQUESTS):
                send()
            run.rendered_in_process[database_name, scenario.key] = time_requests(send)
        if run.profiles is not None:
            title = (
                f"# {scenario.label} on {database_name}: GET {scenario.path[:120]}"
                f"{', rendered each time' if rendering is not None else ''}\n"
                f"# cProfile over (at most) {PROFILE_REQUESTS} requests through the app's "
                f"test client, after {WARMUP_REQUESTS + REQUESTS} unprofiled ones "
                "(python -m bench.scale)"
            )
            name = profile_name(database_name, scenario.key)
            (run.profiles / f"{name}.txt").write_text(profile_text(title, send))
    except UnexpectedStatus as error:
        run.notes.append(f"In-process, {scenario.label} on {database_name} {error}.")


def send_request(client: FlaskClient, scenario: Scenario) -> None:
    """One GET of the scenario, its body read; its status must be the served one's."""
    response = client.get(scenario.path, headers=scenario.headers)
    response.get_data()
    response.close()
    if response.status_code != scenario.status:
        raise UnexpectedStatus(f"answered {response.status_code}, not {scenario.status}")


def time_requests(send: Callable[[], None]) -> InProcess:
    """The median time of REQUESTS calls (fewer if they take over MAX_SECONDS)."""
    times = []
    deadline = time.perf_counter() + MAX_SECONDS
    while len(times) < REQUESTS and (not times or time.perf_counter() < deadline):
        started = time.perf_counter()
        send()
        times.append(time.perf_counter() - started)
    return InProcess(statistics.median(times) * 1000, len(times))
