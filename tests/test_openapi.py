"""/openapi.json against a real server: a valid OpenAPI document that says what the service does.

- it passes openapi-spec-validator (unique operationIds among others);
- every operation has a description, an example (of its answer, and of each required
  parameter), a non-empty schema where it answers JSON, and its error responses in the one
  error shape (api/schemas.py ``ErrorBody``);
- what the server sends matches: every JSON answer to an operation's example call validates
  against the operation's schema, every JSON example against its schema, and a bad request on a
  sample of routes gets the documented status with a body of the error shape.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx
import pytest
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate

from api.routes.questions import RESERVED

from .servers import epkg_server

ERROR_REF = "#/components/schemas/ErrorBody"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    """A server of its own with a long time limit, so every example call answers however busy
    the machine is (the shared live_server stops queries at 3 s)."""
    with epkg_server(tmp_path_factory.mktemp("openapi"), "--timeout", "100", "--workers", "2") as base:
        with httpx.Client(base_url=base, timeout=200) as http:
            yield http


@pytest.fixture(scope="module")
def spec(client) -> dict[str, Any]:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, op) for path, methods in spec["paths"].items() for method, op in methods.items()]


def validator(spec: dict[str, Any], schema: dict[str, Any]) -> OAS31Validator:
    """A validator of ``schema`` whose $refs resolve against the document's components."""
    return OAS31Validator({**schema, "components": spec["components"]})


def example_of(parameter: dict[str, Any]) -> Any:
    if "example" in parameter:
        return parameter["example"]
    if parameter.get("examples"):
        return next(iter(parameter["examples"].values()))["value"]
    return None


def example_url(path: str, operation: dict[str, Any], every: bool = False) -> str:
    """The operation's path with its example parameters: the path's, and the required query
    parameters' (with ``every``, every query parameter with an example but the paging ones)."""
    query = []
    for parameter in operation.get("parameters", []):
        value = example_of(parameter)
        if parameter["in"] == "path":
            assert value is not None, (path, parameter["name"])
            path = path.replace("{" + parameter["name"] + "}", quote(str(value), safe="/"))
        elif parameter["in"] == "query" and value is not None:
            if parameter.get("required") or (every and parameter["name"] not in (*RESERVED, "lang")):
                for one in value if isinstance(value, list) else [value]:  # an array: repeated
                    query.append(f"{parameter['name']}={quote(str(one), safe='')}")
    return path + ("?" + "&".join(query) if query else "")


def test_the_document_passes_openapi_spec_validator(spec):
    validate(spec)  # raises on the first error
    ids = [op["operationId"] for _, _, op in operations(spec)]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert all(method in ("get", "post") for _, method, _ in operations(spec))  # HEAD: app.py, not listed
    assert spec["openapi"].startswith("3.1")


def test_every_operation_has_a_description_an_example_and_its_errors(spec):
    problems = []
    for path, method, op in operations(spec):
        label = f"{method.upper()} {path}"
        if not op.get("description", "").strip():
            problems.append(f"{label}: no description")
        success = op["responses"].get("200")
        if not success or not success.get("content"):
            problems.append(f"{label}: no 200 content")
            continue
        if not any("example" in c or "examples" in c for c in success["content"].values()):
            problems.append(f"{label}: no example of its answer")
        for parameter in op.get("parameters", []):
            if parameter.get("required") and example_of(parameter) is None:
                problems.append(f"{label}: parameter {parameter['name']} has no example")
            if not parameter.get("description"):
                problems.append(f"{label}: parameter {parameter['name']} has no description")
        json_content = success["content"].get("application/json")
        if json_content is not None and not json_content.get("schema"):
            problems.append(f"{label}: an empty JSON schema")
        errors = {status: r for status, r in op["responses"].items() if status[0] in "45"}
        if not errors:
            problems.append(f"{label}: no error response")
        for status, response in errors.items():
            if path == "/health" and status == "503":
                continue  # the health answer itself, with status 'store unavailable'
            content = response.get("content", {})
            if "application/json" in content and content["application/json"]["schema"] != {"$ref": ERROR_REF}:
                problems.append(f"{label}: {status} is not the error shape")
            if not content:
                problems.append(f"{label}: {status} has no content")
    assert not problems, "\n".join(problems)
    assert set(spec["components"]["schemas"]["ErrorBody"]["required"]) == {"status", "error", "message"}
    assert "HTTPValidationError" not in spec["components"]["schemas"]  # a bad parameter is a 400 here


def test_every_json_example_matches_its_schema(spec):
    checked = 0
    for path, method, op in operations(spec):
        for status, response in op["responses"].items():
            for media_type, content in response.get("content", {}).items():
                if not media_type.endswith("json") or "schema" not in content:
                    continue
                examples = [content["example"]] if "example" in content else []
                examples += [e["value"] for e in content.get("examples", {}).values()]
                for example in examples:
                    errors = list(validator(spec, content["schema"]).iter_errors(example))
                    assert not errors, (method, path, status, media_type, errors[0].message)
                    if content["schema"] == {"$ref": ERROR_REF}:
                        assert example["status"] == int(status), (path, status)
                    checked += 1
    assert checked >= 100


