"""A fake ESP on 127.0.0.1 that checks requests the way the real APIs do.

Each ``Api`` knows its ESP's routes (method, path, query, JSON body), how the key must
arrive (raw header, Bearer, Basic, ``api-key``, or a SigV4 signature verified with
botocore), what its error bodies look like, and how it says "too many requests" (the
body and rate-limit headers each provider documents; see ``LIMITED``). A ``FakeEsp``
serves one ``Api`` from a thread and can be told to answer ``success``, ``401``,
``404``, ``429``, ``500``, to ``hang`` past the client's timeout, to ``redirect``, or to
``echo-key`` (an error that quotes the key back, to test redaction). ``reply`` makes
it give one exact answer (status, body, headers) to any authenticated request, and
``drip`` sends every answer one byte at a time, that many seconds apart (a slow
server or proxy).

Sources of the documented bodies and headers (quoted in the contract tests too):

- SendGrid 429: twilio.com/docs/sendgrid/api-reference/how-to-use-the-sendgrid-v3-api/
  rate-limits (body verbatim, trailing comma included: it is not valid JSON as printed);
  a second status on a paused batch is a 400 (twilio/sendgrid-oai
  ``spec/yaml/tsg_scheduled_sends_v3.yaml``, CreateScheduledSend).
  Other errors: the same file's ErrorResponse (``errors: [{message, field, help}]``, for
  400/401/403/404) and ScheduledSends500 (``errors: [{message}]``, no ``field``); texts
  from the spec's examples: ``tsg_lmc_campaigns_v3.yaml`` 401 "authorization required",
  ``tsg_ip_warmup_v3.yaml`` 404 "resource not found", ``tsg_email_activity_v3.yaml`` 500
  "internal server error".
- Mailgun 429: mailgun/documentation ``source/api-sending.rst`` ("try again after
  <date>") and ``source/api-domains.rst`` (``{"retry-seconds": 60,}``, verbatim).
  Other errors: ``source/api-sending.rst`` "Error codes" table (401 "Forbidden", 404
  "Domain not found: example.com", 500 "Internal Server Error"), as ``{"message": ...}``
  (``source/api-domains.rst`` "Sample response 401"); the 401 comes as a bare string, which
  the official client accepts as a body (mailgun/mailgun.js ``lib/Classes/common/Error.ts``,
  ``typeof body === 'string'``).
- Brevo: developers.brevo.com/docs/limit-headers (``x-sib-ratelimit-*``); ErrorModel
  ``{code, message}`` from getbrevo/brevo-python ``brevo_python/models/error_model.py``
  (``code`` one of its enum: ``bad_request``, ``unauthorized``, ``document_not_found``);
  texts from the "Possible responses" table in the client's module docstrings (401
  "Authentication Needed", 404 "Object does not exist"). That table has no 5xx and the
  enum no code for one: the 500 body carries a message only (the HTTP reason phrase).
- SparkPost: SparkPost/developers.sparkpost.com ``content/api/index.apib`` (429, no header: "wait
  1 to 5 seconds"; "Errors": ``{"errors": [{message, description, code}]}``, and the
  error table's 500 text) and ``transmissions.apib`` (409 code 2003, verbatim; 404
  "resource not found", code "1600"); 401 ``{"errors": [{"message": "Unauthorized"}]}``
  with no code, from ``relay-webhooks.apib``. No other status has a documented code.
- Amazon SES: botocore ``data/sesv2/2019-09-27/service-2.json`` (BadRequestException 400,
  NotFoundException 404, TooManyRequestsException 429, InternalServiceErrorException 500,
  their texts from the shapes' documentation) read the way ``botocore/parsers.py``
  (RestJSONParser) reads rest-json errors: ``message`` or ``Message`` in the body, the
  type from the ``x-amzn-ErrorType`` header; a rejected key or signature is
  UnrecognizedClientException, HTTP 403 (the JSON services' common errors, e.g.
  docs.aws.amazon.com/awsconsolehelpdocs/latest/gsg/common-errors.html). A known key id
  with a wrong secret key is SignatureDoesNotMatch, 403, with the text SES answered in
  real reports: nodemailer/nodemailer-ses-transport#10 (code and message as JSON),
  andrewpuch/aws-ses-node-js-examples#5, boto/boto#476.
- Mailchimp: mailchimp.com/developer/marketing/docs/errors/ (problem+json, ``instance``;
  glossary titles and details for 401 "API Key Invalid" and 404 "Resource Not Found"; for
  400 and 500 the title is the HTTP reason phrase, the 500 detail not checked against it).
"""

