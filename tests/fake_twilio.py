"""A local fake of Twilio's Messages API, for the SMS tests (core.sms): a thread serving
HTTP on 127.0.0.1.

POST /2010-04-01/Accounts/{AccountSid}/Messages.json with HTTP basic auth and a form (To,
From, Body, StatusCallback) answers 201 with the message's JSON (its ``sid``), as Twilio
does; each request can instead be scripted to answer an error (Twilio's JSON error body
with its ``code``) or to answer too late (a timeout).
"""

import base64
import time
import urllib.parse

from tests.fake_http import JsonHandler, LocalServer


class FakeTwilio(LocalServer):
    def __init__(self, account_sid: str, auth_token: str, script=()):
        # Each entry answers one request, in order, then "ok" for the rest:
        # "ok", ("error", http_status, twilio_code), ("redirect", http_status) or
        # ("timeout", seconds).
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.script = list(script)
        self.requests: list[dict] = []
        fake = self

        class Handler(JsonHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                fake.requests.append(
                    {"path": self.path, "form": form, "auth": self.headers.get("Authorization")}
                )
                expected = "Basic " + base64.b64encode(
                    f"{fake.account_sid}:{fake.auth_token}".encode()
                ).decode("ascii")
                if self.path != f"/2010-04-01/Accounts/{fake.account_sid}/Messages.json":
                    return self.answer(404, {"code": 20404, "message": "Not found"})
                if self.headers.get("Authorization") != expected:
                    return self.answer(401, {"code": 20003, "message": "Authenticate"})
                step = fake.script.pop(0) if fake.script else "ok"
                if step == "ok":
                    sid = f"SM{len(fake.requests):032d}"
                    return self.answer(
                        201,
                        {
                            "sid": sid,
                            "account_sid": fake.account_sid,
                            "to": form.get("To"),
                            "from": form.get("From"),
                            "body": form.get("Body"),
                            "status": "queued",
                        },
                    )
                if step[0] == "redirect":  # a client must not follow it with its login
                    self.send_response(step[1])
                    self.send_header("Location", f"{fake.url}/elsewhere")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                if step[0] == "timeout":
                    time.sleep(step[1])
                    return self.answer(201, {"sid": "SMlate", "status": "queued"})
                _error, status, code = step
                return self.answer(
                    status, {"code": code, "message": f"Error {code}", "status": status}
                )

            def do_GET(self):
                fake.requests.append(
                    {"path": self.path, "form": {}, "auth": self.headers.get("Authorization")}
                )
                return self.answer(404, {"code": 20404, "message": "Not found"})

        self.serve(Handler)
