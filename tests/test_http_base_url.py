"""The public base URL (api/deps.py ``base_url``) on a real `epkg serve`: every URL the service
writes (VoID/DCAT, dumps, the SPARQL service description, REST answers' ``sparql_url``, the home
page's Link headers) comes from EPKG_BASE_URL or the listening address, never from the request's
Host or X-Forwarded-* headers; so a client can neither put its host in what others download nor
make the service build and keep a dump per host it names (memory measured on the main process).
A bad EPKG_BASE_URL stops `epkg serve` with exit 2 and a message naming it.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, FOAF, Namespace

from api.deps import base_url
from api.settings import Settings

from .servers import epkg_process, free_port

VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
DUMPS = ("ttl", "nt", "jsonld", "rdf", "trig", "nq")
CONFIGURED = "https://data.example.org/epkg"
ATTACKS = 40
ARGS = ("--workers", "1", "--timeout", "10")
WAIT = 120  # seconds: the first dump and description are built on demand, slowly on a busy machine


def rss_mb(pid: int) -> float:
    """The resident memory of a process, in MB (VmRSS of /proc/<pid>/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmRSS for process {pid}")


def hostile(i: int) -> dict[str, str]:
    """Headers of a client that names a host of its own, directly and as if through a proxy."""
    return {
        "Host": f"attacker-{i}.example:666",
        "X-Forwarded-Host": f"forwarded-{i}.example",
        "X-Forwarded-Proto": "gopher",
        "X-Forwarded-Port": "666",
        "Forwarded": f"host=forwarded-{i}.example;proto=gopher",
    }


@pytest.fixture(scope="module")
def default_server(tmp_path_factory):
    """A server with no EPKG_BASE_URL; its proxy (127.0.0.1) trusted, so forwarded headers count
    for what they may set (the client's address), and still name no URL."""
    with contextlib.ExitStack() as stack:
        with pytest.MonkeyPatch.context() as patch:  # unset while the server starts
            patch.delenv("EPKG_BASE_URL", raising=False)
            env = {"EPKG_FORWARDED_ALLOW_IPS": "127.0.0.1"}
            running = stack.enter_context(epkg_process(tmp_path_factory.mktemp("default"), *ARGS, env=env))
        yield running


@pytest.fixture(scope="module")
def configured_server(tmp_path_factory):
    env = {"EPKG_BASE_URL": CONFIGURED + "/"}  # the trailing slash is dropped
    with epkg_process(tmp_path_factory.mktemp("configured"), *ARGS, env=env) as running:
        yield running


def test_the_default_base_is_the_listening_address():
    assert base_url(Settings()) == "http://127.0.0.1:8000"
    assert base_url(Settings(host="localhost", port=9000)) == "http://localhost:9000"
    assert base_url(Settings(host="0.0.0.0", port=9000)) == "http://127.0.0.1:9000"
    assert base_url(Settings(host="::", port=9000)) == "http://[::1]:9000"
    assert base_url(Settings(host="::1", port=9000)) == "http://[::1]:9000"
    assert base_url(Settings(base_url="https://data.example.org/epkg/", port=9000)) == CONFIGURED


def test_forty_hosts_get_the_same_bytes_and_cost_no_memory(default_server):
    base, process = default_server
    with httpx.Client(base_url=base, timeout=WAIT) as client:
        # Built once (the dumps first, the description then states their sizes), then kept.
        reference = {path: client.get(path).content for path in ("/dump.nt", "/.well-known/void")}
        assert f"<{base}/dump.nt>".encode() in reference["/dump.nt"]
        assert f"<{base}/dump.nt>".encode() in reference["/.well-known/void"]
        before = rss_mb(process.pid)
        differing, leaked = [], []
        for i in range(ATTACKS):
            for path, expected in reference.items():
                response = client.get(path, headers=hostile(i))
                assert response.status_code == 200
                if response.content != expected:
                    differing.append((i, path))
                if any(name in response.content for name in (b"attacker-", b"forwarded-", b"gopher")):
                    leaked.append((i, path))
        after = rss_mb(process.pid)
    print(
        f"\nmain process RSS: {before:.1f} MB before {ATTACKS} x 2 requests with hostile Host and "
        f"X-Forwarded-* headers, {after:.1f} MB after: {after - before:+.1f} MB"
    )
    assert after - before < 20
    assert differing == [] and leaked == []


def test_no_url_in_answers_comes_from_the_host_header(default_server):
    base, _ = default_server
    with httpx.Client(base_url=base, timeout=WAIT, headers=hostile(0)) as client:
        home = client.get("/", headers={"Accept": "text/html"})
        assert f'<{base}/.well-known/void>; rel="describedby"' in home.headers["link"]
        assert "attacker" not in home.headers["link"] and "forwarded" not in home.headers["link"]
        described = Graph().parse(
            data=client.get("/sparql", headers={"Accept": "text/turtle"}).text, format="turtle"
        )
        assert set(described.objects(None, SD.endpoint)) == {URIRef(f"{base}/sparql")}
        answer = client.get("/api/minister-goals", params={"year": "2017"}).json()
        assert answer["sparql_url"].startswith(f"{base}/sparql?query=")


def test_a_configured_base_url_is_in_every_url_the_service_writes(configured_server):
    base, _ = configured_server
    with httpx.Client(base_url=base, timeout=WAIT, headers=hostile(1)) as client:
        home = client.get("/")
        assert home.headers["link"].startswith(f'<{CONFIGURED}/.well-known/void>; rel="describedby"')
        assert "127.0.0.1" not in home.headers["link"]

        for path in ("/.well-known/void", "/dataset"):  # VoID and DCAT: one description
            response = client.get(path, headers={"Accept": "text/turtle"})
            g = Graph().parse(data=response.text, format="turtle")
            assert {str(o) for o in g.objects(None, DCAT.downloadURL)} == {
                f"{CONFIGURED}/dump.{ext}" for ext in DUMPS
            }
            assert {str(o) for o in g.objects(None, VOID.sparqlEndpoint)} == {f"{CONFIGURED}/sparql"}
            assert {str(o) for o in g.objects(None, DCAT.endpointURL)} == {
                f"{CONFIGURED}/sparql",
                f"{CONFIGURED}/api/queries",
            }
            assert {str(o) for o in g.objects(None, FOAF.homepage)} == {f"{CONFIGURED}/"}
            assert base not in response.text
        page = client.get("/dataset", headers={"Accept": "text/html"}).text
        assert f'href="{CONFIGURED}/dump.nt"' in page and base not in page

        dump = client.get("/dump.nt")
        assert f"<{CONFIGURED}/dump.nt>".encode() in dump.content
        assert base.encode() not in dump.content and b"attacker" not in dump.content

        described = Graph().parse(
            data=client.get("/sparql", headers={"Accept": "text/turtle"}).text, format="turtle"
        )
        assert set(described.objects(None, SD.endpoint)) == {URIRef(f"{CONFIGURED}/sparql")}
        answer = client.get("/api/minister-goals", params={"year": "2017"}).json()
        assert answer["sparql_url"].startswith(f"{CONFIGURED}/sparql?query=")


@pytest.mark.parametrize("bad", ["ftp://x", "not a url", "http://x/?q=1", "http://x/#top", ""])
def test_a_bad_base_url_stops_epkg_serve_with_exit_2(bad):
    finished = subprocess.run(
        [sys.executable, "-m", "api.cli", "serve", "--host", "127.0.0.1", "--port", str(free_port())]
        + ["--skip-checks", "--log-level", "warning"],
        env={**os.environ, "EPKG_BASE_URL": bad},
        capture_output=True,
        text=True,
        timeout=WAIT,
    )
    assert finished.returncode == 2, finished.stderr[-2000:]
    assert f"EPKG_BASE_URL={bad!r}" in finished.stderr
    assert "Traceback" not in finished.stderr