from __future__ import annotations

import base64
import hmac
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

HANG_SECONDS = 3.0


@dataclass(frozen=True)
class Seen:
    """One request as the server received it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # names lower-cased
    body: bytes
    client: str

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # a regular expression matched against the whole path
    status: int  # the success status
    answer: dict[str, Any] | None = None  # the success body (None: empty)
    query: tuple[str, ...] = ()  # query parameters that must be present and non-empty
    body: Callable[[Any], bool] | None = None  # JSON body check; None: no body allowed


@dataclass(frozen=True)
class Api:
    """How one ESP behaves."""

    name: str
    routes: tuple[Route, ...]
    auth_ok: Callable[[Seen, str, str], bool]  # (request, secret, base url) -> accepted
    error: Callable[[int, str], tuple[bytes, dict[str, str]]]  # (status, text) -> body
    messages: dict[int, str]  # the ESP's text for each error status


def _epoch_in(seconds: int) -> str:
    return str(int(time.time()) + seconds)


def _http_date_in(seconds: int) -> str:
    return formatdate(time.time() + seconds, usegmt=True).replace("GMT", "UTC")


WAIT = 7  # seconds every provider that sends a wait asks for, in these fakes
SENDGRID_429 = b"""{
  "errors": [
    {
      "field": null,
       "message": "too many requests"
    },
  ]
}"""
MAILGUN_RETRY_SECONDS = b"""{
  "retry-seconds": 60,
}"""
LIMITED: dict[str, Callable[[], tuple[bytes, dict[str, str]]]] = {
    "sendgrid": lambda: (
        SENDGRID_429,
        {
            "Content-Type": "application/json",
            "X-RateLimit-Limit": "150",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": _epoch_in(WAIT),
        },
    ),
    "mailgun": lambda: _json(
        {
            "message": "Domain mg.example.com is not allowed to send: request limit exceeded, "
            f"try again after {_http_date_in(WAIT)}"
        }
    ),
    "mailgun-retry-seconds": lambda: (MAILGUN_RETRY_SECONDS, {"Content-Type": "application/json"}),
    "brevo": lambda: (
        json.dumps({"message": "Too many requests"}).encode(),
        {
            "Content-Type": "application/json",
            "x-sib-ratelimit-limit": "10",
            "x-sib-ratelimit-remaining": "0",
            "x-sib-ratelimit-reset": str(WAIT),
        },
    ),
    "sparkpost": lambda: _json({"errors": [{"message": "Too many requests"}]}),
    "ses": lambda: (
        json.dumps({"message": "Too many requests have been made to the operation."}).encode(),
        {"Content-Type": "application/json", "x-amzn-ErrorType": "TooManyRequestsException:"},
    ),
    "mailchimp": lambda: _json(
        {
            "type": "https://mailchimp.com/developer/marketing/docs/errors/",
            "title": "Too Many Requests",
            "status": 429,
            "detail": "You have exceeded the limit of 10 simultaneous connections.",
            "instance": "3b4dcb40-0b6b-4820-bfaa-41267b3826ea",
        },
        "application/problem+json",
    ),
}
"""What each ESP answers when it is limiting requests."""


def _json(data: Any, content_type: str = "application/json") -> tuple[bytes, dict[str, str]]:
    return json.dumps(data).encode(), {"Content-Type": content_type}


def _basic_password(seen: Seen) -> tuple[str, str] | None:
    value = seen.headers.get("authorization", "")
    if not value.startswith("Basic "):
        return None
    try:
        user, _, password = base64.b64decode(value[6:]).decode().partition(":")
    except ValueError:
        return None
    return user, password


def _sigv4_ok(seen: Seen, secret: str, base_url: str, region: str = "eu-west-1") -> bool:
    return sigv4_problem(seen, secret, base_url, region) is None


SIGV4 = re.compile(
    r"AWS4-HMAC-SHA256 Credential=(?P<akid>[^/]+)/(?P<date>\d{8})/(?P<region>[^/]+)/"
    r"(?P<service>[^/]+)/aws4_request, SignedHeaders=(?P<signed>[a-z0-9;-]+), "
    r"Signature=(?P<signature>[0-9a-f]{64})"
)


SIGNATURE_WRONG = "signature does not match"
SES_SIGNATURE_TEXT = (
    "The request signature we calculated does not match the signature you provided. "
    "Check your AWS Secret Access Key and signing method. Consult the service "
    "documentation for details."
)
"""What SES answers a wrong secret key, as real answers quote it (see the docstring)."""


def sigv4_problem(seen: Seen, secret: str, base_url: str, region: str) -> str | None:
    """Why the SigV4 ``Authorization`` header is wrong, or ``None`` (checked by botocore)."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    match = SIGV4.fullmatch(seen.headers.get("authorization", ""))
    if not match:
        return "Authorization header is not a well-formed SigV4 header"
    access_key, secret_key, *token = secret.split(":")
    if match["akid"] != access_key:
        return "unknown access key id"
    if match["region"] != region or match["service"] != "ses":
        return f"scope {match['region']}/{match['service']} instead of {region}/ses"
    amz_date = seen.headers.get("x-amz-date", "")
    if not amz_date.startswith(match["date"]):
        return "X-Amz-Date missing or not matching the credential scope"
    if token and seen.headers.get("x-amz-security-token") != token[0]:
        return "session token missing"
    signed = match["signed"].split(";")
    headers = {name: seen.headers[name] for name in signed if name in seen.headers}
    query = "&".join(f"{k}={v}" for k, values in seen.query.items() for v in values)
    url = base_url + seen.path + (f"?{query}" if query else "")
    request = AWSRequest(method=seen.method, url=url, data=seen.body or None, headers=headers)
    request.context["timestamp"] = amz_date
    signer = SigV4Auth(
        Credentials(access_key, secret_key, token[0] if token else None), "ses", region
    )
    expected = signer.signature(
        signer.string_to_sign(request, signer.canonical_request(request)), request
    )
    if not hmac.compare_digest(expected, match["signature"]):
        return SIGNATURE_WRONG
    return None