def test_every_json_answer_matches_its_schema(spec, client):
    checked = []
    for path, method, op in operations(spec):
        schema = op["responses"].get("200", {}).get("content", {}).get("application/json", {}).get("schema")
        if method != "get" or not schema:
            continue
        for url in {example_url(path, op), example_url(path, op, every=True)}:
            response = client.get(url, timeout=200)
            assert response.status_code == 200, (url, response.text[:300])
            assert response.headers["content-type"].startswith("application/json")
            body = response.json()
            errors = list(validator(spec, schema).iter_errors(body))
            assert not errors, (url, errors[0].json_path, errors[0].message)
            checked.append(path)
            content = op["responses"]["200"]["content"]["application/json"]
            if "examples" in content and body.get("items"):  # the abridged example: the items' keys
                example = content["examples"]["abridged"]["value"]
                assert set(example["items"][0]) == set(body["items"][0]), url
                assert example["question"] == body["question"], url
    assert len(set(checked)) >= 30  # /health, /api/queries, every question and friendly route


def test_the_example_calls_answer(spec, client):
    """Each operation's example parameters are good ones: its example call is a 200."""
    for path, method, op in operations(spec):
        if method == "get":
            url = example_url(path, op, every=True)
            assert client.get(url, timeout=200).status_code == 200, url


# (method, URL, request keywords, the status the server sends)
BAD_REQUESTS = [
    ("get", "/api/queries/minister-goals?year=next", {}, 400),
    ("get", "/api/minister-goals?year=2030", {}, 404),
    ("get", "/api/municipalities/999", {}, 404),
    ("get", "/api/municipalities?limit=0", {}, 400),
    ("get", "/api/municipalities", {"headers": {"Accept": "application/pdf"}}, 406),
    ("get", "/api/minister-goals/99/answers", {}, 404),
    ("get", "/api/minister-goals/2017/4/answers?kind=nothing", {}, 400),
    ("get", "/sparql?query=SELEC", {}, 400),
    ("get", "/sparql?query=ASK%7B%7D&format=pdf", {}, 406),
    ("post", "/sparql", {"content": b"ASK {}", "headers": {"Content-Type": "text/plain"}}, 415),
    (
        "post",
        "/sparql",
        {"content": b"ASK {} #" + b"x" * 1_000_000, "headers": {"Content-Type": "application/sparql-query"}},
        413,
    ),
    ("get", "/dump.xlsx", {}, 404),
    ("get", "/dump", {"headers": {"Accept": "application/pdf"}}, 406),
    ("get", "/graph/no-such-graph", {}, 404),
    ("get", "/graph/a%01b", {}, 400),
    ("get", "/dataset?format=pdf", {}, 406),
    ("get", "/ontology/0.0.1", {}, 404),
    ("get", "/nothing/here", {"headers": {"Accept": "text/turtle"}}, 404),
    ("get", "/minister-goal/2017/4", {"headers": {"Accept": "application/pdf"}}, 406),
    ("get", "/answer.pdf?year=2017&number=4", {}, 404),
    ("get", "/answer.csv", {}, 400),
    ("get", "/sources/nothing.css", {}, 404),
]
# The same refusals as HTML pages: a person reads them.
BAD_PAGES = [
    ("get", "/answer", {}, 400),
    ("get", "/answer?year=2017&number=99", {}, 404),
    ("get", "/years/2030", {}, 404),
    ("get", "/?year=2030", {}, 404),
    ("get", "/query?example=nothing", {}, 404),
    ("get", "/nothing/here", {"headers": {"Accept": "text/html"}}, 404),
]


def operation_of(spec: dict[str, Any], method: str, url: str) -> tuple[str, dict[str, Any]]:
    """The documented operation a URL's path falls to, as the router matches it (in order)."""
    import re

    path = url.split("?")[0]
    for template, methods in spec["paths"].items():
        pattern = re.sub(r"\\\{path\\\}", ".+", re.escape(template))
        pattern = re.sub(r"\\\{(document)\\\}", ".+", pattern)
        pattern = re.sub(r"\\\{[a-z_]+\\\}", "[^/]+", pattern)
        if re.fullmatch(pattern, path) and method in methods:
            return template, methods[method]
    raise AssertionError(f"no operation for {method} {url}")


@pytest.mark.parametrize("method,url,kwargs,status", BAD_REQUESTS, ids=[f"{b[0]} {b[1][:50]}" for b in BAD_REQUESTS])
def test_a_bad_request_gets_its_documented_status_and_the_error_shape(spec, client, method, url, kwargs, status):
    response = client.request(method, url, timeout=200, **kwargs)
    template, op = operation_of(spec, method, url)
    assert response.status_code == status, (url, response.text[:300])
    documented = op["responses"].get(str(status))
    assert documented and "application/json" in documented["content"], (template, status, list(op["responses"]))
    body = response.json()
    errors = list(validator(spec, {"$ref": ERROR_REF}).iter_errors(body))
    assert not errors and body["status"] == status and body["message"], body


@pytest.mark.parametrize("method,url,kwargs,status", BAD_PAGES, ids=[f"{b[0]} {b[1]}" for b in BAD_PAGES])
def test_a_bad_page_request_gets_its_documented_status_as_a_page(spec, client, method, url, kwargs, status):
    response = client.request(method, url, timeout=200, **kwargs)
    template, op = operation_of(spec, method, url)
    assert response.status_code == status, (url, response.text[:300])
    assert response.headers["content-type"].startswith("text/html")
    documented = op["responses"].get(str(status))
    assert documented and "text/html" in documented["content"], (template, status, list(op["responses"]))