def _is(value: Any, expected: dict[str, Any]) -> bool:
    return isinstance(value, dict) and value == expected


APIS: dict[str, Api] = {
    "sparkpost": Api(
        "sparkpost",
        (Route("DELETE", r"/api/v1/transmissions", 204, query=("campaign_id",)),),
        lambda seen, secret, _: seen.headers.get("authorization") == secret,
        lambda status, text: _json(
            {"errors": [{"message": text, **SPARKPOST_CODES.get(status, {})}]}
        ),
        {
            401: "Unauthorized",
            404: "resource not found",
            429: "Too many requests",
            500: "Something went wrong on our end.",
        },
    ),
    "sendgrid": Api(
        "sendgrid",
        (
            Route(
                "POST",
                r"/v3/user/scheduled_sends",
                201,
                {"batch_id": "B", "status": "cancel"},
                body=lambda b: (
                    isinstance(b, dict)
                    and set(b) == {"batch_id", "status"}
                    and b["status"] in ("pause", "cancel")
                ),
            ),
            Route(
                "PATCH",
                r"/v3/user/scheduled_sends/[A-Za-z0-9_-]+",
                204,
                body=lambda b: isinstance(b, dict) and b.get("status") in ("pause", "cancel"),
            ),
            Route(
                "DELETE",
                r"/v3/marketing/singlesends/[A-Za-z0-9_-]+/schedule",
                200,
                {"status": "draft"},
            ),
        ),
        lambda seen, secret, _: seen.headers.get("authorization") == f"Bearer {secret}",
        # ErrorResponse for 4xx; ScheduledSends500 has no "field".
        lambda status, text: _json(
            {"errors": [{"message": text} if status >= 500 else {"field": None, "message": text}]}
        ),
        {
            401: "authorization required",
            404: "resource not found",
            429: "too many requests",
            500: "internal server error",
        },
    ),
    "mailgun": Api(
        "mailgun",
        (Route("DELETE", r"/v3/[a-z0-9.-]+/envelopes", 200, {"message": "done"}),),
        lambda seen, secret, _: _basic_password(seen) == ("api", secret),
        # Mailgun answers a bad key with a bare string, not JSON.
        lambda status, text: (
            (text.encode(), {"Content-Type": "text/plain"})
            if status == 401
            else _json({"message": text})
        ),
        {
            401: "Forbidden",
            404: "Domain not found: mg.example.com",
            429: "Too many requests",
            500: "Internal Server Error",
        },
    ),
    "ses": Api(
        "ses",
        (
            Route(
                "PUT",
                r"/v2/email/configuration-sets/[A-Za-z0-9_-]+/sending",
                200,
                body=lambda b: _is(b, {"SendingEnabled": False}),
            ),
            Route(
                "PUT",
                r"/v2/email/account/sending",
                200,
                body=lambda b: _is(b, {"SendingEnabled": False}),
            ),
        ),
        _sigv4_ok,
        lambda status, text: (
            json.dumps({"message": text}).encode(),
            {
                "Content-Type": "application/json",
                "x-amzn-ErrorType": SES_TYPES.get(status, "InternalFailure"),
            },
        ),
        {
            # Type and status documented; this text is AWS's usual one for a bad key, the
            # common-errors page words it "... does not exist in our records".
            401: "The security token included in the request is invalid.",
            404: "The resource you attempted to access doesn't exist.",
            429: "Too many requests have been made to the operation.",
            500: "The request couldn't be processed because an error occurred with the "
            "Amazon SES API v2.",
        },
    ),
    "mailchimp": Api(
        "mailchimp",
        (Route("POST", r"/3.0/campaigns/[A-Za-z0-9]+/actions/(unschedule|cancel-send)", 204),),
        lambda seen, secret, _: (_basic_password(seen) or ("", ""))[1] == secret,
        lambda status, text: _json(
            {
                "type": "https://mailchimp.com/developer/marketing/docs/errors/",
                "title": MAILCHIMP_TITLES.get(status, "Error"),
                "status": status,
                "detail": text,
                "instance": "995c5cb0-3280-4a6e-808b-3b096d0bb219",
            },
            "application/problem+json",
        ),
        {
            401: "Your API key may be invalid, or you've attempted to access the wrong datacenter.",
            404: "The requested resource could not be found.",
            429: "You have exceeded the limit of 10 simultaneous connections.",
            500: "An unexpected internal error has occurred.",
        },
    ),
    "brevo": Api(
        "brevo",
        (
            Route(
                "PUT",
                r"/v3/emailCampaigns/\d+/status",
                204,
                body=lambda b: _is(b, {"status": "suspended"}),
            ),
        ),
        lambda seen, secret, _: seen.headers.get("api-key") == secret,
        lambda status, text: _json(
            {"code": BREVO_CODES[status], "message": text}
            if status in BREVO_CODES
            else {"message": text}
        ),
        {
            401: "Authentication Needed",
            404: "Object does not exist",
            429: "Too many requests",
            500: "Internal Server Error",
        },
    ),
}
SES_TYPES = {  # any other status: InternalFailure (CommonErrors, HTTP 500)
    400: "BadRequestException",
    401: "UnrecognizedClientException",  # the fake's "401" mode; SES itself answers 403
    403: "UnrecognizedClientException",
    404: "NotFoundException",
    429: "TooManyRequestsException",
    500: "InternalServiceErrorException",
}
MAILCHIMP_TITLES = {
    400: "Bad Request",
    401: "API Key Invalid",
    404: "Resource Not Found",
    429: "Too Many Requests",
    500: "Internal Server Error",
}
BREVO_CODES = {400: "bad_request", 401: "unauthorized", 404: "document_not_found"}
SPARKPOST_CODES = {404: {"code": "1600"}}  # the only status with a documented code


@dataclass
class FakeEsp:
    """A running fake of one ESP; use as a context manager."""

    api: Api
    secret: str
    mode: str = "success"
    requests: list[Seen] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    batches: dict[str, str] = field(default_factory=dict)  # SendGrid batch -> its status
    reply: tuple[int, bytes, dict[str, str]] | None = None
    drip: float = 0.0

    def __post_init__(self) -> None:
        self._release = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        # A short poll interval: shutdown() waits up to one interval, once per test.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeEsp:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._release.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    # -- the behaviour ----------------------------------------------------------------

    def _ses_refusal(self, seen: Seen) -> tuple[int, bytes, dict[str, str]]:
        """403 either way: an unknown key id is UnrecognizedClientException, a known one
        with a wrong signature (a wrong secret key) is SignatureDoesNotMatch."""
        body, headers = self.api.error(403, self.api.messages[401])
        if sigv4_problem(seen, self.secret, self.base_url, "eu-west-1") == SIGNATURE_WRONG:
            body = json.dumps({"message": SES_SIGNATURE_TEXT}).encode()
            headers = {**headers, "x-amzn-ErrorType": "SignatureDoesNotMatch"}
        return 403, body, headers

    def answer(self, seen: Seen) -> tuple[int, bytes, dict[str, str]]:
        route, problem = self._route(seen)
        if problem:
            self.problems.append(problem)
            return (
                404 if route is None else 400,
                *self.api.error(404 if route is None else 400, problem),
            )
        if not self.api.auth_ok(seen, self.secret, self.base_url):
            self.problems.append("authentication rejected")
            if self.api.name == "ses":
                return self._ses_refusal(seen)
            return (401, *self.api.error(401, self.api.messages[401]))
        if self.reply is not None:
            return self.reply
        if self.mode == "hang":
            self._release.wait(HANG_SECONDS)
            return 200, b"{}", {"Content-Type": "application/json"}
        if self.mode == "redirect":
            return 302, b"", {"Location": "https://elsewhere.example/steal"}
        if self.mode == "echo-key":
            sent = seen.headers.get("authorization") or seen.headers.get("api-key")
            echoed = f"bad request from {sent} key={self.secret}"
            return (400, *self.api.error(400, echoed))
        if self.mode == "429" or self.mode.startswith("429:"):
            return (429, *LIMITED[self.mode[4:] or self.api.name]())
        if self.mode.isdigit():
            status = int(self.mode)
            body, headers = self.api.error(status, self.api.messages[status])
            return status, body, headers
        assert route is not None
        refused = self._state(seen)
        if refused:
            return (400, *self.api.error(400, refused))
        body = json.dumps(route.answer).encode() if route.answer is not None else b""
        return route.status, body, {"Content-Type": "application/json"} if body else {}

    def _state(self, seen: Seen) -> str | None:
        """SendGrid: a batch that has a status refuses a second POST (use PATCH)."""
        if self.api.name != "sendgrid" or not seen.path.startswith("/v3/user/scheduled_sends"):
            return None
        if seen.method == "POST":
            batch = seen.json()["batch_id"]
            if batch in self.batches:
                return f"batch id {batch} already has a status ({self.batches[batch]})"
            self.batches[batch] = seen.json()["status"]
        elif seen.method == "PATCH":
            batch = seen.path.rsplit("/", 1)[1]
            if batch not in self.batches:
                return f"batch id {batch} has no pause or cancel to update"
            self.batches[batch] = seen.json()["status"]
        return None

    def _route(self, seen: Seen) -> tuple[Route | None, str | None]:
        by_path = [r for r in self.api.routes if re.fullmatch(r.path, seen.path)]
        if not by_path:
            return None, f"no such path {seen.path}"
        routes = [r for r in by_path if r.method == seen.method]
        if not routes:
            return by_path[0], f"method {seen.method} not allowed on {seen.path}"
        route = routes[0]
        for name in route.query:
            if not (seen.query.get(name) or [""])[0]:
                return route, f"query parameter {name} missing"
        if seen.headers.get("accept") != "application/json":
            return route, "Accept: application/json missing"
        if route.body is None:
            if seen.body:
                return route, "this endpoint takes no body"
        else:
            if seen.headers.get("content-type") != "application/json":
                return route, "Content-Type: application/json missing"
            try:
                data = seen.json()
            except ValueError:
                return route, "body is not JSON"
            if not route.body(data):
                return route, f"unexpected body {data!r}"
        return route, None


def _handler(fake: FakeEsp) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
            pass

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            seen = Seen(
                method=self.command,
                path=parts.path,
                query=parse_qs(parts.query),
                headers={k.lower(): v for k, v in self.headers.items()},
                body=body,
                client=self.client_address[0],
            )
            fake.requests.append(seen)
            status, data, headers = fake.answer(seen)
            if fake.drip:
                self._drip(status, data, headers)
                return
            try:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:
                pass  # the client gave up (timeout test)

        def _drip(self, status: int, data: bytes, headers: dict[str, str]) -> None:
            head = f"HTTP/1.1 {status} {self.responses.get(status, ('',))[0]}\r\n"
            head += "".join(f"{name}: {value}\r\n" for name, value in headers.items())
            head += f"Content-Length: {len(data)}\r\nConnection: close\r\n\r\n"
            for byte in head.encode() + data:
                if fake._release.wait(fake.drip):
                    return  # the test is over
                try:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                except OSError:
                    return  # the client hung up
            self.close_connection = True

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve

    return Handler
